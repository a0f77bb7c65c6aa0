/**
 * The inbound chaos run (test/component/inbound.chaos*.test.ts): every change delivered 4 times,
 * shuffled, in small batches, and 20 % of Graph calls answered 429; 50 meetings and their changes
 * must end with exactly one correct loan each. Plain notifications cost about one Graph GET per
 * change; rich ones (issue 18) almost none.
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { at, startStack, waitFor, type Stack } from './stack';
import type { Loan } from '../../contract/hector';

const SYNCED = [
  'salle-a001',
  'salle-a101',
  'salle-a102',
  'salle-a103',
  'salle-a201',
  'salle-a202',
  'salle-b001',
  'salle-b101',
  'salle-b102',
  'salle-b201',
  'salle-b202',
].map((r) => `${r}@universite.test`);

/** Starts the stack and waits for its activation backfill to be over. */
export async function startChaosStack(rich: boolean): Promise<Stack> {
  const stack = await startStack({
    label: rich ? 'inbound-chaos-rich' : 'inbound-chaos',
    ...(rich ? { env: { RICH_NOTIFICATIONS: 'on' } } : {}),
  });
  // Saving the settings starts a backfill that reads every room's calendar and hands its copies to
  // inbound without notifications; under load it could still run once the stats below are reset
  // and count its reads as the chaos run's (2.8 GETs per change seen on a loaded machine).
  const rooms = [...(await stack.places()).keys()];
  await waitFor(
    async () => {
      const passed = new Set((await stack.journal({ kind: 'rooms' })).map((e) => e.roomEmail?.toLowerCase()));
      return rooms.every((email) => passed.has(email.toLowerCase()));
    },
    { what: 'the backfill of every room', timeoutMs: 60_000 },
  );
  await waitFor(async () => (await stack.service.queue.size('inbound-room-event')) === 0, {
    what: 'the backfill jobs',
    timeoutMs: 60_000,
  });
  return stack;
}

/** Slot k: its own working day and hour, so that no two meetings ever share a room and a time. */
function slot(k: number): { start: string; end: string } {
  const day = 1 + (k % 20);
  const hour = 7 + Math.floor(k / 20);
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  return { start: at(day, hh(hour)), end: at(day, `${String(hour).padStart(2, '0')}:45`) };
}

interface Meeting {
  organizer: string;
  event: MSGraph.Event;
}

export interface ChaosFigures {
  changes: number;
  /** Event GETs (reads, lists, delta) per change, 429s left out. */
  getsPerChange: number;
  /** GETs of one event per create or update (not throttled; the 404s of deleted copies left out). */
  readsPerChange: number;
  throttled429: number;
}

