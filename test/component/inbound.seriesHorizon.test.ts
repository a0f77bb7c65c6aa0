import request from 'supertest';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { settled } from '../support/settled';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';
import type { Loan, Store } from '../../contract/hector';

// B3, the rolling horizon and robustness: a long series gets loans only inside the booking
// window, the daily pass adds the ones entering it as the clock moves and drops none, and
// duplicated, reordered notifications plus a reconcile leave exactly one loan per occurrence.
jest.setTimeout(90_000);
const A201 = 'salle-a201@universite.test';
const B201 = 'salle-b201@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const DAY = 86_400_000;
const WINDOW_DAYS = 30;

let stack: Stack;
// The service's business clock follows the emulator's when a test moves it.
let offsetMs = 0;
beforeAll(async () => {
  stack = await startStack({
    label: 'series-horizon',
    service: { now: () => new Date(Date.now() + offsetMs) },
    // Every change delivered two to three times, in shuffled order (GRAPH-FACTS "Notifications").
    faults: {
      notifications: {
        duplicates: { min: 2, max: 3 },
        reorderWindow: 4,
        delayMs: 0,
        dropRate: 0,
        maxBatch: 50,
      },
    },
  });
  // Exchange takes a year-long series in this room; Hector's store lends 30 days ahead.
  stack.emulator.control.updateRoom(A201, { bookingWindowInDays: 400 });
  const store = (await request(stack.service.url).get('/api/hector/stores').set(ADMIN).expect(200)).body
    .items as Store[];
  const main = store.find((s) => s.isDefault) ?? store[0];
  await request(stack.service.url)
    .patch(`/api/hector/stores/${main.id}`)
    .set(ADMIN)
    .send({ bookingWindowDays: WINDOW_DAYS })
    .expect(200);
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const person = (upn: string) => stack.emulator.control.person(upn);
const now = () => Date.now() + offsetMs;
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const liveLoans = async (room: string): Promise<Loan[]> =>
  (await stack.loansOfRoom(room)).filter((l) => l.status !== 'cancelled' && l.status !== 'refused');
const reconcile = () =>
  request(stack.service.url).post('/api/admin/integration/reconcile').set(ADMIN).send({}).expect(200);
const startOf = (e: MSGraph.Event) => new Date(`${e.start!.dateTime!.replace(/Z?$/, 'Z')}`).getTime();

/** Occurrences Hector can lend now: ending inside the store's window, starting ahead. */
function lendable(series: MSGraph.Event): string[] {
  const all = person(HUGO).occurrences(
    series.id!,
    new Date(now() - DAY).toISOString(),
    new Date(now() + 400 * DAY).toISOString(),
  );
  return all
    .filter((e) => startOf(e) + 3_600_000 <= now() + WINDOW_DAYS * DAY && startOf(e) > now())
    .map((e) => new Date(startOf(e)).toISOString());
}

describe('B3: duplicates, reordering and a reconcile pass', () => {
  it('B3: duplicated, reordered notifications of a series and its edits, then a reconcile → exactly one loan per occurrence', async () => {
    // Three days from the service's now, 15:00 UTC.
    const day = new Date(now() + 3 * DAY);
    day.setUTCHours(15, 0, 0, 0);
    const first = day.toISOString();
    const series = person(HUGO).createMeeting({
      subject: 'Réunion bruyante',
      start: first,
      end: plus(first, 3_600_000),
      rooms: [B201],
      recurrence: {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'numbered', numberOfOccurrences: 5, startDate: first.slice(0, 10) },
      },
    });
    // Edits in quick succession: a new title, the series an hour later.
    person(HUGO).updateMeeting(series.id!, { subject: 'Réunion bruyante (2)' });
    person(HUGO).updateMeeting(series.id!, {
      start: plus(first, 3_600_000),
      end: plus(first, 7_200_000),
    });
    const occurrences = person(HUGO).occurrences(
      series.id!,
      new Date(now() - DAY).toISOString(),
      new Date(now() + 60 * DAY).toISOString(),
    );
    const lendableStarts = occurrences
      .map((e) => new Date(startOf(e)).toISOString())
      .filter((s) => ![0, 6].includes(new Date(s).getUTCDay()));
    await waitFor(
      async () => {
        const starts = (await liveLoans(B201)).map((l) => l.start).sort();
        return JSON.stringify(starts) === JSON.stringify([...lendableStarts].sort());
      },
      { what: 'one loan per weekday occurrence, an hour later', timeoutMs: 30_000 },
    );
    await reconcile();
    await settled(stack);
    const live = await liveLoans(B201);
    expect(live.map((l) => l.start).sort()).toEqual([...lendableStarts].sort());
    // No churn from the time move either: no loan of this series was cancelled and made again.
    const all = await stack.loansOfRoom(B201);
    expect(all.filter((l) => l.status === 'cancelled')).toEqual([]);
  });
});

// Last: it moves the clock by a week (subscriptions expire meanwhile; the reconcile covers that).
describe('B3: the rolling horizon', () => {
  it('B3: a weekday series for a year → loans only inside the window; the next ones appear as the clock moves, none dropped', async () => {
    const first = at(1, '08:00');
    const series = person(HUGO).createMeeting({
      subject: 'Permanence quotidienne',
      start: first,
      end: plus(first, 3_600_000),
      rooms: [A201],
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
        },
        range: {
          type: 'endDate',
          startDate: first.slice(0, 10),
          endDate: new Date(Date.parse(first) + 360 * DAY).toISOString().slice(0, 10),
        },
      },
    });
    const expected = lendable(series);
    expect(expected.length).toBeGreaterThanOrEqual(18);
    const loans = await waitFor(
      async () => {
        const live = await liveLoans(A201);
        return live.length >= expected.length ? live : undefined;
      },
      { what: `${expected.length} loans in the window`, timeoutMs: 30_000 },
    );
    await settled(stack);
    expect((await liveLoans(A201)).map((l) => l.start).sort()).toEqual(expected);
    const before = new Map(loans.map((l) => [l.id, l.number]));

    // A week later, the daily pass (the reconcile's fresh full pass) adds the week entering the window.
    stack.emulator.control.clock.advance(7 * DAY);
    offsetMs += 7 * DAY;
    await reconcile();
    const later = lendable(series);
    await waitFor(
      async () => {
        const starts = new Set((await liveLoans(A201)).map((l) => l.start));
        return later.every((s) => starts.has(s));
      },
      { what: 'the loans of the week entering the window', timeoutMs: 30_000 },
    );
    await settled(stack);
    const after = await stack.loansOfRoom(A201);
    // Nothing that was in Hector is dropped: every earlier loan keeps its number, none is cancelled.
    for (const [id, number] of before) {
      const loan = after.find((l) => l.id === id);
      expect(loan?.number).toBe(number);
      expect(loan?.status).not.toBe('cancelled');
    }
    // Exactly one loan per occurrence.
    const starts = after.map((l) => l.start);
    expect(new Set(starts).size).toBe(starts.length);
  });
});
