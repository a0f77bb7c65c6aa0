// Child process for the SIGKILL test: starts the real service, enqueues one job on a queue that
// nobody works here, says so on stdout, then waits to be killed.
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/logger';
import { startService } from '../../server/main';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent' });
  const service = await startService(config, { logger: createLogger('silent') });
  await service.queue.define({ name: 'test-survivor', retryLimit: 1 });
  const id = await service.queue.send('test-survivor', { data: { payload: 'before the kill' } });
  process.stdout.write(`ENQUEUED ${id}\n`);
  setInterval(() => undefined, 60_000);
}

void main();
