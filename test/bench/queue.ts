/**
 * `npm run bench -- queue`: enqueue + process throughput of the durable queue (pg-boss 10 on the
 * service's database) on PGlite and on PostgreSQL — in one run. PostgreSQL is DATABASE_URL's server,
 * else a throwaway cluster started for the run (support/throwawayPostgres.ts).
 * Prints jobs/s for one-by-one sends, batched sends (group commit) and processing.
 */
import type { Database } from '../../server/store/database';
import { migrateToLatest } from '../../server/store/migrate';
import { openPgliteDatabase } from '../../server/store/pgliteDatabase';
import { openPostgresDatabase } from '../../server/store/postgresDatabase';
import { JobQueue } from '../../server/store/queue';
import { openBenchPostgres } from './support/benchPostgres';

const SINGLE = 500;
const BATCHED = 10_000;
const BATCH = 200;

interface Figures {
  backend: string;
  sendPerSecond: number;
  batchedPerSecond: number;
  processPerSecond: number;
  endToEndPerSecond: number;
}

async function measure(backend: string, database: Database): Promise<Figures> {
  await migrateToLatest(database);
  const queue = await JobQueue.start(database, { pollingIntervalSeconds: 0.5, schedule: false });
  try {
    await queue.define({ name: 'bench-jobs', retryLimit: 0 });

    let t = performance.now();
    for (let i = 0; i < SINGLE; i++) await queue.send('bench-jobs', { data: { i } });
    const sendPerSecond = SINGLE / ((performance.now() - t) / 1000);

    t = performance.now();
    for (let i = 0; i < BATCHED; i += BATCH) {
      await queue.sendMany(
        'bench-jobs',
        Array.from({ length: BATCH }, (_, k) => ({ data: { i: i + k } })),
      );
    }
    const batchedPerSecond = BATCHED / ((performance.now() - t) / 1000);

    const total = SINGLE + BATCHED;
    let done = 0;
    let finished!: () => void;
    const allDone = new Promise<void>((r) => (finished = r));
    t = performance.now();
    await queue.work('bench-jobs', { concurrency: 4, batchSize: 10 }, async () => {
      if (++done === total) finished();
    });
    await allDone;
    const processPerSecond = total / ((performance.now() - t) / 1000);
    const endToEndPerSecond = 1 / (1 / batchedPerSecond + 1 / processPerSecond);
    return { backend, sendPerSecond, batchedPerSecond, processPerSecond, endToEndPerSecond };
  } finally {
    await queue.stop(5000);
    await database.close();
  }
}

async function main(): Promise<void> {
  const results: Figures[] = [];
  results.push(await measure('PGlite (in memory)', await openPgliteDatabase(undefined)));
  const server = await openBenchPostgres();
  if (server.available) {
    const { postgres } = server;
    process.stdout.write(`${postgres.label}: ${postgres.origin}\n`);
    try {
      results.push(
        await postgres.withFreshDatabase('bench_queue', async (url) =>
          measure(postgres.label, await openPostgresDatabase(url, { connectTimeoutMs: 5000 })),
        ),
      );
    } finally {
      postgres.close();
    }
  } else {
    process.stdout.write(`PostgreSQL: not measured (${server.reason})\n`);
  }
  const round = (n: number) => Math.round(n).toLocaleString('en-US');
  process.stdout.write(
    `\nqueue: ${SINGLE} jobs sent one by one, ${BATCHED} in batches of ${BATCH}, all processed by 4 workers fetching 10 at a time\n`,
  );
  process.stdout.write(
    'backend                | send() jobs/s | batched jobs/s | processed jobs/s | enqueue+process jobs/s\n',
  );
  for (const r of results) {
    process.stdout.write(
      `${r.backend.padEnd(22)} | ${round(r.sendPerSecond).padStart(13)} | ${round(r.batchedPerSecond).padStart(14)} | ${round(r.processPerSecond).padStart(16)} | ${round(r.endToEndPerSecond).padStart(22)}\n`,
    );
  }
  if (results.length === 2) {
    process.stdout.write(
      `ratio PostgreSQL / PGlite (enqueue+process): ${(results[1].endToEndPerSecond / results[0].endToEndPerSecond).toFixed(2)}\n`,
    );
  }
  process.stdout.write(
    `ratio batched / one-by-one sends on PGlite: ${(results[0].batchedPerSecond / results[0].sendPerSecond).toFixed(1)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench queue failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
