import type { Metrics } from '../metrics';
import { DatabaseUnavailableError } from './database';
import type { NewJob } from './queue';

interface Waiter<T> {
  jobs: NewJob<T>[];
  resolve(): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions<T> {
  /** One INSERT for all the jobs (JobQueue.sendMany). */
  write(jobs: NewJob<T>[]): Promise<void>;
  /** How long the first request of a batch waits for company. */
  windowMs?: number;
  /** A batch this large is written at once. */
  maxBatch?: number;
  /** A write that takes longer fails every waiter (→ 503, Graph retries): under Graph's 3 s. */
  timeoutMs?: number;
  metrics?: Metrics;
}

/**
 * Group commit for the intake: notifications arriving within a few milliseconds are written by
 * one insert, then every waiting request is answered. One write at a time: while it runs the next
 * batch gathers, so batches grow with the load instead of the queue of writes (pg-boss's one-job
 * send tops out near 1,400 jobs/s on PGlite, a batched insert near 30,000 — TOOLCHAIN).
 */
export class GroupCommit<T> {
  private pending: Waiter<T>[] = [];
  private pendingJobs = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing = false;
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: GroupCommitOptions<T>) {
    this.windowMs = options.windowMs ?? 2;
    this.maxBatch = options.maxBatch ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 2500;
  }

  /** Resolves once the jobs are durably written (with the others of their batch). */
  submit(jobs: NewJob<T>[]): Promise<void> {
    if (jobs.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ jobs, resolve, reject });
      this.pendingJobs += jobs.length;
      if (this.writing) return; // the running write picks this batch up when it ends
      if (this.pendingJobs >= this.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.windowMs);
    });
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delayMs);
  }

  private async flush(): Promise<void> {
    if (this.writing || this.pending.length === 0) return;
    this.writing = true;
    const batch = this.pending;
    this.pending = [];
    this.pendingJobs = 0;
    // Pending duplicates of one room event coalesce here already (one queued job per key).
    const seen = new Set<string>();
    const jobs: NewJob<T>[] = [];
    for (const waiter of batch) {
      for (const job of waiter.jobs) {
        if (job.singletonKey) {
          if (seen.has(job.singletonKey)) continue;
          seen.add(job.singletonKey);
        }
        jobs.push(job);
      }
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.options.write(jobs),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new DatabaseUnavailableError('The job queue did not answer in time.')),
            this.timeoutMs,
          );
        }),
      ]);
      this.options.metrics?.intakeBatchSize.observe(jobs.length);
      for (const waiter of batch) waiter.resolve();
    } catch (error) {
      const failure =
        error instanceof DatabaseUnavailableError
          ? error
          : new DatabaseUnavailableError('The job queue could not be written.', { cause: error });
      for (const waiter of batch) waiter.reject(failure);
    } finally {
      clearTimeout(timer);
      this.writing = false;
      if (this.pending.length > 0) this.flushSoon(0);
    }
  }
}
