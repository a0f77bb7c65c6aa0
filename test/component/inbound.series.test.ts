import request from 'supertest';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { settled } from '../support/settled';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';
import type { Loan } from '../../contract/hector';

// B3, Outlook → Hector: every occurrence of a room series is a loan of its own. A person acts in
// the emulator as in Outlook (series, exceptions, cancellations); the test reads the loans through
// /api/hector and the journal through /api/admin/journal.
jest.setTimeout(60_000);
let stack: Stack;
const A001 = 'salle-a001@universite.test';
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';
const A103 = 'salle-a103@universite.test';
const A201 = 'salle-a201@universite.test';
const B101 = 'salle-b101@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const LEA = 'lea.dubois@universite.test';

beforeAll(async () => {
  stack = await startStack({ label: 'inbound-series' });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const person = (upn: string) => stack.emulator.control.person(upn);
const DAY = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
const dayOf = (iso: string) => WEEKDAYS[new Date(iso).getUTCDay()];
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** A weekly series of `count` occurrences from `start` (ISO, UTC) for one hour, in the rooms given. */
function weekly(organizer: string, subject: string, start: string, count: number, rooms: string[]) {
  return person(organizer).createMeeting({
    subject,
    start,
    end: plus(start, 3_600_000),
    rooms,
    recurrence: {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: [dayOf(start)] },
      range: { type: 'numbered', numberOfOccurrences: count, startDate: start.slice(0, 10) },
    },
  });
}

/** The organizer's occurrences of a series over the next year, by start. */
function occurrencesOf(organizer: string, series: MSGraph.Event): MSGraph.Event[] {
  const from = new Date(Date.now() - DAY).toISOString();
  const to = new Date(Date.now() + 365 * DAY).toISOString();
  return person(organizer).occurrences(series.id!, from, to);
}

async function loanById(id: string): Promise<Loan> {
  return (await request(stack.service.url).get(`/api/hector/loans/${id}`).set(ADMIN).expect(200))
    .body as Loan;
}

/** The loan linked to one meeting or occurrence (by iCalUId, through the journal), once `ok`. */
async function loanOf(iCalUId: string, ok: (loan: Loan) => boolean = () => true): Promise<Loan> {
  return waitFor(
    async () => {
      const loanId = (await stack.journal({ iCalUId })).find((e) => e.loanId)?.loanId;
      if (!loanId) return undefined;
      const loan = await loanById(loanId);
      return ok(loan) ? loan : undefined;
    },
    { what: `the loan of ${iCalUId}` },
  );
}

/** Every loan of a room whose start is one of the given instants. */
async function loansAt(room: string, starts: string[]): Promise<Loan[]> {
  const loans = await stack.loansOfRoom(room);
  return loans.filter((l) => starts.includes(l.start));
}

describe('B3: recurring meetings, Outlook → Hector', () => {
  it('B3: a weekly series of 6 → 6 loans with distinct numbers, each at its occurrence time, status new', async () => {
    const first = at(3, '09:00');
    const series = weekly(HUGO, 'Séminaire hebdo', first, 6, [A001]);
    const occurrences = occurrencesOf(HUGO, series);
    expect(occurrences).toHaveLength(6);
    const loans: Loan[] = [];
    for (const occ of occurrences) loans.push(await loanOf(occ.iCalUId!));
    expect(new Set(loans.map((l) => l.id)).size).toBe(6);
    expect(new Set(loans.map((l) => l.number)).size).toBe(6);
    for (let i = 0; i < 6; i++) {
      expect(loans[i].start).toBe(plus(first, i * 7 * DAY));
      expect(loans[i].end).toBe(plus(first, i * 7 * DAY + 3_600_000));
      expect(loans[i].status).toBe('new');
      expect(loans[i].requester.email).toBe(HUGO);
      expect(loans[i].items.filter((x) => x.status === 'active').map((x) => x.email)).toEqual([A001]);
    }
    // One journal line sums the series up, each occurrence has its own entry.
    const summary = await waitFor(
      async () => (await stack.journal({ iCalUId: series.iCalUId!, kind: 'series' }))[0],
      { what: 'the series line' },
    );
    expect(summary.message).toMatch(/6 occurrences in the booking window — 6 loans created/);
    const created = await stack.journal({ iCalUId: occurrences[2].iCalUId!, kind: 'created' });
    expect(created[0].details).toMatchObject({ series: series.iCalUId });
  });

  it('B3: a weekly 10:00 Europe/Paris series keeps its local 10:00 across a change of summer time', async () => {
    const switchDay = nextParisOffsetChange();
    // Two occurrences before the change, two after, on the weekday three days before it.
    const firstLocal = new Date(switchDay.getTime() - 17 * DAY).toISOString().slice(0, 10);
    const series = person(LEA).createMeeting({
      subject: 'Cours du matin',
      start: { dateTime: `${firstLocal}T10:00:00`, timeZone: 'Europe/Paris' },
      end: { dateTime: `${firstLocal}T11:00:00`, timeZone: 'Europe/Paris' },
      rooms: [A102],
      timeZone: 'Europe/Paris',
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: [dayOf(`${firstLocal}T12:00:00Z`)] },
        range: { type: 'numbered', numberOfOccurrences: 4, startDate: firstLocal },
      },
    });
    const occurrences = occurrencesOf(LEA, series);
    expect(occurrences).toHaveLength(4);
    const loans: Loan[] = [];
    for (const occ of occurrences) loans.push(await loanOf(occ.iCalUId!));
    const localHours = loans.map((l) =>
      new Date(l.start).toLocaleString('en-GB', {
        timeZone: 'Europe/Paris',
        hour: '2-digit',
        hourCycle: 'h23',
      }),
    );
    expect(localHours).toEqual(['10', '10', '10', '10']);
    const utcHours = new Set(loans.map((l) => new Date(l.start).getUTCHours()));
    expect(utcHours.size).toBe(2);
  });

  it('B3: shortened, one moved, one cancelled, then the whole series cancelled — no churn', async () => {
    const first = at(4, '13:00');
    const series = weekly(HUGO, 'Comité', first, 6, [A101]);
    const occurrences = occurrencesOf(HUGO, series);
    const before: Loan[] = [];
    for (const occ of occurrences) before.push(await loanOf(occ.iCalUId!));

    // Shortened to 4: occurrences 5 and 6 cancelled, 1–4 untouched (same ids and numbers).
    person(HUGO).updateMeeting(series.id!, {
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: [dayOf(first)] },
        range: { type: 'numbered', numberOfOccurrences: 4, startDate: first.slice(0, 10) },
      },
    });
    for (const gone of before.slice(4)) {
      await waitFor(async () => (await loanById(gone.id)).status === 'cancelled', {
        what: `loan #${gone.number} cancelled`,
      });
    }
    await settled(stack);
    for (const kept of before.slice(0, 4)) {
      const now = await loanById(kept.id);
      expect(now.status).toBe('new');
      expect(now.number).toBe(kept.number);
      expect(now.start).toBe(kept.start);
    }
    expect(
      await loansAt(
        A101,
        before.map((l) => l.start),
      ).then((l) => l.length),
    ).toBe(6);

    // One occurrence moved by two hours → its loan moved, the others stay.
    const second = person(HUGO).occurrence(series.id!, occurrences[1].originalStart!);
    person(HUGO).moveMeeting(second.id!, {
      start: plus(before[1].start, 7_200_000),
      end: plus(before[1].end, 7_200_000),
    });
    const moved = await waitFor(
      async () => {
        const l = await loanById(before[1].id);
        return l.start === plus(before[1].start, 7_200_000) ? l : undefined;
      },
      { what: 'the second loan moved' },
    );
    expect(moved.number).toBe(before[1].number);

    // One occurrence cancelled → its loan cancelled, the others stay.
    const third = person(HUGO).occurrence(series.id!, occurrences[2].originalStart!);
    person(HUGO).cancelMeeting(third.id!);
    await waitFor(async () => (await loanById(before[2].id)).status === 'cancelled', {
      what: 'the third loan cancelled',
    });
    await settled(stack);
    expect((await loanById(before[0].id)).status).toBe('new');
    expect((await loanById(before[3].id)).status).toBe('new');
    expect((await loanById(before[1].id)).start).toBe(plus(before[1].start, 7_200_000));

    // The series cancelled → every future loan cancelled.
    person(HUGO).cancelMeeting(series.id!);
    for (const l of [before[0], before[1], before[3]]) {
      await waitFor(async () => (await loanById(l.id)).status === 'cancelled', {
        what: `loan #${l.number} cancelled with the series`,
      });
    }
  });

  it('B3: a single meeting made recurring keeps its loan as the first occurrence’s', async () => {
    const start = at(5, '15:00');
    const single = person(LEA).createMeeting({
      subject: 'Point projet',
      start,
      end: plus(start, 3_600_000),
      rooms: [A103],
    });
    const loan = await loanOf(single.iCalUId!);
    person(LEA).updateMeeting(single.id!, {
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: [dayOf(start)] },
        range: { type: 'numbered', numberOfOccurrences: 3, startDate: start.slice(0, 10) },
      },
    });
    const occurrences = occurrencesOf(LEA, single);
    expect(occurrences).toHaveLength(3);
    const firstLoan = await loanOf(occurrences[0].iCalUId!);
    expect(firstLoan.id).toBe(loan.id);
    expect(firstLoan.number).toBe(loan.number);
    expect((await loanById(loan.id)).status).toBe('new');
    const others = [await loanOf(occurrences[1].iCalUId!), await loanOf(occurrences[2].iCalUId!)];
    expect(new Set([loan.id, ...others.map((l) => l.id)]).size).toBe(3);
  });

  it('B3: a series whose one occurrence conflicts in Exchange is declined whole by the room: no loan', async () => {
    const first = at(6, '10:00');
    // Week 3 of the series is taken in the room already.
    const blocker = person(HUGO).createMeeting({
      subject: 'Déjà là',
      start: plus(first, 14 * DAY),
      end: plus(first, 14 * DAY + 3_600_000),
      rooms: [A201],
    });
    await loanOf(blocker.iCalUId!);
    const series = weekly(LEA, 'Conflit', first, 4, [A201]);
    await settled(stack);
    const organizerCopy = person(LEA)
      .events()
      .find((e) => e.id === series.id);
    expect(organizerCopy?.attendees?.find((a) => a.emailAddress?.address === A201)?.status?.response).toBe(
      'declined',
    );
    const starts = [0, 1, 2, 3].map((w) => plus(first, w * 7 * DAY));
    const loans = await loansAt(A201, starts);
    expect(loans.map((l) => l.id)).toEqual([(await loanOf(blocker.iCalUId!)).id]);

    // The room kept no copy, so no notification came: the organizer opening the add-in on the
    // series is how the service learns of it, and it journals the decline once, with its cause.
    const token = await stack.emulator.control.issueUserToken({ upn: LEA });
    for (let open = 0; open < 2; open++) {
      const answer = await request(stack.service.url)
        .get('/api/addin/loan')
        .query({ itemId: series.id })
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(answer.body.reason.code).toBe('room_declined');
    }
    const declines = (await stack.journal({ iCalUId: series.iCalUId! })).filter(
      (e) => e.code === 'inbound.declined_unseen',
    );
    expect(declines).toHaveLength(1);
    expect(declines[0]).toMatchObject({ kind: 'series', roomEmail: A201, loanId: null });
    expect(declines[0]!.params).toMatchObject({
      series: true,
      conflictStart: new Date(plus(first, 14 * DAY)).toISOString(),
      // A room's copy bears its organizer's name (Exchange's AddOrganizerToSubject default).
      conflictSubject: 'Hugo Bernard',
      conflictLoan: (await loanOf(blocker.iCalUId!)).number,
    });
    expect(declines[0]!.message).toMatch(/collides with "Hugo Bernard" \(loan #\d+\)/);
  });

  it('B3 K2: occurrences Hector cannot lend that day (closed at the weekend) get no loan and a journal line; the others do', async () => {
    // A daily series Friday → Monday: Exchange takes all four, the store is closed on Saturday and Sunday.
    let friday = new Date(Date.parse(at(2, '09:00')));
    while (friday.getUTCDay() !== 5) friday = new Date(friday.getTime() + DAY);
    const first = friday.toISOString();
    const series = person(LEA).createMeeting({
      subject: 'Permanence',
      start: first,
      end: plus(first, 3_600_000),
      rooms: [B101],
      recurrence: {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'numbered', numberOfOccurrences: 4, startDate: first.slice(0, 10) },
      },
    });
    const occurrences = occurrencesOf(LEA, series);
    expect(occurrences).toHaveLength(4);
    const friLoan = await loanOf(occurrences[0].iCalUId!);
    const monLoan = await loanOf(occurrences[3].iCalUId!);
    expect(friLoan.start).toBe(first);
    expect(monLoan.start).toBe(plus(first, 3 * DAY));
    for (const weekend of occurrences.slice(1, 3)) {
      const entries = await waitFor(
        async () => {
          const e = await stack.journal({ iCalUId: weekend.iCalUId! });
          return e.length > 0 ? e : undefined;
        },
        { what: 'a journal line for a weekend occurrence' },
      );
      expect(entries.every((e) => e.loanId === null)).toBe(true);
      expect(entries[0].kind).toBe('ignored');
      expect(entries[0].details).toMatchObject({ series: series.iCalUId });
    }
  });
});

