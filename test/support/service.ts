import { DEFAULT_TIMINGS, loadConfig, type Config, type Timings } from '../../server/config';
import { createLogger } from '../../server/logger';
import { startService, type Service, type ServiceOptions } from '../../server/main';
import type { TestStorage } from './testDatabase';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789-abcdefghij';

/**
 * Config.timings in tests: production's, except the delays a test would sit through. The rooms of
 * the emulator answer at once (faults.roomProcessingDelayMs 0), so the looks at their answers after
 * a write need not wait Exchange's seconds. pg-boss refuses polling under 0.5 s; the deferral
 * ladder and the outbox poll made no measurable difference (docs/BENCHMARKS.md).
 */
export const TEST_TIMINGS: Timings = {
  ...DEFAULT_TIMINGS,
  // The looks of before the ladder (n × 300 ms, five of them).
  roomAnswerCheckLadderMs: [300, 600, 900, 1200, 1500],
};

export interface TestServiceOptions extends ServiceOptions {
  /** Timings of this service over TEST_TIMINGS. */
  timings?: Partial<Timings>;
}

/** The real service on a free port, on the given storage, with quiet logs unless LOG_LEVEL is set. */
export async function startTestService(
  storage: TestStorage,
  env: Record<string, string> = {},
  options: TestServiceOptions = {},
): Promise<Service> {
  const { timings, ...serviceOptions } = options;
  const config: Config = {
    ...loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      TEST_MODE: 'true',
      // TEST_MODE is refused with Microsoft's endpoints (issue 16): a test that names no emulator
      // gets a loopback address where nothing listens.
      GRAPH_BASE_URL: 'http://127.0.0.1:9/v1.0',
      AUTHORITY_URL: 'http://127.0.0.1:9',
      SHUTDOWN_TIMEOUT_MS: '5000',
      ...storage.env,
      ...env,
    }),
    timings: { ...TEST_TIMINGS, ...timings },
  };
  return startService(config, { logger: createLogger(config.logLevel), ...serviceOptions });
}
