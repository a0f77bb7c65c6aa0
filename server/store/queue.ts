import PgBoss from 'pg-boss';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Database } from './database';

export interface QueueSpec {
  name: string;
  /**
   * 'short' keeps one queued job per singletonKey (duplicates are dropped while one waits) —
   * pg-boss 10 ignores singletonKey on 'standard' queues.
   */
  policy?: 'standard' | 'short' | 'stately' | 'singleton';
  /** Tries after the first one; then the job goes to `${name}-dead`. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Exponential backoff from retryDelaySeconds. */
  retryBackoff?: boolean;
  expireInSeconds?: number;
}

export interface JobContext {
  id: string;
  retryCount: number;
  retryLimit: number;
}

export type JobHandler<T> = (data: T, job: JobContext) => Promise<void>;

export interface NewJob<T> {
  data: T;
  singletonKey?: string;
  startAfter?: Date;
}

/** A job that failed its last try (JobQueue.listDeadLetters). */
export interface DeadLetterRow {
  id: string;
  queue: string;
  data: Record<string, unknown>;
  /** What pg-boss kept of the last error ({ message, name } from JobQueue.runOne). */
  output: unknown;
  attempts: number;
  at: string;
}

export const deadLetterQueue = (name: string): string => `${name}-dead`;

/**
 * The durable job queue: pg-boss 10 on the service's own database (PGlite or PostgreSQL).
 * Retries with backoff, a dead-letter queue after the last try, singleton keys and cron
 * schedules that fire once per cluster all come from pg-boss; this class adds metrics,
 * in-process wake-ups (so a job sent here starts at once instead of at the next poll) and
 * a graceful stop.
 */
