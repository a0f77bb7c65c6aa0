import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SAMPLE_CLIENT_ID, SAMPLE_CLIENT_SECRET, SAMPLE_DOMAIN, startEmulator } from '../../emulator';
import { createRandom } from '../../emulator/faults';
import type { ListOf, Loan, Place } from '../../contract/hector';
import type { JournalEntry, JournalPage } from '../../contract/journal';
import type { ReconcileRun, ReconcileRunStarted } from '../../contract/admin';
import { machineLine } from '../bench/support/machine';
import { startThrowawayPostgres } from '../bench/support/throwawayPostgres';
import { checkInvariants } from './checker';
import { createInstance, type Instance } from './instances';
import { startRoundRobinProxy } from './proxy';
import { startWorkload } from './workload';

/**
 * `npm run chaos [-- --quick | --seconds N]`: a Jepsen-style run of the whole product on one
 * PostgreSQL. A throwaway cluster, the emulator, three service instances (child processes) behind a
 * round-robin proxy; then, for a bounded time, people book, move and cancel meetings in Outlook
 * (single and weekly series) while Hector staff create, move and cancel loans, under faults: 20 %
 * of Graph requests answered 429, 5 % 503, every notification delivered 1–4 times and reordered,
 * 2 % dropped; one instance SIGKILLed and restarted three times; PostgreSQL restarted once (every
 * connection cut). Then the faults stop, the run waits for quiescence, asks for one reconcile (the
 * safety net that recovers the dropped notifications, B2), waits again and checks the invariants
 * (checker.ts). The last line is the contract of issue 16.
 */
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const secondsArg = args.indexOf('--seconds');
const SECONDS = secondsArg >= 0 ? Number(args[secondsArg + 1]) : quick ? 120 : 600;
const INSTANCES = 3;
const ADMIN_TOKEN = `chaos-${randomBytes(24).toString('hex')}`;

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  say(await machineLine('before'));
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hector-chaos-'));
  const started = await startThrowawayPostgres();
  if (!started.started) throw new Error(`no PostgreSQL for the chaos run: ${started.reason}`);
  const postgres = started.server;
  const dbName = 'chaos';
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const dbUrl = new URL(postgres.adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const databaseUrl = dbUrl.toString();

  const emulator = await startEmulator({ port: 0, tls: false, tenant: 'sample' });
  const control = emulator.control;
  const instances: Instance[] = [];
  const proxy = await startRoundRobinProxy(() => instances.filter((i) => i.running()).map((i) => i.port));
  const env = {
    DATABASE_URL: databaseUrl,
    GRAPH_BASE_URL: emulator.graphUrl,
    AUTHORITY_URL: emulator.authorityUrl,
    PUBLIC_URL: proxy.url,
    ADMIN_TOKEN,
    SECRET_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  for (let i = 0; i < INSTANCES; i++) instances.push(await createInstance(i + 1, env, logDir));
  await Promise.all(instances.map((i) => i.start()));
  say(
    `chaos: ${INSTANCES} instances on ${postgres.adminUrl.replace(/\/postgres$/, `/${dbName}`)}, proxy ${proxy.url}, logs in ${logDir}`,
  );

  const api = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${proxy.url}${p}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.ok) return (text ? JSON.parse(text) : null) as T;
      if (attempt >= 5) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
      await sleep(1000);
    }
  };

  await api('PUT', '/api/admin/integration', {
    primaryDomain: SAMPLE_DOMAIN,
    clientId: SAMPLE_CLIENT_ID,
    clientSecret: SAMPLE_CLIENT_SECRET,
    defaultStoreId: null,
    defaultUserEmail: 'camille.martin@universite.test',
    ignoredTags: 'non-hector',
    enabled: true,
  });
  const places = (await api<ListOf<Place>>('GET', '/api/hector/places')).items.filter(
    (p) => p.synced && p.email,
  );
  const rooms = new Map(places.map((p) => [p.email!.toLowerCase(), p.id]));
  const people = control
    .state()
    .users.filter((u) => u.purpose === 'user' && u.accountEnabled !== false)
    .map((u) => u.userPrincipalName!.toLowerCase())
    .filter((u) => u.endsWith(`@${SAMPLE_DOMAIN}`));
  // The backfill of the save first, so the run starts from a settled product.
  await quiescence(databaseUrl, control, 120_000);
  say(`chaos: ${rooms.size} synced rooms, ${people.length} people; ${SECONDS} s of traffic with faults`);

  control.resetStats();
  control.setFaults({
    rate429: 0.2,
    rate503: 0.05,
    retryAfterSeconds: 1,
    notifications: {
      duplicates: { min: 1, max: 4 },
      reorderWindow: 8,
      dropRate: 0.02,
      maxBatch: 10,
      delayMs: 0,
    },
    randomSeed: 16,
  });
  const random = createRandom(1616);
  const workload = startWorkload({
    control,
    people,
    rooms,
    hectorUrl: proxy.url,
    adminToken: ADMIN_TOKEN,
    random,
    paceMs: quick ? 700 : 900,
    actors: 2,
  });

  const t0 = Date.now();
  const at = (fraction: number) => t0 + fraction * SECONDS * 1000;
  const victim = instances[1];
  const events: Array<{ at: number; what: string; run: () => Promise<void> }> = [
    ...[0.15, 0.4, 0.7].map((f, n) => ({
      at: at(f),
      what: `SIGKILL instance ${victim.index} (${n + 1} of 3), restart in 3 s`,
      run: async () => {
        await victim.kill();
        await sleep(3000);
        await victim.start();
      },
    })),
    {
      at: at(0.55),
      what: 'PostgreSQL restarted (-m immediate)',
      run: async () => {
        postgres.restart();
      },
    },
  ].sort((a, b) => a.at - b.at);
  for (const e of events) {
    await sleep(Math.max(0, e.at - Date.now()));
    say(`chaos: t+${Math.round((Date.now() - t0) / 1000)} s ${e.what}`);
    await e.run().catch((error: unknown) => say(`chaos: ${e.what} failed: ${String(error)}`));
  }
  await sleep(Math.max(0, t0 + SECONDS * 1000 - Date.now()));
  await workload.stop();
  const stats = control.stats();
  say(
    `chaos: traffic over after ${Math.round((Date.now() - t0) / 1000)} s: ${JSON.stringify(workload.byKind())}`,
  );
  say(
    `chaos: Graph requests ${stats.requests}, 429 injected+concurrency ${stats.throttled429} (concurrency ${stats.concurrency429}), 503 ${stats.injected503}, notifications delivered ${stats.notificationsDelivered}, dropped ${stats.notificationsDropped}`,
  );

  control.setFaults({
    rate429: 0,
    rate503: 0,
    notifications: {
      duplicates: { min: 1, max: 1 },
      reorderWindow: 0,
      dropRate: 0,
      maxBatch: 50,
      delayMs: 0,
    },
  });
  const settledIn = await quiescence(databaseUrl, control, quick ? 60_000 : 300_000);
  say(`chaos: quiet ${Math.round(settledIn / 1000)} s after the traffic; one reconcile`);
  const run = await api<ReconcileRunStarted>('POST', '/api/admin/reconcile', {});
  for (const deadline = Date.now() + 300_000; Date.now() < deadline; await sleep(1000)) {
    const state = await api<ReconcileRun>('GET', `/api/admin/reconcile/${run.id}`);
    if (state.state === 'finished' || state.state === 'failed') {
      say(
        `chaos: reconcile ${state.state}: ${state.roomsDone}/${state.roomsTotal} rooms, ${state.itemsQueued} copies queued`,
      );
      break;
    }
  }
  await quiescence(databaseUrl, control, 300_000);

  const loans = (await api<ListOf<Loan>>('GET', '/api/hector/loans?limit=5000')).items;
  const journal = await allJournal(api);
  const from = new Date().toISOString();
  const to = new Date(Date.now() + 60 * 86_400_000).toISOString();
  const report = checkInvariants({ control, rooms: [...rooms.keys()], people, loans, journal, from, to });
  const peak = control.stats().peakInFlight;
  say(
    `chaos: ${report.exchangeBookings} bookings in Exchange, ${report.hectorBookings} in Hector, ${loans.length} loans, ${journal.length} journal lines`,
  );
  for (const e of report.examples) say(`chaos:   ${e}`);
  say(
    `chaos: peak RSS per instance (MB): ${instances.map((i) => Math.round(i.peakRss() / 2 ** 20)).join(', ')}`,
  );
  say(await machineLine('after'));

  await Promise.all(instances.map((i) => i.stop()));
  await proxy.close();
  await emulator.close();
  postgres.stop();
  say(
    `chaos: ${workload.changes()} changes, ${INSTANCES} instances, mismatches=${report.mismatches}, duplicate loans=${report.duplicateLoans}, jobs run twice=${report.jobsRunTwice}, max in flight per mailbox=${peak}`,
  );
}

