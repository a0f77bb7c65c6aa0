// Child process for the outbound chaos test: the real service (workers, outbox dispatcher) on the
// DATA_DIR / DATABASE_URL, PORT and Graph URLs of its environment. It says where it listens on
// stdout, then runs until it is killed (SIGKILL: no graceful stop).
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { startService } from '../../server/main';
import { TEST_TIMINGS } from './service';

async function main(): Promise<void> {
  const config = {
    ...loadConfig({ ...process.env, LOG_LEVEL: process.env.CHILD_LOG_LEVEL ?? 'silent' }),
    timings: TEST_TIMINGS,
  };
  const service = await startService(config, { logger: createLogger(config.logLevel) });
  process.stdout.write(`LISTENING ${service.url}\n`);
  setInterval(() => undefined, 60_000);
}

void main().catch((error: unknown) => {
  process.stderr.write(`outboundService failed: ${String(error)}\n`);
  process.exit(1);
});
