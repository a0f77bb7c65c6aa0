import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { ADMIN, at, startStack, waitFor } from '../support/stack';

/**
 * `npm run bench -- inbound [meetings] [pace-ms] [rooms] [--rich] [--latency=ms]`: people create
 * meetings in the emulator's room calendars; for each, the time from the emulator's change to the
 * loan committed in Hector (loan.createdAt − the instant just before the change), p50 / p99, and
 * the Graph requests per change (the emulator counts them). Set DATABASE_URL to run it on PostgreSQL.
 *
 * `--rich` (issue 18): the same meetings twice, on a fresh stack each, plain notifications then
 * rich ones (RICH_NOTIFICATIONS=on), with the emulator adding `--latency` (default 120 ms with
 * --rich, else 0) to every Graph request, as a real tenant's round trip does.
 *
 * The sample tenant has 11 synced rooms; the bench adds rooms in the emulator (control.addRoom) up
 * to `rooms` (50) and has the service import them and subscribe to them (admin "sync now").
 */
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const MEETINGS = Number(positional[0] ?? 1000);
const PACE_MS = Number(positional[1] ?? 10);
const ROOMS = Number(positional[2] ?? 50);
const RICH = flags.includes('--rich');
const LATENCY_MS = Number(flags.find((f) => f.startsWith('--latency='))?.split('=')[1] ?? (RICH ? 120 : 0));

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function main(): Promise<void> {
  const runs = RICH ? [false, true] : [false];
  const lines: string[] = [];
  for (const rich of runs) lines.push(...(await runOnce(rich)));
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function runOnce(rich: boolean): Promise<string[]> {
  const stack = await startStack({
    label: rich ? 'bench-inbound-rich' : 'bench-inbound',
    env: { LOG_LEVEL: 'silent', RICH_NOTIFICATIONS: rich ? 'on' : 'off' },
  });
  try {
    const control = stack.emulator.control;
    const missing = ROOMS - (await stack.places()).size;
    for (let i = 1; i <= missing; i++) {
      const n = String(i).padStart(3, '0');
      control.addRoom({
        email: `salle-c${n}@universite.test`,
        displayName: `Salle C-${n}`,
        building: 'Bâtiment C',
        capacity: 20,
        floorNumber: Math.floor(i / 10),
      });
    }
    if (missing > 0) {
      const sync = await request(stack.service.url).post('/api/admin/integration/sync').set(ADMIN);
      if (sync.status !== 200 || sync.body.error)
        throw new Error(`room sync failed: ${sync.status} ${sync.text}`);
    }
    const rooms = [...(await stack.places()).keys()].sort().slice(0, ROOMS);
    const subscribed = control.subscriptions().length;
    if (rooms.length < ROOMS || subscribed < ROOMS)
      throw new Error(`expected ${ROOMS} synced rooms: ${rooms.length} places, ${subscribed} subscriptions`);
    const people = control
      .state()
      .users.filter((u) => u.purpose === 'user' && u.accountEnabled !== false)
      .map((u) => u.userPrincipalName!);
    // The activation backfill is over before the clock of the run starts.
    await waitFor(async () => (await stack.service.queue.size('inbound-room-event')) === 0, {
      timeoutMs: 120_000,
      what: 'the backfill',
    });
    control.setFaults({ latencyMs: LATENCY_MS });
    control.resetStats();

    // Meeting i: room i % rooms, its own half hour on a working day (no two meetings collide).
    const changedAt = new Map<string, number>(); // `${room}|${start}` → epoch ms before the change
    const started = performance.now();
    for (let i = 0; i < MEETINGS; i++) {
      const room = rooms[i % rooms.length];
      const n = Math.floor(i / rooms.length);
      const day = 1 + Math.floor(n / 16);
      const minutes = 7 * 60 + (n % 16) * 30;
      const hhmm = (m: number) =>
        `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      const start = at(day, hhmm(minutes));
      changedAt.set(`${room}|${start}`, Date.now());
      control.person(people[i % people.length]).createMeeting({
        subject: `Bench ${i}`,
        start,
        end: at(day, hhmm(minutes + 30)),
        rooms: [room],
      });
      if (PACE_MS > 0) await new Promise((r) => setTimeout(r, PACE_MS));
    }
    const offeredIn = (performance.now() - started) / 1000;
    await control.flushNotifications();
    const loans = await waitFor(
      async () => {
        const all = await stack.loans();
        return all.length >= MEETINGS ? all : undefined;
      },
      { timeoutMs: 300_000, intervalMs: 500, what: `${MEETINGS} loans` },
    );
    const elapsed = (performance.now() - started) / 1000;

    const latencies: number[] = [];
    for (const loan of loans as Array<{
      start: string;
      createdAt: string;
      items: Array<{ email: string | null }>;
    }>) {
      const t0 = changedAt.get(`${loan.items[0].email}|${loan.start}`);
      if (t0 !== undefined) latencies.push(Date.parse(loan.createdAt) - t0);
    }
    latencies.sort((a, b) => a - b);
    const stats = control.stats();
    const changes = MEETINGS; // one room each: one room-copy change per meeting
    return [
      `inbound bench (${rich ? 'rich' : 'plain'} notifications, +${LATENCY_MS} ms per Graph request) on ${stack.service.database.kind}: ${MEETINGS} meetings over ${rooms.length} rooms, one every ${PACE_MS} ms`,
      `  meetings created in ${offeredIn.toFixed(1)} s (${(MEETINGS / offeredIn).toFixed(0)} /s offered)`,
      `  loans: ${loans.length} in ${elapsed.toFixed(1)} s (${(loans.length / elapsed).toFixed(0)} /s)`,
      `  change → loan committed: min ${latencies[0]} ms, p10 ${percentile(latencies, 10)} ms, p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies[latencies.length - 1]} ms`,
      `  Graph requests per change: ${(stats.requests / changes).toFixed(2)} (event GETs ${(stats.eventGets / changes).toFixed(2)}, reads of one event ${(stats.eventReads / changes).toFixed(2)}, 429s ${stats.throttled429})`,
    ];
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
