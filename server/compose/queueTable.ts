import type { JobContext, JobQueue, QueueSpec } from '../store/queue';

/**
 * One line of the queue table (server/compose/jobs.ts): what the queue is for, how its jobs are
 * retried, when it fires by itself, and who works it.
 */
export interface QueueEntry<T extends object = object> {
  spec: QueueSpec;
  /** One sentence: what a job of this queue does. */
  purpose: string;
  /** A pg-boss cron (UTC; fires once per cluster whatever the number of instances). */
  cron?: { expression: string; data?: T };
  worker?: {
    concurrency?: number;
    batchSize?: number;
    handle(data: T, job: JobContext): Promise<void>;
  };
}

/** Erases an entry's job type so that entries of every queue sit in one table. */
export function queueEntry<T extends object>(entry: QueueEntry<T>): QueueEntry {
  const { worker, cron } = entry;
  return {
    spec: entry.spec,
    purpose: entry.purpose,
    ...(cron ? { cron: { expression: cron.expression, data: cron.data } } : {}),
    ...(worker ? { worker: { ...worker, handle: (data, job) => worker.handle(data as T, job) } } : {}),
  };
}

/** Declares every queue and its schedule; starts the workers when this instance runs them. */
export async function startQueues(
  queue: JobQueue,
  table: readonly QueueEntry[],
  options: { workers: boolean },
): Promise<void> {
  for (const entry of table) {
    await queue.define(entry.spec);
    if (entry.cron) await queue.schedule(entry.spec.name, entry.cron.expression, entry.cron.data);
  }
  if (!options.workers) return;
  for (const entry of table) {
    const worker = entry.worker;
    if (!worker) continue;
    await queue.work<object>(
      entry.spec.name,
      { concurrency: worker.concurrency, batchSize: worker.batchSize },
      (data, job) => worker.handle(data, job),
    );
  }
}
