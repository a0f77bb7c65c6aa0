import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import type { Service } from '../../server/main';
import { migrations } from '../../server/store/migrations';
import { startTestService } from '../support/service';
import { createTestStorage, onPostgres, type TestStorage } from '../support/testDatabase';

jest.setTimeout(60_000);

const waitFor = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('foundation: durable storage and queue', () => {
  let storage: TestStorage;
  beforeAll(async () => {
    storage = await createTestStorage('queue');
  });
  afterAll(async () => {
    await storage.drop();
  });

  it('data written by one run of the service is there after a restart', async () => {
    const first = await startTestService(storage);
    await first.database.db
      .insertInto('app_state')
      .values({ key: 'restart-probe', value: JSON.stringify({ written: 'before' }) })
      .execute();
    await first.close();

    const second = await startTestService(storage);
    try {
      const row = await second.database.db
        .selectFrom('app_state')
        .select('value')
        .where('key', '=', 'restart-probe')
        .executeTakeFirst();
      expect(row?.value).toEqual({ written: 'before' });
    } finally {
      await second.close();
    }
  });

  it('a job that throws is retried with growing delays, then dead-lettered after the last try', async () => {
    const service = await startTestService(storage);
    try {
      await service.queue.define({
        name: 'test-failing',
        retryLimit: 2,
        retryDelaySeconds: 1,
        retryBackoff: true,
      });
      const attempts: number[] = [];
      await service.queue.work<{ n: number }>('test-failing', {}, async () => {
        attempts.push(Date.now());
        throw new Error('always fails');
      });
      const id = await service.queue.send('test-failing', { data: { n: 1 } });
      const dead = await waitFor(async () => {
        const letters = await service.queue.deadLetters<{ n: number }>('test-failing');
        return letters.length > 0 ? letters : undefined;
      }, 30_000);

      expect(attempts).toHaveLength(3); // the first try and two retries
      const gaps = [attempts[1] - attempts[0], attempts[2] - attempts[1]];
      expect(gaps[0]).toBeGreaterThanOrEqual(900); // retryDelay 1 s, then backoff
      expect(gaps[1]).toBeGreaterThan(gaps[0]);
      expect(dead[0].data).toEqual({ n: 1 });
      const job = await service.queue.getJob('test-failing', id!);
      expect(job?.state).toBe('failed');
      const metrics = await service.metrics.registry.getSingleMetricAsString('hector_outlook_jobs_total');
      expect(metrics).toMatch(/queue="test-failing",outcome="dead"} 1/);
      expect(metrics).toMatch(/queue="test-failing",outcome="failed"} 2/);
    } finally {
      await service.close();
    }
  });

  it('a job enqueued before the process is killed with SIGKILL is processed after restart', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, '../support/enqueueThenWait.ts')],
      {
        env: {
          ...process.env,
          ...storage.env,
          ADMIN_TOKEN: 'test-admin-token-0123456789-abcdefghij',
          NODE_OPTIONS: '',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const jobId = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /ENQUEUED (\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${out}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const service = await startTestService(storage);
    try {
      await service.queue.define({ name: 'test-survivor', retryLimit: 1 });
      const processed = new Promise<{ id: string; payload: string }>((resolve) => {
        void service.queue.work<{ payload: string }>('test-survivor', {}, async (data, job) => {
          resolve({ id: job.id, payload: data.payload });
        });
      });
      await expect(processed).resolves.toEqual({ id: jobId, payload: 'before the kill' });
    } finally {
      await service.close();
    }
  });

  // Two processes cannot open one PGlite directory; sharing a database is what PostgreSQL is for.
  (onPostgres() ? it : it.skip)(
    'two instances started at once on one PostgreSQL migrate once and never process a job twice',
    async () => {
      const shared = await createTestStorage('twins', { empty: true });
      let services: Service[] = [];
      try {
        const started = await Promise.allSettled([startTestService(shared), startTestService(shared)]);
        services = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        for (const s of started) if (s.status === 'rejected') throw s.reason;
        const applied = await sql<{ n: number }>`SELECT count(*)::int AS n FROM kysely_migration`.execute(
          services[0].database.db,
        );
        expect(applied.rows[0].n).toBe(Object.keys(migrations).length);

        const processedBy: Record<number, string[]> = {};
        for (const [index, service] of services.entries()) {
          await service.queue.define({ name: 'test-shared' });
          await service.queue.work<{ n: number }>('test-shared', { concurrency: 3 }, async (data) => {
            (processedBy[data.n] ??= []).push(`instance-${index}`);
            // Slow enough (60 × 100 ms / 3 workers ≈ 2 s) that the other instance's poll finds work.
            await new Promise((r) => setTimeout(r, 100));
          });
        }
        await services[0].queue.sendMany(
          'test-shared',
          Array.from({ length: 60 }, (_, n) => ({ data: { n } })),
        );
        await waitFor(async () => (Object.keys(processedBy).length === 60 ? true : undefined), 30_000);
        // Every job recorded as completed: no try is running or left that could deliver one again.
        await waitFor(async () => {
          const { rows } = await services[0].database.executeSql(
            "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'test-shared' AND state <> 'completed'",
          );
          return rows[0].n === 0 ? true : undefined;
        }, 30_000);
        expect(Object.values(processedBy).every((by) => by.length === 1)).toBe(true);
        const instances = new Set(Object.values(processedBy).flat());
        expect(instances.size).toBe(2);
      } finally {
        await Promise.all(services.map((s) => s.close()));
        await shared.drop();
      }
    },
  );
});
