import request from 'supertest';
import { settled } from '../support/settled';
import { at, DEFAULT_USER, startStack, waitFor, type Stack, ADMIN } from '../support/stack';
import type { Loan } from '../../contract/hector';

// Flow 4 (Outlook → Hector), one test per rule: a person acts in the emulator as in Outlook, the
// test waits for the loan through /api/hector and reads the reason in /api/admin/journal.
jest.setTimeout(30_000);
let stack: Stack;
const A001 = 'salle-a001@universite.test';
const A103 = 'salle-a103@universite.test';
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';
const A201 = 'salle-a201@universite.test';
const B001 = 'salle-b001@universite.test';
const B101 = 'salle-b101@universite.test';
const B102 = 'salle-b102@universite.test';
const B103 = 'salle-b103@universite.test'; // tagged non-hector: not synced
const B201 = 'salle-b201@universite.test';
const B202 = 'salle-b202@universite.test';

beforeAll(async () => {
  stack = await startStack({ label: 'inbound-rules' });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const person = (upn: string) => stack.emulator.control.person(upn);
const activeRooms = (loan: Loan): string[] =>
  loan.items
    .filter((i) => i.status === 'active')
    .map((i) => i.email!)
    .sort();

/** The loan linked to a meeting (by the iCalUId the journal records), once it satisfies `ok`. */
async function loanOf(iCalUId: string, ok: (loan: Loan) => boolean = () => true): Promise<Loan> {
  return waitFor(
    async () => {
      const entries = await stack.journal({ iCalUId });
      const loanId = entries.find((e) => e.loanId)?.loanId;
      if (!loanId) return undefined;
      const res = await request(stack.service.url).get(`/api/hector/loans/${loanId}`).set(ADMIN);
      const loan = res.body as Loan;
      return ok(loan) ? loan : undefined;
    },
    { what: `the loan of ${iCalUId}` },
  );
}

async function journalOf(iCalUId: string, match: RegExp) {
  return waitFor(async () => (await stack.journal({ iCalUId })).find((e) => match.test(e.message)), {
    what: `a journal entry ${match} for ${iCalUId}`,
  });
}

describe('Outlook → Hector', () => {
  it('OC1 OC3 OC4: a meeting in a synced room becomes a new loan for its organizer with that room', async () => {
    const meeting = person('hugo.bernard@universite.test').createMeeting({
      subject: 'Réunion de labo',
      start: at(2, '09:00'),
      end: at(2, '10:00'),
      rooms: [A001],
    });
    const loan = await loanOf(meeting.iCalUId!);
    expect(loan.status).toBe('new');
    expect(loan.origin).toBe('outlook');
    expect(loan.requester.email).toBe('hugo.bernard@universite.test');
    expect(activeRooms(loan)).toEqual([A001]);
    expect(loan.start).toBe(at(2, '09:00'));
    expect(loan.end).toBe(at(2, '10:00'));
    const created = await journalOf(meeting.iCalUId!, /Created loan #\d+/);
    expect(created.kind).toBe('created');
    expect(created.loanId).toBe(loan.id);
    expect(created.roomEmail).toBe(A001);
  });

  it('OC2: start rounds down and end rounds up to 15-minute blocks', async () => {
    const meeting = person('lea.dubois@universite.test').createMeeting({
      subject: 'Point',
      start: at(2, '11:07'),
      end: at(2, '11:52'),
      rooms: [A103],
    });
    const loan = await loanOf(meeting.iCalUId!);
    expect(loan.start).toBe(at(2, '11:00'));
    expect(loan.end).toBe(at(2, '12:00'));
  });

  it('V1: a disabled organizer of the primary domain → the default user, and the journal says why', async () => {
    const meeting = person('paul.morel@universite.test').createMeeting({
      subject: 'Soutenance',
      start: at(2, '13:00'),
      end: at(2, '14:00'),
      rooms: [A101],
    });
    const loan = await loanOf(meeting.iCalUId!);
    expect(loan.requester.email).toBe(DEFAULT_USER);
    const entry = await journalOf(meeting.iCalUId!, /booked for the default user/);
    expect(entry.message).toContain('paul.morel@universite.test');
  });

  it('V3 OC3: a 3-room meeting where one room declines → one loan with the 2 rooms that accepted', async () => {
    // Salle B-001 is already busy in Exchange at that time: it declines the second meeting.
    person('lea.dubois@universite.test').createMeeting({
      subject: 'Occupé',
      start: at(3, '09:00'),
      end: at(3, '10:00'),
      rooms: [B001],
      attendees: [],
    });
    const meeting = person('hugo.bernard@universite.test').createMeeting({
      subject: 'Jury',
      start: at(3, '09:00'),
      end: at(3, '10:00'),
      rooms: [B001, B101, B102],
    });
    const loan = await loanOf(meeting.iCalUId!, (l) => activeRooms(l).length === 2);
    expect(activeRooms(loan)).toEqual([B101, B102]);
    await journalOf(meeting.iCalUId!, /Salle B-001 a refusé l'invitation/);
    const all = await stack.loans();
    expect(all.filter((l) => l.id === loan.id)).toHaveLength(1);
  });

  it('V4: a room Hector already lends to someone else → no loan, journaled with that loan number', async () => {
    const places = await stack.places();
    // Hold outbound's event creation: once the Hector loan is in Exchange the room itself would
    // decline the meeting, and this rule is about Hector's own availability check.
    stack.emulator.control.setFaults({ rules: [{ method: 'POST', path: '/events$', rate503: 1 }] });
    try {
      const hectorLoan = await request(stack.service.url)
        .post('/api/hector/loans')
        .set(ADMIN)
        .send({
          requester: { email: 'jeanne.petit@universite.test' },
          start: at(4, '09:00'),
          end: at(4, '12:00'),
          items: [{ kind: 'place', id: places.get(A102)!.id }],
        })
        .expect(201);
      const meeting = person('hugo.bernard@universite.test').createMeeting({
        subject: 'Conflit',
        start: at(4, '10:00'),
        end: at(4, '11:00'),
        rooms: [A102],
      });
      const entry = await journalOf(meeting.iCalUId!, /is taken by loan/);
      expect(entry.kind).toBe('ignored');
      expect(entry.message).toContain(`Salle A-102 is taken by loan #${hectorLoan.body.number}`);
      expect(entry.loanId).toBeNull();
      expect((await stack.loansOfRoom(A102)).map((l) => l.id)).toEqual([hectorLoan.body.id]);
    } finally {
      stack.emulator.control.resetFaults();
    }
  });

  it('OU1: moving the meeting and changing its rooms updates the loan (dates, rooms)', async () => {
    const org = person('lea.dubois@universite.test');
    const meeting = org.createMeeting({
      subject: 'Séminaire',
      start: at(5, '09:00'),
      end: at(5, '10:00'),
      rooms: [A201],
    });
    const loan = await loanOf(meeting.iCalUId!);
    org.moveMeeting(meeting.id!, { start: at(5, '14:00'), end: at(5, '15:30') });
    await loanOf(meeting.iCalUId!, (l) => l.start === at(5, '14:00') && l.end === at(5, '15:30'));
    org.changeRooms(meeting.id!, [A201, B201]);
    const after = await loanOf(meeting.iCalUId!, (l) => activeRooms(l).length === 2);
    expect(after.id).toBe(loan.id);
    expect(activeRooms(after)).toEqual([A201, B201]);
    org.changeRooms(meeting.id!, [B201]);
    const last = await loanOf(meeting.iCalUId!, (l) => activeRooms(l).length === 1);
    expect(activeRooms(last)).toEqual([B201]);
    expect(last.status).toBe('new');
    const updated = await journalOf(meeting.iCalUId!, /Updated loan #\d+ \(start/);
    expect(updated.details?.changed).toEqual(['start', 'end']);
  });

  it('OU2: moved to a time where one of its rooms is taken in Hector → that item cancelled, the rest kept', async () => {
    const places = await stack.places();
    const org = person('hugo.bernard@universite.test');
    const meeting = org.createMeeting({
      subject: 'Comité',
      start: at(6, '09:00'),
      end: at(6, '10:00'),
      rooms: [A001, B202],
    });
    const loan = await loanOf(meeting.iCalUId!, (l) => activeRooms(l).length === 2);
    // As in V4: hold outbound's create so that Hector's check, not Exchange's, meets the conflict.
    stack.emulator.control.setFaults({ rules: [{ method: 'POST', path: '/events$', rate503: 1 }] });
    try {
      const taken = await request(stack.service.url)
        .post('/api/hector/loans')
        .set(ADMIN)
        .send({
          requester: { email: 'jeanne.petit@universite.test' },
          start: at(6, '14:00'),
          end: at(6, '16:00'),
          items: [{ kind: 'place', id: places.get(B202)!.id }],
        })
        .expect(201);
      org.moveMeeting(meeting.id!, { start: at(6, '14:00'), end: at(6, '15:00') });
      const after = await loanOf(
        meeting.iCalUId!,
        (l) => l.start === at(6, '14:00') && activeRooms(l).length === 1,
      );
      expect(after.id).toBe(loan.id);
      expect(activeRooms(after)).toEqual([A001]);
      expect(after.items.find((i) => i.email === B202)?.status).toBe('cancelled');
      expect(after.status).toBe('new');
      await journalOf(meeting.iCalUId!, new RegExp(`Salle B-202 is taken by loan #${taken.body.number}`));
    } finally {
      stack.emulator.control.resetFaults();
    }
  });

  it('OX1: a cancelled meeting → its loan is cancelled', async () => {
    const org = person('lea.dubois@universite.test');
    const meeting = org.createMeeting({
      subject: 'Annulée',
      start: at(7, '09:00'),
      end: at(7, '10:00'),
      rooms: [A103, B102],
    });
    await loanOf(meeting.iCalUId!, (l) => activeRooms(l).length === 2);
    org.cancelMeeting(meeting.id!);
    const loan = await loanOf(meeting.iCalUId!, (l) => l.status === 'cancelled');
    expect(loan.status).toBe('cancelled');
    const entry = await journalOf(meeting.iCalUId!, /Cancelled loan #\d+/);
    expect(entry.kind).toBe('cancelled');
  });

  it('OX1: a meeting that loses its last synced room → loan cancelled', async () => {
    const org = person('hugo.bernard@universite.test');
    const meeting = org.createMeeting({
      subject: 'Déplacée',
      start: at(7, '13:00'),
      end: at(7, '14:00'),
      rooms: [A101],
    });
    await loanOf(meeting.iCalUId!);
    org.changeRooms(meeting.id!, [B103]);
    await loanOf(meeting.iCalUId!, (l) => l.status === 'cancelled');
  });

  it('E2: a meeting whose only room is not synced (ignored tag) → nothing at all', async () => {
    const before = (await stack.loans()).length;
    const meeting = person('hugo.bernard@universite.test').createMeeting({
      subject: 'Salle non synchronisée',
      start: at(8, '09:00'),
      end: at(8, '10:00'),
      rooms: [B103],
    });
    // B-103 is not synced: no subscription, so nothing reaches us for it — and nothing happens.
    await settled(stack);
    expect((await stack.loans()).length).toBe(before);
    expect(await stack.journal({ iCalUId: meeting.iCalUId! })).toEqual([]);
  });

  it('V2: time zones are honoured (a meeting set in Europe/Paris lands at the right UTC instant)', async () => {
    const day = at(9, '00:00').slice(0, 10);
    const meeting = person('hugo.bernard@universite.test').createMeeting({
      subject: 'Heure de Paris',
      start: { dateTime: `${day}T15:00:00`, timeZone: 'Europe/Paris' },
      end: { dateTime: `${day}T16:10:00`, timeZone: 'Europe/Paris' },
      rooms: [A001],
    });
    const loan = await loanOf(meeting.iCalUId!);
    const offsetH =
      new Date(`${day}T12:00:00Z`).toLocaleString('en-GB', {
        timeZone: 'Europe/Paris',
        hour: '2-digit',
        hourCycle: 'h23',
      }) === '13'
        ? 1
        : 2;
    expect(loan.start).toBe(new Date(`${day}T${String(15 - offsetH).padStart(2, '0')}:00:00Z`).toISOString());
    expect(loan.end).toBe(new Date(`${day}T${String(16 - offsetH).padStart(2, '0')}:15:00Z`).toISOString());
  });

  it('B4: GET /api/admin/journal filters by eventId, loanId and since, and needs the admin token', async () => {
    await request(stack.service.url).get('/api/admin/journal').expect(401);
    const meeting = person('hugo.bernard@universite.test').createMeeting({
      subject: 'Journal',
      start: at(10, '09:00'),
      end: at(10, '10:00'),
      rooms: [A201],
    });
    const loan = await loanOf(meeting.iCalUId!);
    const byLoan = await stack.journal({ loanId: loan.id });
    expect(byLoan.length).toBeGreaterThan(0);
    expect(byLoan.every((e) => e.loanId === loan.id)).toBe(true);
    const roomCopy = stack.emulator.control.eventsOf(A201).find((e) => e.iCalUId === meeting.iCalUId)!;
    // The service knows the copy by the id Graph gives it (immutable: it asks for those).
    const byEvent = await stack.journal({
      eventId: stack.emulator.control.immutableIdOf(A201, roomCopy.id!),
    });
    expect(byEvent.some((e) => e.kind === 'created')).toBe(true);
    const future = await stack.journal({ since: new Date(Date.now() + 60_000).toISOString() });
    expect(future).toEqual([]);
    const limited = await stack.journal({ limit: '1' });
    expect(limited).toHaveLength(1);
  });
});
