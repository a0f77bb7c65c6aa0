import type { Logger } from '../logger';
import type { Database } from '../store/database';
import type { JobQueue } from '../store/queue';
import { EmbeddedHector } from '../hector/embeddedHector';
import { STATUS_TICK_CRON, STATUS_TICK_QUEUE } from '../hector/statusTick';

/**
 * Builds the loans core for main.ts: the embedded Hector on the service's database, and the
 * cron job that moves loans on with the clock (K1). pg-boss fires a schedule once per cluster,
 * so several instances never double-advance.
 */
export async function buildHector(deps: {
  database: Database;
  queue: JobQueue;
  logger: Logger;
  now: () => Date;
  workers: boolean;
}): Promise<EmbeddedHector> {
  const hector = new EmbeddedHector(deps.database.db, deps.now);
  await deps.queue.define({ name: STATUS_TICK_QUEUE, policy: 'short', retryLimit: 1, expireInSeconds: 120 });
  await deps.queue.schedule(STATUS_TICK_QUEUE, STATUS_TICK_CRON);
  if (deps.workers) {
    await deps.queue.work(STATUS_TICK_QUEUE, { concurrency: 1 }, async () => {
      const moved = await hector.advanceLoanStatuses(deps.now());
      if (moved > 0) deps.logger.info({ event: 'hector.statuses.advanced', moved }, 'loan statuses advanced');
    });
  }
  return hector;
}
