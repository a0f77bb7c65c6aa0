import request from 'supertest';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { AddinLoanResponse, SeriesOccurrenceView } from '../../contract/addin';
import type { Loan } from '../../contract/hector';
import { settled } from '../support/settled';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';

// B3 A1 A2: the add-in on a recurring meeting (flow 8 over HTTP with the user's own token, real
// service with inbound sync running). A person books a series in the emulator as in Outlook; each
// occurrence gets its loan (or a journal line why not), then the add-in is opened on one
// occurrence and on the series itself.
jest.setTimeout(60_000);

const ORGANIZER = 'lea.dubois@universite.test';
const ATTENDEE = 'hugo.bernard@universite.test';
const ROOM = 'salle-b101@universite.test';
const DAY = 86_400_000;
const HOUR = 3_600_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ label: 'addin-series' });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const person = (upn: string) => stack.emulator.control.person(upn);
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

const ask = async (upn: string, itemId: string, lang: string) =>
  request(stack.service.url)
    .get('/api/addin/loan')
    .query({ itemId })
    .set('Accept-Language', lang)
    .set('Authorization', `Bearer ${await stack.emulator.control.issueUserToken({ upn })}`);

async function loanById(id: string): Promise<Loan> {
  return (await request(stack.service.url).get(`/api/hector/loans/${id}`).set(ADMIN).expect(200))
    .body as Loan;
}

/** The loan of one occurrence (by its own iCalUId, through the journal). */
async function loanOf(iCalUId: string): Promise<Loan> {
  const loanId = await waitFor(
    async () => (await stack.journal({ iCalUId })).find((e) => e.loanId)?.loanId ?? undefined,
    { what: `the loan of ${iCalUId}` },
  );
  return loanById(loanId);
}

/** A person's copy of the series (each mailbox has its own master id, same iCalUId). */
function seriesCopyOf(upn: string, iCalUId: string): MSGraph.Event {
  const master = stack.emulator.control
    .eventsOf(upn)
    .find((e) => e.iCalUId === iCalUId && e.type === 'seriesMaster');
  if (!master?.id) throw new Error(`${upn} holds no series ${iCalUId}`);
  return master;
}

interface Booked {
  series: MSGraph.Event;
  occurrences: MSGraph.Event[];
  /** The loans of Friday's and Monday's occurrences (the store is closed at the weekend). */
  friday: Loan;
  monday: Loan;
  roomName: string;
}
let booked: Booked;

beforeAll(async () => {
  // A daily series Friday → Monday: Exchange takes all four, Hector's schedule is closed on
  // Saturday and Sunday, so those two get no loan and a journal line each.
  let friday = new Date(Date.parse(at(2, '09:00')));
  while (friday.getUTCDay() !== 5) friday = new Date(friday.getTime() + DAY);
  const first = friday.toISOString();
  const series = person(ORGANIZER).createMeeting({
    subject: 'Permanence',
    start: first,
    end: plus(first, HOUR),
    rooms: [ROOM],
    attendees: [ATTENDEE],
    recurrence: {
      pattern: { type: 'daily', interval: 1 },
      range: { type: 'numbered', numberOfOccurrences: 4, startDate: first.slice(0, 10) },
    },
  });
  const occurrences = person(ORGANIZER).occurrences(
    series.id!,
    new Date(Date.now() - DAY).toISOString(),
    new Date(Date.now() + 60 * DAY).toISOString(),
  );
  expect(occurrences).toHaveLength(4);
  const fridayLoan = await loanOf(occurrences[0].iCalUId!);
  const mondayLoan = await loanOf(occurrences[3].iCalUId!);
  for (const weekend of occurrences.slice(1, 3)) {
    await waitFor(async () => (await stack.journal({ iCalUId: weekend.iCalUId! })).length > 0, {
      what: 'a journal line for a weekend occurrence',
    });
  }
  await settled(stack);
  booked = {
    series,
    occurrences,
    friday: fridayLoan,
    monday: mondayLoan,
    roomName: (await stack.places()).get(ROOM)!.name,
  };
}, 60_000);

