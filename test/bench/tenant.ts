import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SAMPLE_CLIENT_ID, SAMPLE_CLIENT_SECRET, SAMPLE_DOMAIN, startEmulator } from '../../emulator';
import { createInstance, type Instance } from '../chaos/instances';
import { startRoundRobinProxy } from '../chaos/proxy';
import { openBenchPostgres } from './support/benchPostgres';
import { machineLine } from './support/machine';

/**
 * `npm run bench -- tenant [--rooms 1000] [--events 20000] [--instances 2]`: a large tenant's
 * activation (B1) end to end on PostgreSQL with two instances behind a round-robin proxy. The
 * emulator holds `rooms` rooms more than the sample's and `events` meetings already in their
 * calendars (single, one room each, on 15-minute boundaries, none clashing); the admin saves the
 * settings; the figures: time from the save to every meeting's loan, Graph requests per event,
 * the peak of requests in flight per mailbox (the emulator counts from arrival to answer: Graph
 * allows 4), 429s received, and each instance's peak RSS.
 */
const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROOMS = arg('rooms', 1000);
const EVENTS = arg('events', 20_000);
const INSTANCES = arg('instances', 2);
const ADMIN_TOKEN = `bench-${randomBytes(24).toString('hex')}`;
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The `d`-th working day from today (Monday–Friday) at `minutes` past midnight UTC. */
function workingDay(d: number, minutes: number): Date {
  const t = new Date();
  for (let left = d; left > 0;) {
    t.setUTCDate(t.getUTCDate() + 1);
    if (t.getUTCDay() !== 0 && t.getUTCDay() !== 6) left--;
  }
  t.setUTCHours(0, minutes, 0, 0);
  return t;
}

async function main(): Promise<void> {
  say(await machineLine('before'));
  const opened = await openBenchPostgres();
  if (!opened.available) {
    say(`tenant: skipped (${opened.reason})`);
    return;
  }
  const { postgres } = opened;
  try {
    await postgres.withFreshDatabase('bench_tenant', (url) => run(url, postgres.label));
  } finally {
    postgres.close();
  }
}

async function run(databaseUrl: string, label: string): Promise<void> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hector-tenant-'));
  const emulator = await startEmulator({ port: 0, tls: false, tenant: 'sample' });
  const control = emulator.control;
  const t0 = Date.now();
  const rooms: string[] = [];
  for (let i = 1; i <= ROOMS; i++) {
    const n = String(i).padStart(4, '0');
    const email = `salle-t${n}@${SAMPLE_DOMAIN}`;
    control.addRoom({ email, displayName: `Salle T-${n}`, building: 'Bâtiment T', capacity: 12 });
    rooms.push(email);
  }
  const people = control
    .state()
    .users.filter((u) => u.purpose === 'user' && u.accountEnabled !== false)
    .map((u) => u.userPrincipalName!)
    .filter((u) => u.endsWith(`@${SAMPLE_DOMAIN}`));
  // Meetings spread over the rooms; within a room, one per 45-minute slot of the working days.
  const perRoom = Math.ceil(EVENTS / ROOMS);
  let made = 0;
  for (let k = 0; made < EVENTS; k++) {
    const room = rooms[k % ROOMS];
    const j = Math.floor(k / ROOMS);
    if (j >= perRoom) break;
    const day = 1 + Math.floor(j / 12);
    const start = workingDay(day, 7 * 60 + 45 * (j % 12));
    control.person(people[k % people.length]).createMeeting({
      subject: `Réunion ${k}`,
      start: start.toISOString(),
      end: new Date(start.getTime() + 45 * 60_000).toISOString(),
      rooms: [room],
    });
    made++;
  }
  const expected = rooms.reduce(
    (n, r) =>
      n +
      control.eventsOf(r).filter((e) => !e.isCancelled && e.responseStatus?.response !== 'declined').length,
    0,
  );
  say(
    `tenant: ${ROOMS} rooms, ${made} meetings (${expected} room copies) made in ${Math.round((Date.now() - t0) / 1000)} s; ${label}`,
  );

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
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    control.resetStats();
    const saveStarted = Date.now();
    const res = await fetch(`${proxy.url}/api/admin/integration`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        primaryDomain: SAMPLE_DOMAIN,
        clientId: SAMPLE_CLIENT_ID,
        clientSecret: SAMPLE_CLIENT_SECRET,
        defaultStoreId: null,
        defaultUserEmail: 'camille.martin@universite.test',
        ignoredTags: 'non-hector',
        enabled: true,
      }),
      signal: AbortSignal.timeout(1_800_000),
    });
    if (!res.ok) throw new Error(`saving the settings: ${res.status} ${(await res.text()).slice(0, 300)}`);
    const saved = Date.now() - saveStarted;
    say(
      `tenant: settings saved (rooms imported, ${ROOMS} + sample subscriptions made) in ${(saved / 1000).toFixed(1)} s`,
    );
    const tenantRooms = rooms.map((r) => r.toLowerCase());
    let loans = 0;
    for (let last = Date.now(); ; await sleep(2000)) {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(DISTINCT l.id) AS n FROM hector_loan l
           JOIN hector_loan_item i ON i.loan_id = l.id JOIN hector_place p ON p.id = i.place_id
          WHERE l.status = 'new' AND lower(p.email) = ANY($1)`,
        [tenantRooms],
      );
      const n = Number(rows[0].n);
      if (n !== loans) last = Date.now();
      loans = n;
      if (loans >= expected) break;
      if (Date.now() - last > 180_000) {
        say(`tenant: stalled at ${loans} of ${expected} loans for 3 minutes`);
        break;
      }
    }
    const elapsed = Date.now() - saveStarted;
    const stats = control.stats();
    say(
      `tenant: ${loans} of ${expected} loans ${(elapsed / 1000 / 60).toFixed(1)} min after the save (${Math.round(loans / (elapsed / 1000))} loans/s)`,
    );
    say(
      `tenant: Graph requests ${stats.requests} (${(stats.requests / Math.max(1, made)).toFixed(2)} per event; event GETs ${stats.eventGets}), 429s ${stats.throttled429} (MailboxConcurrency ${stats.concurrency429}), peak in flight per mailbox ${stats.peakInFlight}`,
    );
    say(
      `tenant: peak RSS per instance (MB): ${instances.map((i) => Math.round(i.peakRss() / 2 ** 20)).join(', ')}`,
    );
    say(await machineLine('after'));
  } finally {
    await db.end();
    await Promise.all(instances.map((i) => i.stop()));
    await proxy.close();
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`tenant bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
