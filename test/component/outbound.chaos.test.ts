import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import request from 'supertest';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { startEmulator, SAMPLE_DOMAIN, type RunningEmulator } from '../../emulator';
import { HECTOR_LOAN_ID_PROPERTY_ID } from '../../server/sync/outbound/rules';
import { TEST_ADMIN_TOKEN } from '../support/service';
import { ADMIN, at, DEFAULT_USER, sampleSettings, waitFor } from '../support/stack';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

// Flow 5 under faults: 30 % of Graph writes answered 503 or 429, and the service killed with
// SIGKILL once while it pushes — 100 loans made in Hector end with exactly 100 events. The service
// runs as a child process (a real SIGKILL, no graceful stop), restarted on the same storage.
// A hang guard, not a speed target: on a loaded 2-core machine these runs took up to 130 s.
jest.setTimeout(240_000);
const LOANS = 100;
let emulator: RunningEmulator;
let storage: TestStorage;
let child: ChildProcess | undefined;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });

function startChild(port: number): Promise<{ process: ChildProcess; url: string }> {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, '../support/outboundService.ts')],
    {
      env: {
        ...process.env,
        ...storage.env,
        NODE_OPTIONS: '',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        GRAPH_BASE_URL: emulator.graphUrl,
        AUTHORITY_URL: emulator.authorityUrl,
        ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        TEST_MODE: 'true',
        SHUTDOWN_TIMEOUT_MS: '2000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /LISTENING (\S+)/.exec(out);
      if (match) resolve({ process: proc, url: match[1] });
    });
    proc.once('exit', (code) => reject(new Error(`service exited early (${code}): ${out}`)));
  });
}

async function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, tls: false, seed: 'sample' });
  storage = await createTestStorage('outbound-chaos');
}, 60_000);

afterAll(async () => {
  if (child) await kill(child);
  await emulator?.close();
  await storage?.drop();
});

it('HC1 chaos: 30 % of writes fail with 503/429 and the service is SIGKILLed once → 100 loans, exactly 100 events', async () => {
  const port = await freePort();
  let started = await startChild(port);
  child = started.process;
  const url = started.url;
  const saved = await request(url).put('/api/admin/integration').set(ADMIN).send(sampleSettings());
  expect(saved.status).toBe(200);
  const places = (await request(url).get('/api/hector/places').set(ADMIN).expect(200)).body.items.filter(
    (p: { synced: boolean; email: string | null }) => p.synced && p.email,
  ) as Array<{ id: string; email: string }>;
  const people = emulator.control
    .state()
    .users.filter(
      (u) => u.purpose === 'user' && u.accountEnabled !== false && u.mail?.endsWith(`@${SAMPLE_DOMAIN}`),
    )
    .map((u) => u.mail!.toLowerCase())
    .slice(0, 8);

  // 30 % of writes (POST, PATCH, DELETE) answered 503 or 429; Retry-After 0 so the test stays short.
  const writes = ['POST', 'PATCH', 'DELETE'].map((method) => ({ method, rate503: 0.15, rate429: 0.15 }));
  emulator.control.setFaults({ rules: writes, retryAfterSeconds: 0, latencyMs: 20 });
  emulator.control.resetStats();

  const mailboxes = [...new Set([...people, DEFAULT_USER])];
  const organizerEvents = (): MSGraph.Event[] =>
    mailboxes.flatMap((m) =>
      emulator.control
        .eventsOf(m)
        .filter(
          (e) =>
            e.isOrganizer &&
            e.singleValueExtendedProperties?.some((p) => p.id === HECTOR_LOAN_ID_PROPERTY_ID),
        ),
    );

  const bodies = Array.from({ length: LOANS }, (_, i) => ({
    requester: { email: people[i % people.length] },
    // One room per loan and day: (room, day) pairs never repeat, so every room accepts.
    start: at(1 + Math.floor(i / places.length), '09:00'),
    end: at(1 + Math.floor(i / places.length), '10:00'),
    items: [{ kind: 'place', id: places[i % places.length].id }],
  }));
  interface LoanRow {
    id: string;
    start: string;
    status: string;
    items: Array<{ id: string }>;
  }
  const listLoans = async (base: string): Promise<LoanRow[]> =>
    (await request(base).get('/api/hector/loans').query({ limit: '5000' }).set(ADMIN).expect(200)).body.items;
  /** Creates the loans not made yet, 5 at a time; stops quietly when the service dies under it. */
  const createMissing = async (base: string): Promise<void> => {
    const have = new Set((await listLoans(base)).map((l) => `${l.items[0].id}|${l.start}`));
    const missing = bodies.filter((b) => !have.has(`${b.items[0].id}|${b.start}`));
    for (let i = 0; i < missing.length; i += 5) {
      const answers = await Promise.allSettled(
        missing.slice(i, i + 5).map((b) => request(base).post('/api/hector/loans').set(ADMIN).send(b)),
      );
      if (answers.some((a) => a.status === 'rejected')) return; // killed: a restart finishes the job
      for (const a of answers) if (a.status === 'fulfilled') expect(a.value.status).toBe(201);
    }
  };

  // Loans go in while events are being written; once some exist, SIGKILL — mid-way through both.
  const creating = createMissing(url);
  await waitFor(async () => organizerEvents().length >= 15, {
    timeoutMs: 30_000,
    intervalMs: 5,
    what: '15 events',
  });
  await kill(child);
  await creating;
  const atKill = organizerEvents().length;
  expect(atKill).toBeLessThan(LOANS);

  started = await startChild(port);
  child = started.process;
  await createMissing(started.url);
  const loanIds = (await listLoans(started.url)).map((l) => l.id);
  expect(loanIds).toHaveLength(LOANS);
  const loanOf = (e: MSGraph.Event) =>
    e.singleValueExtendedProperties!.find((p) => p.id === HECTOR_LOAN_ID_PROPERTY_ID)!.value!;
  await waitFor(async () => new Set(organizerEvents().map(loanOf)).size === LOANS, {
    timeoutMs: 60_000,
    what: `${LOANS} loans with an event`,
  });
  emulator.control.flushNotifications();
  await new Promise((r) => setTimeout(r, 1500)); // late retries, if any, would show up here

  const events = organizerEvents();
  const stats = emulator.control.stats();
  process.stdout.write(
    `outbound chaos: ${events.length} events for ${LOANS} loans (${atKill} before the kill); ` +
      `${stats.writes} writes, ${stats.injected503} × 503, ${stats.throttled429} × 429\n`,
  );
  expect(events).toHaveLength(LOANS);
  expect(new Set(events.map(loanOf))).toEqual(new Set(loanIds));
  expect(stats.injected503 + stats.throttled429).toBeGreaterThan(0);
  // Every room holds its copy, once.
  for (const e of events) {
    const room = e.attendees![0].emailAddress!.address!;
    expect(emulator.control.eventsOf(room).filter((c) => c.iCalUId === e.iCalUId)).toHaveLength(1);
  }
  const loans = await listLoans(started.url);
  expect(loans.filter((l) => l.status === 'new')).toHaveLength(LOANS);
});
