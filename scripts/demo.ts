import path from 'node:path';
import { ConfigError, loadConfig } from '../server/config';
import { startService } from '../server/main';

/**
 * `npm run demo`: the service on the embedded database in ./data/demo (DATA_DIR overrides),
 * printing where everything is. Later steps add the Graph emulator and the sample tenant.
 */
async function main(): Promise<void> {
  const env = {
    ...process.env,
    DATA_DIR: process.env.DATA_DIR || path.join('data', 'demo'),
    TEST_MODE: 'true',
  };
  const config = loadConfig(env);
  const service = await startService(config);
  const lines = [
    '',
    'hector-outlook demo is running',
    `  API base       ${config.publicUrl}/api`,
    `  health         ${config.publicUrl}/readyz`,
    `  metrics        ${config.publicUrl}/metrics`,
    `  admin token    ${service.adminToken}`,
    `  data           ${config.dataDir}`,
    '  stop           Ctrl-C',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const stop = () => void service.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : `Demo failed to start: ${error instanceof Error ? error.message : String(error)}`}\n`,
  );
  process.exit(1);
});
