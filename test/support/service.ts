import { loadConfig, type Config } from '../../server/config';
import { createLogger } from '../../server/logger';
import { startService, type Service, type ServiceOptions } from '../../server/main';
import type { TestStorage } from './testDatabase';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** The real service on a free port, on the given storage, with quiet logs unless LOG_LEVEL is set. */
export async function startTestService(
  storage: TestStorage,
  env: Record<string, string> = {},
  options: ServiceOptions = {},
): Promise<Service> {
  const config: Config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    TEST_MODE: 'true',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...storage.env,
    ...env,
  });
  return startService(config, { logger: createLogger(config.logLevel), ...options });
}