/**
 * Quiet: the emulator has nothing left to deliver, no job is queued, waiting or running (bar the
 * schedules' own), the outbox is empty — three times in a row, a second apart.
 */
async function quiescence(
  databaseUrl: string,
  control: { flushNotifications(): Promise<void> },
  timeoutMs: number,
): Promise<number> {
  const began = Date.now();
  let quiet = 0;
  while (Date.now() - began < timeoutMs) {
    await control.flushNotifications();
    const busy = await pendingWork(databaseUrl).catch(() => Number.POSITIVE_INFINITY);
    quiet = busy === 0 ? quiet + 1 : 0;
    if (quiet >= 3) return Date.now() - began;
    await sleep(1000);
  }
  process.stdout.write(
    `chaos: not quiet after ${timeoutMs / 1000} s: ${await pendingDetail(databaseUrl).catch((e: unknown) => String(e))}\n`,
  );
  return Date.now() - began;
}

async function pendingWork(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const jobs = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pgboss.job
        WHERE state IN ('created', 'retry', 'active') AND name NOT LIKE '\\_\\_%'
          AND name NOT IN (SELECT name FROM pgboss.schedule)`,
    );
    const outbox = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM hector_outbox WHERE dispatched_at IS NULL',
    );
    return Number(jobs.rows[0].n) + Number(outbox.rows[0].n);
  } finally {
    await client.end();
  }
}

/** What is still pending, by queue and state, for the log. */
async function pendingDetail(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; state: string; n: string }>(
      `SELECT name, state, count(*) AS n FROM pgboss.job
        WHERE state IN ('created', 'retry', 'active') GROUP BY name, state ORDER BY name`,
    );
    const outbox = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM hector_outbox WHERE dispatched_at IS NULL',
    );
    return `${rows.map((r) => `${r.name}/${r.state}=${r.n}`).join(', ')}; outbox ${outbox.rows[0].n}`;
  } finally {
    await client.end();
  }
}

async function allJournal(api: <T>(method: string, p: string) => Promise<T>): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: JournalPage = await api<JournalPage>(
      'GET',
      `/api/admin/journal?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