export class JobQueue {
  private readonly workers = new Map<string, string[]>();
  private readonly specs = new Map<string, QueueSpec>();
  private stopped = false;
  /** Batches being handled now: a stop waits for them before the database closes. */
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private readonly boss: PgBoss,
    private readonly database: Database,
    private readonly metrics: Metrics | undefined,
    private readonly logger: Logger | undefined,
    private readonly pollingIntervalSeconds: number,
  ) {}

  static async start(
    database: Database,
    options: { metrics?: Metrics; logger?: Logger; pollingIntervalSeconds?: number; schedule?: boolean } = {},
  ): Promise<JobQueue> {
    const boss = new PgBoss({
      db: { executeSql: (text: string, values: unknown[]) => database.executeSql(text, values) },
      schema: 'pgboss',
      schedule: options.schedule ?? true,
      supervise: true,
      // Expired jobs (those a killed instance held) are found by this pass: every 30 s rather than
      // pg-boss's 2 minutes, so their work resumes within a minute or two of the kill.
      maintenanceIntervalSeconds: 30,
      migrate: true,
    });
    boss.on('error', (error: Error) => options.logger?.error({ err: error }, 'queue error'));
    await boss.start();
    const queue = new JobQueue(
      boss,
      database,
      options.metrics,
      options.logger,
      options.pollingIntervalSeconds ?? 0.5,
    );
    options.metrics?.queueDepth.reset();
    return queue;
  }

  /** Creates (or updates) the queue and its dead-letter queue. Safe to call from every instance. */
  async define(spec: QueueSpec): Promise<void> {
    // pg-boss creates a partition per queue; two instances doing it at once deadlock on PostgreSQL.
    await this.database.withStartupLock(() => this.createOrUpdate(spec), 'queues');
    this.specs.set(spec.name, spec);
  }

  private async createOrUpdate(spec: QueueSpec): Promise<void> {
    const dead = deadLetterQueue(spec.name);
    if (!(await this.boss.getQueue(dead))) await this.boss.createQueue(dead, { name: dead });
    const options: PgBoss.Queue = {
      name: spec.name,
      policy: spec.policy ?? 'standard',
      retryLimit: spec.retryLimit ?? 5,
      retryDelay: spec.retryDelaySeconds ?? 2,
      retryBackoff: spec.retryBackoff ?? true,
      expireInSeconds: spec.expireInSeconds ?? 300,
      deadLetter: dead,
    };
    if (await this.boss.getQueue(spec.name)) {
      const { policy: _policy, ...updatable } = options; // pg-boss cannot change a queue's policy
      await this.boss.updateQueue(spec.name, updatable);
    } else {
      await this.boss.createQueue(spec.name, options);
    }
  }

  /** Returns the job id, or null when a job with the same singletonKey is already waiting. */
  async send<T extends object>(name: string, job: NewJob<T>): Promise<string | null> {
    const id = await this.boss.send(name, job.data, {
      singletonKey: job.singletonKey,
      startAfter: job.startAfter,
    });
    this.wake(name);
    return id;
  }

  /** One INSERT for many jobs (group commit); duplicates of a waiting singletonKey are dropped. */
  async sendMany<T extends object>(name: string, jobs: NewJob<T>[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(
      jobs.map((j) => ({ name, data: j.data, singletonKey: j.singletonKey, startAfter: j.startAfter })),
    );
    this.wake(name);
  }

  /**
   * Runs `concurrency` workers on the queue; each fetches up to `batchSize` jobs at once and runs
   * them in parallel, so fetch and completion statements are shared by the batch. A job that
   * throws fails alone (retried, then dead-lettered); the others of its batch complete.
   */
  async work<T extends object>(
    name: string,
    options: { concurrency?: number; batchSize?: number },
    handler: JobHandler<T>,
  ): Promise<void> {
    const ids: string[] = [];
    for (let i = 0; i < (options.concurrency ?? 1); i++) {
      // pg-boss 10 sleeps a polling interval after every fetch, even a fruitful one; waking the
      // worker when it has just done its batch makes it fetch the next one at once.
      const self: { id?: string } = {};
      const id = await this.boss.work<T>(
        name,
        {
          batchSize: options.batchSize ?? 1,
          includeMetadata: true,
          pollingIntervalSeconds: this.pollingIntervalSeconds,
        },
        async (jobs) => {
          const batch = Promise.all(jobs.map((job) => this.runOne(name, job, handler))).then(() => undefined);
          this.inFlight.add(batch);
          try {
            await batch;
          } finally {
            this.inFlight.delete(batch);
            if (self.id && !this.stopped) this.boss.notifyWorker(self.id);
          }
        },
      );
      self.id = id;
      ids.push(id);
    }
    this.workers.set(name, [...(this.workers.get(name) ?? []), ...ids]);
  }

  private async runOne<T>(
    name: string,
    job: PgBoss.JobWithMetadata<T>,
    handler: JobHandler<T>,
  ): Promise<void> {
    const context = { id: job.id, retryCount: job.retryCount, retryLimit: job.retryLimit };
    try {
      await handler(job.data, context);
      this.metrics?.jobs.inc({ queue: name, outcome: 'completed' });
    } catch (error) {
      const last = job.retryCount >= job.retryLimit;
      this.metrics?.jobs.inc({ queue: name, outcome: last ? 'dead' : 'failed' });
      this.logger?.warn(
        { err: error, queue: name, jobId: job.id, retryCount: job.retryCount, last },
        last ? 'job failed for the last time: dead-lettered' : 'job failed: will retry',
      );
      // Failed here, alone; pg-boss then completes only the batch's jobs still active.
      const reason =
        error instanceof Error ? { message: error.message, name: error.name } : { message: String(error) };
      // Never let this throw: pg-boss would then fail the whole batch without awaiting it.
      await this.boss
        .fail(name, job.id, reason)
        .catch((failError: unknown) =>
          this.logger?.warn({ err: failError, queue: name, jobId: job.id }, 'could not record a job failure'),
        );
    }
  }

  async schedule(name: string, cron: string, data: object = {}): Promise<void> {
    await this.boss.schedule(name, cron, data, { tz: 'UTC' });
  }

  async unschedule(name: string): Promise<void> {
    await this.boss.unschedule(name);
  }

  /** Jobs waiting (created or retry) in a queue. */
  async size(name: string): Promise<number> {
    return this.boss.getQueueSize(name);
  }

  /** Jobs that failed their last try, for an operator (or a test) to inspect. */
  async deadLetters<T>(name: string): Promise<{ id: string; data: T }[]> {
    const result = await this.database.executeSql(
      'SELECT id, data FROM pgboss.job WHERE name = $1 ORDER BY created_on',
      [deadLetterQueue(name)],
    );
    return result.rows.map((r) => ({ id: String(r.id), data: r.data as T }));
  }

  /**
   * Dead letters waiting for an operator, newest first, from the queues defined here: pg-boss 10
   * copies a job that failed its last try into `<name>-dead` (its data, its last error as output,
   * its retry limit), in state 'created' since no one works those queues.
   */
  async listDeadLetters(limit = 500): Promise<DeadLetterRow[]> {
    const names = [...this.specs.keys()];
    if (names.length === 0) return [];
    const result = await this.database.executeSql(
      `SELECT id, name, data, output, retry_limit, created_on FROM pgboss.job
        WHERE name = ANY($1::text[]) AND state = 'created'
        ORDER BY created_on DESC LIMIT $2`,
      [names.map(deadLetterQueue), limit],
    );
    return result.rows.map((r) => ({
      id: String(r.id),
      queue: String(r.name).slice(0, -'-dead'.length),
      data: (r.data ?? {}) as Record<string, unknown>,
      output: r.output,
      // The original made its first try and every retry.
      attempts: Number(r.retry_limit ?? 0) + 1,
      at: new Date(r.created_on as string).toISOString(),
    }));
  }

  /**
   * Queues a dead letter's job again on its own queue, then cancels the dead letter (a crash in
   * between leaves both: the job runs and the letter can be retried again, which jobs tolerate).
   * Null when no waiting dead letter has this id.
   */
  async retryDeadLetter(id: string): Promise<{ id: string; queue: string } | null> {
    const letter = (await this.listDeadLetters(10_000)).find((d) => d.id === id);
    if (!letter) return null;
    const jobId = await this.boss.send(letter.queue, letter.data);
    if (!jobId) return null;
    await this.boss.cancel(deadLetterQueue(letter.queue), id);
    this.wake(letter.queue);
    return { id: jobId, queue: letter.queue };
  }

  /**
   * Jobs of `name` running or due now (created or retry, not scheduled for later) whose data's
   * `key` is one of `values`: what a re-sync waits for before it reports its drift.
   */
  async dueOrActive(name: string, key: string, values: string[]): Promise<number> {
    if (values.length === 0) return 0;
    const result = await this.database.executeSql(
      `SELECT count(*) AS n FROM pgboss.job
        WHERE name = $1 AND data->>$2 = ANY($3::text[])
          AND (state = 'active' OR (state IN ('created', 'retry') AND start_after <= now()))`,
      [name, key, values],
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  /** Jobs waiting (created or retry) and dead letters, per queue defined here. */
  async counts(): Promise<Record<string, { depth: number; deadLetters: number }>> {
    const counts: Record<string, { depth: number; deadLetters: number }> = {};
    for (const name of this.specs.keys()) {
      counts[name] = {
        depth: await this.boss.getQueueSize(name),
        deadLetters: await this.boss.getQueueSize(deadLetterQueue(name)),
      };
    }
    return counts;
  }

  async getJob<T>(name: string, id: string): Promise<PgBoss.JobWithMetadata<T> | null> {
    return this.boss.getJobById<T>(name, id, { includeArchive: true });
  }

  /** Refreshes the queue-depth gauge; called when /metrics is scraped. */
  async refreshDepth(): Promise<void> {
    for (const name of this.specs.keys()) {
      this.metrics?.queueDepth.set({ queue: name }, await this.boss.getQueueSize(name));
      const dead = deadLetterQueue(name);
      this.metrics?.queueDepth.set({ queue: dead }, await this.boss.getQueueSize(dead));
    }
  }

  /** Whether stop() was called: a long-running handler should end early (its work is redone). */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Stops taking jobs, waits up to timeoutMs for the running ones, then stops pg-boss. */
  async stop(timeoutMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // pg-boss's graceful stop does not wait for handlers that are running, and completes their
    // jobs afterwards without awaiting: stop fetching, let running batches finish (bounded), give
    // pg-boss a turn to record their completion, and only then stop it.
    for (const ids of this.workers.values()) {
      for (const id of ids) await this.boss.offWork({ id }).catch(() => undefined);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise<void>((resolve) => {
      this.boss.once('stopped', () => resolve());
      void this.boss.stop({ graceful: true, timeout: timeoutMs, close: false }).catch(() => resolve());
    });
  }

  private wake(name: string): void {
    for (const id of this.workers.get(name) ?? []) this.boss.notifyWorker(id);
  }
}