describe('B3: recurring meetings, Hector → Outlook', () => {
  it('B3 OU1: one occurrence’s loan cancelled in Hector → its room declines that occurrence only', async () => {
    // (09:00 in A001 on this weekday is the first test's series: the room would decline this one.)
    const first = at(8, '11:00');
    const series = weekly(HUGO, 'Réunion d’équipe', first, 3, [A001]);
    const occurrences = occurrencesOf(HUGO, series);
    const loans: Loan[] = [];
    for (const occ of occurrences) loans.push(await loanOf(occ.iCalUId!));
    await settled(stack);
    await request(stack.service.url).post(`/api/hector/loans/${loans[1].id}/cancel`).set(ADMIN).expect(200);
    const roomView = () =>
      stack.emulator.control
        .person(A001)
        .occurrences(roomSeriesId(A001, series.iCalUId!), plus(first, -DAY), plus(first, 30 * DAY))
        .map((e) => e.iCalUId);
    await waitFor(async () => !roomView().includes(occurrences[1].iCalUId), {
      what: 'the room to decline the second occurrence',
    });
    expect(roomView()).toEqual([occurrences[0].iCalUId, occurrences[2].iCalUId]);
    // The organizer keeps the series, and sees the room's answer on that occurrence.
    const organizers = occurrencesOf(HUGO, series);
    expect(organizers).toHaveLength(3);
    const answer = organizers[1].attendees?.find((x) => x.emailAddress?.address === A001)?.status?.response;
    expect(answer).toBe('declined');
    await settled(stack);
    expect((await loanById(loans[0].id)).status).toBe('new');
    expect((await loanById(loans[2].id)).status).toBe('new');
  });

  it('B3 OU2: one occurrence’s loan moved in Hector → that occurrence moves in the organizer’s calendar', async () => {
    const first = at(9, '14:00');
    const series = weekly(LEA, 'Atelier', first, 3, [A102]);
    const occurrences = occurrencesOf(LEA, series);
    const loans: Loan[] = [];
    for (const occ of occurrences) loans.push(await loanOf(occ.iCalUId!));
    await settled(stack);
    const later = { start: plus(loans[2].start, 3_600_000), end: plus(loans[2].end, 3_600_000) };
    await request(stack.service.url)
      .patch(`/api/hector/loans/${loans[2].id}`)
      .set(ADMIN)
      .send(later)
      .expect(200);
    const moved = await waitFor(
      async () => {
        const occ = occurrencesOf(LEA, series).find((e) => e.iCalUId === occurrences[2].iCalUId);
        return occ &&
          occ.type === 'exception' &&
          new Date(`${occ.start!.dateTime}Z`).toISOString() === later.start
          ? occ
          : undefined;
      },
      { what: 'the third occurrence moved' },
    );
    expect(moved.seriesMasterId).toBe(series.id);
    await settled(stack);
    const others = occurrencesOf(LEA, series).filter((e) => e.iCalUId !== occurrences[2].iCalUId);
    expect(others.map((e) => e.type)).toEqual(['occurrence', 'occurrence']);
    expect((await loanById(loans[2].id)).start).toBe(later.start);
    expect((await loanById(loans[0].id)).start).toBe(loans[0].start);
  });
});

/** The series' master id in a room's calendar (each mailbox has its own ids). */
function roomSeriesId(room: string, iCalUId: string): string {
  const master = stack.emulator.control
    .person(room)
    .events()
    .find((e) => e.iCalUId === iCalUId && e.type === 'seriesMaster');
  if (!master?.id) throw new Error(`${room} holds no series ${iCalUId}`);
  return master.id;
}

/** The next day on which Europe/Paris changes its UTC offset, at least three weeks from now. */
function nextParisOffsetChange(): Date {
  const offset = (d: Date) =>
    d.toLocaleString('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }) +
    String(d.getUTCHours());
  let day = new Date(Date.now() + 21 * DAY);
  day.setUTCHours(12, 0, 0, 0);
  const base = offset(day);
  for (let i = 0; i < 200; i++) {
    const next = new Date(day.getTime() + DAY);
    if (offset(next) !== base) return next;
    day = next;
  }
  throw new Error('no offset change in Europe/Paris within 200 days');
}