describe('B3 A1: the add-in opened on one occurrence shows that occurrence’s loan', () => {
  it('B3 A1: the organizer’s occurrence (Office gives its own id) → its own loan, at its time', async () => {
    const monday = person(ORGANIZER).occurrence(booked.series.id!, booked.occurrences[3].originalStart!);
    expect(monday.id).not.toBe(booked.series.id);
    const res = await ask(ORGANIZER, monday.id!, 'en-GB');
    expect(res.status).toBe(200);
    const body = res.body as Extract<AddinLoanResponse, { loan: unknown }>;
    expect(body.loan).toMatchObject({
      id: booked.monday.id,
      number: booked.monday.number,
      status: 'new',
      statusLabel: 'New',
      start: booked.monday.start,
    });
    expect(body.series).toBeUndefined();
  });

  it('B3 A2: a weekend occurrence (Hector’s schedule refused it) → no loan, and why, in French', async () => {
    const saturday = person(ORGANIZER).occurrence(booked.series.id!, booked.occurrences[1].originalStart!);
    const res = await ask(ORGANIZER, saturday.id!, 'fr-FR');
    expect(res.status).toBe(200);
    expect(res.body.reason).toEqual({
      code: 'room_unavailable',
      message: expect.stringMatching(new RegExp(`horaires d’ouverture de ${booked.roomName}`)),
    });
  });
});

describe('B3 A1 A2: the add-in opened on the series lists its upcoming occurrences', () => {
  const expectList = (occurrences: SeriesOccurrenceView[], label: string) => {
    expect(occurrences.map((o) => o.start)).toEqual(
      booked.occurrences.map((_, i) => plus(booked.friday.start, i * DAY)),
    );
    expect(occurrences.map((o) => o.end)).toEqual(occurrences.map((o) => plus(o.start, HOUR)));
    expect(occurrences[0].loan).toEqual({
      id: booked.friday.id,
      number: booked.friday.number,
      status: 'new',
      statusLabel: label,
    });
    expect(occurrences[3].loan).toEqual({
      id: booked.monday.id,
      number: booked.monday.number,
      status: 'new',
      statusLabel: label,
    });
    expect(occurrences[0].reason).toBeNull();
    for (const weekend of occurrences.slice(1, 3)) {
      expect(weekend.loan).toBeNull();
      expect(weekend.reason?.code).toBe('room_unavailable');
    }
  };

  it('B3 A1 A2 (EN): numbers and statuses of the occurrences with a loan, why for those without', async () => {
    const res = await ask(ORGANIZER, booked.series.id!, 'en-GB');
    expect(res.status).toBe(200);
    const body = res.body as Extract<AddinLoanResponse, { reason: unknown }>;
    expect(body.reason).toEqual({
      code: 'series',
      message: '2 of 4 upcoming occurrences have a loan of their own.',
    });
    expectList(body.series!.occurrences, 'New');
    expect(body.series!.occurrences[1].reason!.message).toMatch(
      new RegExp(`outside the opening schedule of ${booked.roomName}`),
    );
  });

  it('B3 A1 A2 (FR): the same list in French, from the attendee’s own copy of the series', async () => {
    const copy = seriesCopyOf(ATTENDEE, booked.series.iCalUId!);
    expect(copy.id).not.toBe(booked.series.id);
    const res = await ask(ATTENDEE, copy.id!, 'fr-FR');
    expect(res.status).toBe(200);
    const body = res.body as Extract<AddinLoanResponse, { reason: unknown }>;
    expect(body.reason.code).toBe('series');
    expect(body.reason.message).toMatch(/^2 sur 4 occurrences à venir ont leur propre prêt\.$/);
    expectList(body.series!.occurrences, 'Nouveau');
    expect(body.series!.occurrences[2].reason!.message).toMatch(
      new RegExp(`horaires d’ouverture de ${booked.roomName}`),
    );
  });

  it('B3: an occurrence cancelled by the organizer leaves the list; its loan is cancelled', async () => {
    const friday = person(ORGANIZER).occurrence(booked.series.id!, booked.occurrences[0].originalStart!);
    person(ORGANIZER).cancelMeeting(friday.id!);
    await waitFor(async () => (await loanById(booked.friday.id)).status === 'cancelled', {
      what: 'the Friday loan cancelled',
    });
    const res = await ask(ORGANIZER, booked.series.id!, 'en-GB');
    const listed = (res.body as AddinLoanResponse).series!.occurrences;
    expect(listed.map((o) => o.start)).toEqual([1, 2, 3].map((i) => plus(booked.friday.start, i * DAY)));
    expect(listed[2].loan?.number).toBe(booked.monday.number);
  });
});
