import request from 'supertest';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { HECTOR_LOAN_ID_PROPERTY_ID } from '../../server/sync/outbound/rules';
import { ADMIN, at, DEFAULT_USER, startStack, waitFor, type Stack } from '../support/stack';
import type { Loan } from '../../contract/hector';
import { isRoomSubscription } from '../support/roomSubscription';

// Flow 5 (Hector → Outlook), one test per rule: loans are made and changed through /api/hector,
// and the test reads the emulator's calendars — the organizer's copy and the rooms' copies.
jest.setTimeout(30_000);
let stack: Stack;
let places: Map<string, { id: string; name: string }>;
const A001 = 'salle-a001@universite.test';
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';
const A201 = 'salle-a201@universite.test';
const B001 = 'salle-b001@universite.test';
const B101 = 'salle-b101@universite.test';
const B102 = 'salle-b102@universite.test';
const B201 = 'salle-b201@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const LEA = 'lea.dubois@universite.test';

beforeAll(async () => {
  stack = await startStack({ label: 'outbound-rules' });
  places = await stack.places();
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const api = () => request(stack.service.url);
const place = (email: string) => ({ kind: 'place', id: places.get(email)!.id });

async function createLoan(body: Record<string, unknown>): Promise<Loan> {
  const res = await api().post('/api/hector/loans').set(ADMIN).send(body);
  if (res.status !== 201) throw new Error(`create loan: ${res.status} ${res.text}`);
  return res.body as Loan;
}

async function getLoan(id: string): Promise<Loan> {
  return (await api().get(`/api/hector/loans/${id}`).set(ADMIN).expect(200)).body;
}

const loanIdOf = (e: MSGraph.Event): string | undefined =>
  e.singleValueExtendedProperties?.find((p) => p.id === HECTOR_LOAN_ID_PROPERTY_ID)?.value ?? undefined;

/** The organizer's copy of a loan's event in a mailbox (the one carrying the loan id). */
const eventsOfLoan = (mailbox: string, loanId: string): MSGraph.Event[] =>
  stack.emulator.control.eventsOf(mailbox).filter((e) => loanIdOf(e) === loanId);

async function organizerEvent(
  mailbox: string,
  loanId: string,
  ok: (e: MSGraph.Event) => boolean = () => true,
): Promise<MSGraph.Event> {
  return waitFor(
    async () => {
      const found = eventsOfLoan(mailbox, loanId);
      return found.length === 1 && ok(found[0]) ? found[0] : undefined;
    },
    { what: `the event of loan ${loanId} in ${mailbox}` },
  );
}

const roomCopy = (room: string, iCalUId: string): MSGraph.Event | undefined =>
  stack.emulator.control.eventsOf(room).find((e) => e.iCalUId === iCalUId && !e.isCancelled);

const utc = (e: MSGraph.Event, f: 'start' | 'end'): string =>
  new Date(`${e[f]!.dateTime!.replace(/Z$/, '')}Z`).toISOString();
const rooms = (e: MSGraph.Event): string[] =>
  (e.attendees ?? [])
    .filter((a) => a.type === 'resource')
    .map((a) => a.emailAddress!.address!.toLowerCase())
    .sort();

describe('Hector → Outlook', () => {
  it('HC1 HC2: a loan made in Hector → an event in the requester’s calendar, same start and end', async () => {
    const loan = await createLoan({
      requester: { email: HUGO, name: 'Hugo Bernard' },
      start: at(5, '09:00'),
      end: at(5, '10:30'),
      items: [place(A001)],
    });
    const event = await organizerEvent(HUGO, loan.id);
    expect(event.organizer?.emailAddress?.address?.toLowerCase()).toBe(HUGO);
    expect(utc(event, 'start')).toBe(at(5, '09:00'));
    expect(utc(event, 'end')).toBe(at(5, '10:30'));
    // The room accepted and holds its own copy of the meeting.
    await waitFor(async () => roomCopy(A001, event.iCalUId!), { what: 'the room copy' });
    const link = await waitFor(
      async () => (await stack.journal({ loanId: loan.id })).find((e) => e.kind === 'created' && e.iCalUId),
      { what: 'the created entry' },
    );
    expect(link.iCalUId).toBe(event.iCalUId);
  });

  it('HC1 V1: a requester with no mailbox in the tenant → the default user organizes the event', async () => {
    const loan = await createLoan({
      requester: { email: 'marc.leroy@partenaire.example', name: 'Marc Leroy' },
      start: at(5, '11:00'),
      end: at(5, '12:00'),
      items: [place(A101)],
    });
    const event = await organizerEvent(DEFAULT_USER, loan.id);
    expect(event.subject).toContain('Marc Leroy');
  });

  it('HC3 HC4: title = loan number + requester name; body = the items and a link to the loan', async () => {
    const loan = await createLoan({
      requester: { email: LEA, name: 'Léa Dubois' },
      start: at(5, '13:00'),
      end: at(5, '14:00'),
      items: [place(A102)],
    });
    const event = await organizerEvent(LEA, loan.id);
    expect(event.subject).toContain(String(loan.number));
    expect(event.subject).toContain('Léa Dubois');
    expect(event.body?.content).toContain(places.get(A102)!.name);
    expect(event.body?.content).toContain(`/loans/${loan.id}`);
  });

  it('HC5: the loan’s rooms are resource attendees, and each room holds its copy', async () => {
    const loan = await createLoan({
      requester: { email: HUGO },
      start: at(6, '09:00'),
      end: at(6, '10:00'),
      items: [place(B101), place(B102)],
    });
    const event = await organizerEvent(HUGO, loan.id);
    expect(rooms(event)).toEqual([B101, B102]);
    for (const room of [B101, B102]) {
      await waitFor(async () => roomCopy(room, event.iCalUId!), { what: `${room}'s copy` });
    }
    // The rooms' notifications come back as "in sync": the loan keeps both rooms and its version.
    await waitFor(
      async () =>
        (await stack.journal({ iCalUId: event.iCalUId! })).filter((e) => e.kind === 'in_sync' && e.roomEmail)
          .length >= 2,
      { what: 'in_sync entries for both rooms' },
    );
    const after = await getLoan(loan.id);
    expect(after.items.filter((i) => i.status === 'active')).toHaveLength(2);
    expect(after.version).toBe(loan.version);
  });

  it('HU1: dates, rooms and requester changed in Hector → the event follows (moved to the new organizer)', async () => {
    const loan = await createLoan({
      requester: { email: HUGO, name: 'Hugo Bernard' },
      start: at(7, '09:00'),
      end: at(7, '10:00'),
      items: [place(A201)],
    });
    const first = await organizerEvent(HUGO, loan.id);
    const current = await getLoan(loan.id);
    await api()
      .patch(`/api/hector/loans/${loan.id}`)
      .set(ADMIN)
      .send({ start: at(7, '14:00'), end: at(7, '15:30'), items: [place(B201)], version: current.version })
      .expect(200);
    const moved = await organizerEvent(
      HUGO,
      loan.id,
      (e) => utc(e, 'start') === at(7, '14:00') && rooms(e).join() === B201,
    );
    expect(utc(moved, 'end')).toBe(at(7, '15:30'));
    expect(moved.id).toBe(first.id);
    expect(moved.body?.content).toContain(places.get(B201)!.name);
    await waitFor(async () => !roomCopy(A201, first.iCalUId!) && roomCopy(B201, first.iCalUId!), {
      what: 'the rooms to follow',
    });

    // The rooms' notifications of the move may still be applied: retry on a version conflict.
    await waitFor(
      async () => {
        const fresh = await getLoan(loan.id);
        const res = await api()
          .patch(`/api/hector/loans/${loan.id}`)
          .set(ADMIN)
          .send({ requester: { email: LEA, name: 'Léa Dubois' }, version: fresh.version });
        return res.status === 200;
      },
      { what: 'the requester change' },
    );
    const inLea = await organizerEvent(LEA, loan.id).catch(async (error: unknown) => {
      const journal = (await stack.journal({ loanId: loan.id })).map((e) => `${e.kind}: ${e.message}`);
      throw new Error(`${String(error)}\n${journal.join('\n')}\n${JSON.stringify(await getLoan(loan.id))}`);
    });
    expect(inLea.subject).toContain('Léa Dubois');
    expect(eventsOfLoan(HUGO, loan.id)).toHaveLength(0);
    await waitFor(async () => roomCopy(B201, inLea.iCalUId!), { what: 'the room copy of the new meeting' });
    const after = await getLoan(loan.id);
    expect(after.status).toBe('new');
    expect(after.items.filter((i) => i.status === 'active').map((i) => i.email)).toEqual([B201]);
  });

  it('HX1: a loan cancelled or refused in Hector → its event is deleted (and the rooms’ copies go)', async () => {
    const cancelled = await createLoan({
      requester: { email: HUGO },
      start: at(8, '09:00'),
      end: at(8, '10:00'),
      items: [place(A001)],
    });
    const refused = await createLoan({
      requester: { email: LEA },
      start: at(8, '09:00'),
      end: at(8, '10:00'),
      items: [place(A101)],
    });
    const e1 = await organizerEvent(HUGO, cancelled.id);
    const e2 = await organizerEvent(LEA, refused.id);
    await api().post(`/api/hector/loans/${cancelled.id}/cancel`).set(ADMIN).expect(200);
    await api().post(`/api/hector/loans/${refused.id}/refuse`).set(ADMIN).expect(200);
    await waitFor(
      async () => eventsOfLoan(HUGO, cancelled.id).length === 0 && eventsOfLoan(LEA, refused.id).length === 0,
      {
        what: 'both events deleted',
      },
    );
    await waitFor(async () => !roomCopy(A001, e1.iCalUId!) && !roomCopy(A101, e2.iCalUId!), {
      what: 'room copies gone',
    });
    expect((await getLoan(cancelled.id)).status).toBe('cancelled');
    expect((await getLoan(refused.id)).status).toBe('refused');
  });

  it('OU2: a room Exchange declines (a meeting Hector does not know) → that item is cancelled and journaled', async () => {
    // Salle B-001 is busy in Exchange with a meeting made while its notifications are paused.
    const sub = stack.emulator.control
      .state()
      .subscriptions.find(isRoomSubscription(stack.emulator.control, B001));
    stack.emulator.control.setFaults({ subscriptionNotifications: { [sub!.id!]: { dropRate: 1 } } });
    stack.emulator.control.person(LEA).createMeeting({
      subject: 'Inconnu de Hector',
      start: at(9, '09:00'),
      end: at(9, '11:00'),
      rooms: [B001],
    });
    stack.emulator.control.setFaults({ subscriptionNotifications: {} });

    const loan = await createLoan({
      requester: { email: HUGO },
      start: at(9, '10:00'),
      end: at(9, '11:00'),
      items: [place(B001), place(B102)],
    });
    const after = await waitFor(
      async () => {
        const l = await getLoan(loan.id);
        const b001 = l.items.find((i) => i.email === B001);
        return b001?.status === 'cancelled' ? l : undefined;
      },
      { what: 'Salle B-001 cancelled from the loan' },
    );
    expect(after.status).toBe('new');
    expect(after.items.find((i) => i.email === B102)?.status).toBe('active');
    const entry = await waitFor(
      async () =>
        (await stack.journal({ loanId: loan.id })).find(
          (e) => e.roomEmail === B001 && e.kind === 'cancelled',
        ),
      { what: 'the OU2 journal entry' },
    );
    expect(entry.message).toContain(places.get(B001)!.name);
    expect(entry.message).toMatch(/refusé|declined/);
  });

  it('Outlook-made loan changed in Hector: dates and rooms go to the organizer’s meeting, title stays; cancel → the room declines', async () => {
    const org = stack.emulator.control.person(LEA);
    const meeting = org.createMeeting({
      subject: 'Séminaire de Léa',
      body: 'Ordre du jour',
      start: at(10, '09:00'),
      end: at(10, '10:00'),
      rooms: [A102],
      attendees: [HUGO],
    });
    const loanId = await waitFor(
      async () =>
        (await stack.journal({ iCalUId: meeting.iCalUId! })).find((e) => e.loanId)?.loanId ?? undefined,
      { what: 'the loan of the meeting' },
    );
    const loan = await getLoan(loanId);
    expect(loan.origin).toBe('outlook');
    await api()
      .patch(`/api/hector/loans/${loanId}`)
      .set(ADMIN)
      .send({ start: at(10, '11:00'), end: at(10, '12:00'), version: loan.version })
      .expect(200);
    const moved = await waitFor(
      async () => {
        const e = stack.emulator.control.eventsOf(LEA).find((x) => x.iCalUId === meeting.iCalUId);
        return e && utc(e, 'start') === at(10, '11:00') ? e : undefined;
      },
      { what: 'the meeting to move' },
    );
    expect(moved.subject).toBe('Séminaire de Léa');
    expect(moved.body?.content).toContain('Ordre du jour');
    expect((moved.attendees ?? []).map((a) => a.emailAddress?.address?.toLowerCase())).toContain(HUGO);

    await api().post(`/api/hector/loans/${loanId}/cancel`).set(ADMIN).expect(200);
    await waitFor(async () => !roomCopy(A102, meeting.iCalUId!), { what: 'the room to decline' });
    const still = stack.emulator.control.eventsOf(LEA).find((x) => x.iCalUId === meeting.iCalUId)!;
    expect(still).toBeDefined();
    expect(
      still.attendees?.find((a) => a.emailAddress?.address?.toLowerCase() === A102)?.status?.response,
    ).toBe('declined');
    expect(
      stack.emulator.control.eventsOf(HUGO).find((x) => x.iCalUId === meeting.iCalUId)?.isCancelled,
    ).toBeFalsy();
    await waitFor(
      async () =>
        (await stack.journal({ loanId })).find((e) => e.kind === 'cancelled' && /declined/.test(e.message)),
      { what: 'the decline journaled' },
    );
    expect((await getLoan(loanId)).status).toBe('cancelled');
  });
});
