import request from 'supertest';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { settled } from '../support/settled';
import { ADMIN, at, DEFAULT_USER, startStack, waitFor, type Stack } from '../support/stack';
import type { Loan } from '../../contract/hector';
import { isRoomSubscription } from '../support/roomSubscription';

// B3, Outlook → Hector: one occurrence of a room series with other rooms than the series'. The
// organizer changes that occurrence's rooms in the emulator as in Outlook; the room added gets
// the occurrence alone (an orphan instance, its own event with the occurrence's iCalUId), the
// room left out loses it (notified on its series). The test reads the loans through /api/hector
// and the journal through /api/admin/journal.
jest.setTimeout(90_000);
let stack: Stack;
const A = 'salle-a101@universite.test';
const B = 'salle-a102@universite.test';
const C = 'salle-a103@universite.test';
const D = 'salle-a201@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const LEA = 'lea.dubois@universite.test';
/** Disabled in the sample tenant: V1 books for the default user. */
const PAUL = 'paul.morel@universite.test';
const B2 = 'salle-b101@universite.test';
const B3 = 'salle-b102@universite.test';
const B4 = 'salle-b201@universite.test';
const A0 = 'salle-a001@universite.test';

beforeAll(async () => {
  stack = await startStack({ label: 'inbound-series-rooms' });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const person = (upn: string) => stack.emulator.control.person(upn);
const control = () => stack.emulator.control;
const subscriptionOf = (room: string): string =>
  control().state().subscriptions.find(isRoomSubscription(control(), room))!.id!;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const dayOf = (iso: string) => WEEKDAYS[new Date(iso).getUTCDay()];
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const weeklyOf = (start: string, count: number): MSGraph.PatternedRecurrence => ({
  pattern: { type: 'weekly', interval: 1, daysOfWeek: [dayOf(start)] },
  range: { type: 'numbered', numberOfOccurrences: count, startDate: start.slice(0, 10) },
});

function weekly(organizer: string, subject: string, start: string, count: number, rooms: string[]) {
  return person(organizer).createMeeting({
    subject,
    start,
    end: plus(start, HOUR),
    rooms,
    recurrence: weeklyOf(start, count),
  });
}

function occurrencesOf(organizer: string, series: MSGraph.Event): MSGraph.Event[] {
  const from = new Date(Date.now() - DAY).toISOString();
  const to = new Date(Date.now() + 365 * DAY).toISOString();
  return person(organizer).occurrences(series.id!, from, to);
}

async function loanById(id: string): Promise<Loan> {
  return (await request(stack.service.url).get(`/api/hector/loans/${id}`).set(ADMIN).expect(200))
    .body as Loan;
}

async function loanOf(iCalUId: string): Promise<Loan> {
  return waitFor(
    async () => {
      const loanId = (await stack.journal({ iCalUId })).find((e) => e.loanId)?.loanId;
      return loanId ? loanById(loanId) : undefined;
    },
    { what: `the loan of ${iCalUId}` },
  );
}

const roomsOf = (loan: Loan): string[] =>
  loan.items
    .filter((i) => i.kind === 'place' && i.status === 'active')
    .map((i) => i.email!)
    .sort();

/** Waits until the loan's active rooms are `rooms`. */
const loanWithRooms = (id: string, rooms: string[]): Promise<Loan> =>
  waitFor(
    async () => {
      const loan = await loanById(id);
      return roomsOf(loan).join() === [...rooms].sort().join() ? loan : undefined;
    },
    { what: `loan ${id} in ${rooms.join(' + ')}` },
  );

const untouched = (loan: Loan) => ({
  id: loan.id,
  number: loan.number,
  version: loan.version,
  status: loan.status,
  start: loan.start,
  rooms: roomsOf(loan),
});

describe('B3: other rooms for one occurrence, Outlook → Hector', () => {
  it('B3: a room added to one occurrence joins its loan, a room replaced in another moves that loan; the other loans are untouched; a new pattern drops the exceptions', async () => {
    const first = at(3, '14:00');
    const series = weekly(HUGO, 'Atelier', first, 4, [A]);
    const occurrences = occurrencesOf(HUGO, series);
    expect(occurrences).toHaveLength(4);
    const before: Loan[] = [];
    for (const occ of occurrences) before.push(await loanOf(occ.iCalUId!));
    await settled(stack);
    const snapshot = await Promise.all(before.map((l) => loanById(l.id)));

    // Occurrence 2 gets room B as well: its loan gains B, same id and number.
    person(HUGO).changeRooms(occurrences[1].id!, [A, B]);
    const second = await loanWithRooms(before[1].id, [A, B]);
    expect(second).toMatchObject({ number: before[1].number, status: 'new', start: before[1].start });
    await settled(stack);

    // Occurrence 3 moves from A to B, and B's notification is lost: A's series pass sees the
    // occurrence gone while B's copy is still unknown — it must not cancel the loan (the
    // organizer's occurrence shows it in B, accepted). B's copy, found by the next reconcile of B,
    // then moves the loan to B only: same id and number, never cancelled.
    const passes = async () => (await stack.journal({ iCalUId: series.iCalUId!, kind: 'series' })).length;
    const passesBefore = await passes();
    control().setFaults({
      subscriptionNotifications: { [subscriptionOf(B)]: { dropRate: 1 } },
    });
    try {
      person(HUGO).changeRooms(occurrences[2].id!, [B]);
      await waitFor(async () => (await passes()) > passesBefore, { what: "A's series pass" });
      await settled(stack);
    } finally {
      control().resetFaults();
    }
    expect((await loanById(before[2].id)).status).toBe('new');
    await request(stack.service.url)
      .post('/api/admin/integration/reconcile')
      .set(ADMIN)
      .send({ roomEmail: B })
      .expect(200);
    const third = await loanWithRooms(before[2].id, [B]);
    expect(third).toMatchObject({ number: before[2].number, status: 'new', start: before[2].start });
    expect(third.items.find((i) => i.email === A)?.status).toBe('cancelled');
    const journal3 = await stack.journal({ iCalUId: occurrences[2].iCalUId! });
    expect(journal3.filter((e) => e.kind === 'cancelled')).toEqual([]);
    await settled(stack);

    // Loans 1 and 4 never moved (same version); 2 and 3 are as left; nothing else was booked.
    for (const i of [0, 3]) expect(untouched(await loanById(before[i].id))).toEqual(untouched(snapshot[i]));
    expect(roomsOf(await loanById(before[1].id))).toEqual([A, B].sort());
    expect(roomsOf(await loanById(before[2].id))).toEqual([B]);
    const inB = (await stack.loansOfRoom(B)).filter((l) => l.status !== 'cancelled');
    expect(inB.map((l) => l.id).sort()).toEqual([before[1].id, before[2].id].sort());
    // The journal says what happened to each, under its occurrence.
    const journal2 = await stack.journal({ iCalUId: occurrences[1].iCalUId!, kind: 'updated' });
    expect(journal2.length).toBeGreaterThan(0);

    // A new pattern (one day later) drops the exceptions: the old occurrences are gone (their
    // loans cancelled, those in B too), the new ones are booked in the series' room A only.
    const moved = plus(first, DAY);
    person(HUGO).updateMeeting(series.id!, {
      start: moved,
      end: plus(moved, HOUR),
      recurrence: weeklyOf(moved, 4),
    });
    for (const l of before) {
      await waitFor(async () => (await loanById(l.id)).status === 'cancelled', {
        what: `loan #${l.number} cancelled with its occurrence`,
      });
    }
    const after = occurrencesOf(HUGO, series);
    expect(after.map((o) => o.type)).toEqual(['occurrence', 'occurrence', 'occurrence', 'occurrence']);
    const newLoans: Loan[] = [];
    for (const occ of after) newLoans.push(await loanOf(occ.iCalUId!));
    await settled(stack);
    for (const [i, l] of newLoans.entries()) {
      const now = await loanById(l.id);
      expect(roomsOf(now)).toEqual([A]);
      expect(now.start).toBe(plus(moved, i * 7 * DAY));
      expect(now.status).toBe('new');
    }
    expect((await stack.loansOfRoom(B)).filter((l) => l.status !== 'cancelled')).toEqual([]);
  });

  it('B3: a room added to one occurrence that is busy then declines it: the loan keeps its other room and the journal says why', async () => {
    const first = at(4, '10:00');
    const series = weekly(HUGO, 'Réunion', first, 4, [C]);
    const occurrences = occurrencesOf(HUGO, series);
    const before: Loan[] = [];
    for (const occ of occurrences) before.push(await loanOf(occ.iCalUId!));
    // Room D is taken at occurrence 2's hour by another meeting (with a loan of its own).
    const blocker = person(LEA).createMeeting({
      subject: 'Soutenance',
      start: plus(first, 7 * DAY),
      end: plus(first, 7 * DAY + HOUR),
      rooms: [D],
    });
    const blockerLoan = await loanOf(blocker.iCalUId!);
    await settled(stack);
    const snapshot = await Promise.all(before.map((l) => loanById(l.id)));

    person(HUGO).changeRooms(occurrences[1].id!, [C, D]);
    const why = await waitFor(
      async () =>
        (await stack.journal({ iCalUId: occurrences[1].iCalUId! })).find((e) => /A-201/.test(e.message)),
      { what: 'the journal line saying D declined' },
    );
    expect(why.message).toMatch(/refus|declin/i);
    await settled(stack);
    // In Exchange: D declined that occurrence only; the organizer sees it on that occurrence.
    const orgOcc = occurrencesOf(HUGO, series)[1];
    expect(orgOcc.attendees?.find((a) => a.emailAddress?.address === D)?.status?.response).toBe('declined');
    // In Hector: loan 2 keeps C only, the others are untouched, D's booking is the blocker's.
    for (const i of [0, 1, 2, 3])
      expect(untouched(await loanById(before[i].id))).toEqual(untouched(snapshot[i]));
    const inD = (await stack.loansOfRoom(D)).filter((l) => l.status !== 'cancelled');
    expect(inD.map((l) => l.id)).toEqual([blockerLoan.id]);
  });

  it("B3 V1: the requester of an occurrence is its series organizer's (Exchange gives an occurrence no other organizer): a disabled organizer → every loan the default user's, an occurrence with another room too", async () => {
    const first = at(5, '16:00');
    const series = weekly(PAUL, 'Permanence', first, 3, [B2]);
    const occurrences = occurrencesOf(PAUL, series);
    const before: Loan[] = [];
    for (const occ of occurrences) before.push(await loanOf(occ.iCalUId!));
    expect(before.map((l) => l.requester.email)).toEqual([DEFAULT_USER, DEFAULT_USER, DEFAULT_USER]);
    person(PAUL).changeRooms(occurrences[1].id!, [B2, B3]);
    const second = await loanWithRooms(before[1].id, [B2, B3]);
    expect(second).toMatchObject({ number: before[1].number, requester: { email: DEFAULT_USER } });
    const why = (await stack.journal({ iCalUId: occurrences[1].iCalUId! })).map((e) => e.message).join('\n');
    expect(why).toContain(PAUL);
  });

  it('B3 HU1: one occurrence’s loan given another room in Hector → that occurrence in the organizer’s calendar lists it, the room holds it alone; no churn', async () => {
    const first = at(6, '15:00');
    const series = weekly(LEA, 'Séminaire', first, 3, [A0]);
    const occurrences = occurrencesOf(LEA, series);
    const before: Loan[] = [];
    for (const occ of occurrences) before.push(await loanOf(occ.iCalUId!));
    await settled(stack);
    const snapshot = await Promise.all(before.map((l) => loanById(l.id)));
    const places = await stack.places();
    await request(stack.service.url)
      .patch(`/api/hector/loans/${before[1].id}`)
      .set(ADMIN)
      .send({
        items: [
          { kind: 'place', id: places.get(A0)!.id },
          { kind: 'place', id: places.get(B4)!.id },
        ],
      })
      .expect(200);
    const exception = await waitFor(
      async () => {
        const occ = occurrencesOf(LEA, series)[1];
        const rooms = (occ.attendees ?? []).map((a) => a.emailAddress?.address).sort();
        return occ.type === 'exception' && rooms.join() === [A0, B4].sort().join() ? occ : undefined;
      },
      { what: 'the second occurrence in both rooms' },
    );
    expect(exception.attendees?.find((a) => a.emailAddress?.address === B4)?.status?.response).toBe(
      'accepted',
    );
    const orphan = person(B4)
      .events()
      .find((e) => e.iCalUId === occurrences[1].iCalUId);
    expect(orphan).toMatchObject({ type: 'exception', seriesMasterId: null });
    await settled(stack);
    const second = await loanById(before[1].id);
    expect(roomsOf(second)).toEqual([A0, B4].sort());
    expect(second.number).toBe(before[1].number);
    for (const i of [0, 2]) expect(untouched(await loanById(before[i].id))).toEqual(untouched(snapshot[i]));
    // The room's copy read back settles nothing new: the loan is where Hector put it.
    expect((await stack.journal({ iCalUId: occurrences[1].iCalUId!, kind: 'cancelled' })).length).toBe(0);
  });
});
