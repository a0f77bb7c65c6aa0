import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { EmbeddedHector } from '../../server/hector/embeddedHector';
import type { Database } from '../../server/store/database';
import { migrateToLatest } from '../../server/store/migrate';
import { openPgliteDatabase } from '../../server/store/pgliteDatabase';
import { openPostgresDatabase } from '../../server/store/postgresDatabase';
import { openBenchPostgres } from './support/benchPostgres';

/**
 * `npm run bench -- availability`: with 500 places and 100,000 loans in the database, how many
 * availability checks (V4) and loan creations (rules + lock + check + insert + outbox) per second.
 * Runs on PGlite (in memory) and on a fresh PostgreSQL database: DATABASE_URL's server, else a
 * throwaway cluster started for the run (support/throwawayPostgres.ts).
 */
const PLACES = 500;
const LOANS = 100_000;
const CHECKS = 3_000;
const CREATIONS = 1_000;
const PARALLEL = 8;
const DAY_MS = 86_400_000;
// Seeded loans: one hour a day per place from 1 December 2026, between 07:00 and 15:00 UTC.
const BASE = Date.parse('2026-12-01T00:00:00Z');
const clock = () => new Date('2026-11-25T08:00:00Z');

async function seed(database: Database): Promise<string[]> {
  const db = database.db;
  await sql`INSERT INTO hector_user (email, display_name, source)
    SELECT 'bench' || i || '@contoso.fr', 'Bench ' || i, 'hector' FROM generate_series(1, 1000) i`.execute(
    db,
  );
  await sql`INSERT INTO hector_place (name, email, store_id, synced)
    SELECT 'Bench room ' || lpad(i::text, 4, '0'), 'bench-room-' || lpad(i::text, 4, '0') || '@contoso.fr',
      (SELECT id FROM hector_store WHERE is_default), true
    FROM generate_series(0, ${PLACES - 1}) i`.execute(db);
  // Loan n (from 1001) goes to place (n - 1001) % 500, on day (n - 1001) / 500; 1 in 10 is cancelled.
  await sql`INSERT INTO hector_loan (requester_id, store_id, start_at, end_at, status, origin)
    SELECT u.id, s.id,
      ${new Date(BASE)}::timestamptz + (i / ${PLACES}) * interval '1 day' + (7 + i % 8) * interval '1 hour',
      ${new Date(BASE)}::timestamptz + (i / ${PLACES}) * interval '1 day' + (8 + i % 8) * interval '1 hour',
      CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'new' END, 'hector'
    FROM generate_series(0, ${LOANS - 1}) i
    CROSS JOIN (SELECT id FROM hector_store WHERE is_default) s
    CROSS JOIN LATERAL (SELECT id FROM hector_user ORDER BY email LIMIT 1) u
    ORDER BY i`.execute(db);
  await sql`INSERT INTO hector_loan_item (loan_id, kind, place_id, status, position)
    SELECT l.id, 'place', p.id, 'active', 0
    FROM hector_loan l
    JOIN (SELECT id, row_number() OVER (ORDER BY email) - 1 AS idx FROM hector_place WHERE email LIKE 'bench-room-%') p
      ON p.idx = (l.number - 1001) % ${PLACES}`.execute(db);
  await sql`ANALYZE`.execute(db);
  const places = await db.selectFrom('hector_place').select('id').orderBy('email').execute();
  return places.map((p) => p.id);
}

/** Runs `total` tasks with `parallel` at a time; returns operations per second. */
async function rate(total: number, parallel: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function run(label: string, database: Database): Promise<void> {
  await migrateToLatest(database);
  const seedStart = performance.now();
  const placeIds = await seed(database);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const hector = new EmbeddedHector(database.db, clock);

  const checks = await rate(CHECKS, PARALLEL, async (i) => {
    const start = BASE + ((i * 7) % 200) * DAY_MS + (7 + (i % 10)) * 3_600_000;
    await hector.checkAvailability(
      [{ kind: 'place', id: placeIds[(i * 37) % PLACES] }],
      new Date(start).toISOString(),
      new Date(start + 3_600_000).toISOString(),
    );
  });

  // Free, valid slots: weekdays, 17:00–17:15Z (18:00 or 19:00 in Paris, inside the default schedule).
  const weekdays = Array.from({ length: 200 }, (_, d) => BASE + d * DAY_MS).filter((t) => {
    const day = new Date(t).getUTCDay();
    return day >= 1 && day <= 5;
  });
  let conflicts = 0;
  const creations = await rate(CREATIONS, PARALLEL, async (i) => {
    const start = weekdays[Math.floor(i / PLACES) % weekdays.length] + 17 * 3_600_000;
    try {
      await hector.createLoan(
        {
          requester: { email: `creator${i % 50}@contoso.fr` },
          start: new Date(start).toISOString(),
          end: new Date(start + 15 * 60_000).toISOString(),
          items: [{ kind: 'place', id: placeIds[i % PLACES] }],
        },
        'hector',
      );
    } catch {
      conflicts += 1;
    }
  });

  process.stdout.write(
    `${label}: ${PLACES} places, ${LOANS} loans (seeded in ${seedSeconds.toFixed(1)} s), ${PARALLEL} in parallel\n` +
      `  availability checks/s: ${checks.toFixed(0)}\n` +
      `  loan creations/s: ${creations.toFixed(0)}${conflicts > 0 ? ` (${conflicts} refused)` : ''}\n`,
  );
}

async function main(): Promise<void> {
  const pglite = await openPgliteDatabase(undefined);
  try {
    await run('PGlite (in memory)', pglite);
  } finally {
    await pglite.close();
  }
  const server = await openBenchPostgres();
  if (!server.available) {
    process.stdout.write(`PostgreSQL: not measured (${server.reason})\n`);
    return;
  }
  const { postgres } = server;
  process.stdout.write(`${postgres.label}: ${postgres.origin}\n`);
  try {
    await postgres.withFreshDatabase('bench_availability', async (url) => {
      const database = await openPostgresDatabase(url, { connectTimeoutMs: 5000 });
      try {
        await run(postgres.label, database);
      } finally {
        await database.close();
      }
    });
  } finally {
    postgres.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