/** Runs the chaos and waits for convergence (throws with the mismatches otherwise). */
export async function runInboundChaos(stack: Stack): Promise<ChaosFigures> {
  const control = stack.emulator.control;
  const people = control
    .state()
    .users.filter((u) => u.purpose === 'user' && u.accountEnabled !== false)
    .map((u) => u.userPrincipalName!)
    .filter((u) => u.endsWith('@universite.test'));
  control.resetStats();
  control.setFaults({
    rate429: 0.2,
    retryAfterSeconds: 0,
    notifications: {
      duplicates: { min: 4, max: 4 },
      reorderWindow: 16,
      maxBatch: 7,
      delayMs: 0,
      dropRate: 0,
    },
  });

  const meetings: Meeting[] = [];
  for (let i = 0; i < 50; i++) {
    const organizer = people[i % people.length];
    const rooms = [SYNCED[i % 11], ...(i % 3 === 0 ? [SYNCED[(i + 4) % 11]] : [])];
    const event = control.person(organizer).createMeeting({ subject: `Réunion ${i}`, ...slot(i), rooms });
    meetings.push({ organizer, event });
  }
  // Changes, some while the creations are still being delivered.
  for (let i = 0; i < 50; i++) {
    const { organizer, event } = meetings[i];
    const who = control.person(organizer);
    if (i % 5 === 0) who.moveMeeting(event.id!, slot(50 + i));
    if (i % 5 === 1) who.changeRooms(event.id!, [SYNCED[i % 11], SYNCED[(i + 5) % 11]]);
    if (i % 5 === 2 && i % 10 === 2) who.cancelMeeting(event.id!);
    if (i % 5 === 3) {
      who.moveMeeting(event.id!, slot(50 + i));
      who.changeRooms(event.id!, [SYNCED[(i + 2) % 11]]);
    }
    if (i % 5 === 2 && i % 10 === 7) who.moveMeeting(event.id!, slot(50 + i));
  }
  await control.flushNotifications();

  /** The truth, from Exchange: each meeting's synced rooms still holding a copy, and its times. */
  const truth = meetings.map(({ organizer, event }) => {
    const copies = control.findEventsByICalUId(event.iCalUId!);
    const roomCopies = copies.filter((c) => SYNCED.includes(c.mailbox.toLowerCase()));
    const organizerCopy = copies.find((c) => c.mailbox.toLowerCase() === organizer)?.event;
    return {
      iCalUId: event.iCalUId!,
      organizer,
      rooms: roomCopies.map((c) => c.mailbox.toLowerCase()).sort(),
      start: organizerCopy ? new Date(`${organizerCopy.start!.dateTime!}Z`).toISOString() : null,
      end: organizerCopy ? new Date(`${organizerCopy.end!.dateTime!}Z`).toISOString() : null,
    };
  });

  const mismatches = async (): Promise<string[]> => {
    const loans = new Map((await stack.loans()).map((l) => [l.id, l]));
    const journal = await stack.journal({ limit: '1000' });
    const problems: string[] = [];
    for (const t of truth) {
      const ids = new Set(journal.filter((e) => e.iCalUId === t.iCalUId && e.loanId).map((e) => e.loanId!));
      // A meeting cancelled before any of its notifications was handled may never have had a loan.
      if (t.rooms.length === 0 && ids.size === 0) continue;
      if (ids.size !== 1) {
        problems.push(`${t.iCalUId}: ${ids.size} loans`);
        continue;
      }
      const loan = loans.get([...ids][0]) as Loan;
      const rooms = loan.items
        .filter((i) => i.status === 'active')
        .map((i) => i.email!)
        .sort();
      if (t.rooms.length === 0) {
        if (loan.status !== 'cancelled') problems.push(`${t.iCalUId}: should be cancelled`);
        continue;
      }
      if (loan.status !== 'new') problems.push(`${t.iCalUId}: status ${loan.status}`);
      if (rooms.join() !== t.rooms.join()) problems.push(`${t.iCalUId}: rooms ${rooms} ≠ ${t.rooms}`);
      if (loan.start !== t.start || loan.end !== t.end)
        problems.push(`${t.iCalUId}: dates ${loan.start}–${loan.end} ≠ ${t.start}–${t.end}`);
      if (loan.requester.email !== t.organizer)
        problems.push(`${t.iCalUId}: requester ${loan.requester.email}`);
    }
    const linked = new Set(journal.filter((e) => e.loanId).map((e) => e.loanId));
    if (loans.size !== linked.size) problems.push(`${loans.size} loans, ${linked.size} linked to meetings`);
    return problems;
  };

  let last: string[] = [];
  await waitFor(
    async () => {
      last = await mismatches();
      return last.length === 0;
    },
    { timeoutMs: 60_000, intervalMs: 250, what: 'convergence' },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${last.slice(0, 10).join('\n')}`);
  });

  const stats = control.stats();
  // Distinct changes = deliveries of notifications / 4 (every change is delivered 4 times).
  const changes = stats.notificationsDelivered / 4;
  const successfulGets = stats.eventGets - stats.throttled429;
  const perChange = successfulGets / changes;
  const byType = stats.deliveredByChangeType;
  const createsAndUpdates = ((byType.created ?? 0) + (byType.updated ?? 0)) / 4;
  // A deleted change carries no copy: its read (a 404) is what it costs, rich or plain.
  const readsPerChange = (stats.eventReads - stats.eventReadsNotFound) / createsAndUpdates;
  process.stdout.write(
    `chaos: ${changes} changes, ${stats.eventGets} event GETs (${stats.throttled429} answered 429), ` +
      `${perChange.toFixed(2)} GETs per change (${(stats.eventGets / changes).toFixed(2)} with the 429s), ` +
      `${stats.eventReads} reads of one event (${stats.eventReadsNotFound} of gone copies), ` +
      `${readsPerChange.toFixed(3)} reads per create or update\n`,
  );
  return { changes, getsPerChange: perChange, readsPerChange, throttled429: stats.throttled429 };
}
