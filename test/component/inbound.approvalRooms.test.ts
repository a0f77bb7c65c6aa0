import request from 'supertest';
import type { AddinLoanResponse } from '../../contract/addin';
import type { Loan } from '../../contract/hector';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';

// B5 (rooms that need a delegate's approval, office-docs-powershell#4059) and late room answers
// (GRAPH-FACTS "Real tenants"), on the real service against the emulator.
jest.setTimeout(90_000);

const HUGO = 'hugo.bernard@universite.test';
const LEA = 'lea.dubois@universite.test';
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';
const B101 = 'salle-b101@universite.test';
const B201 = 'salle-b201@universite.test';

let stack: Stack;
// The service's business clock follows the emulator's when a test moves it.
let offsetMs = 0;
beforeAll(async () => {
  stack = await startStack({
    label: 'approval-rooms',
    service: { now: () => new Date(Date.now() + offsetMs) },
  });
  for (const room of [A101, B101, B201]) stack.emulator.control.updateRoom(room, { requiresApproval: true });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const control = () => stack.emulator.control;
const activeRooms = (l: Loan): string =>
  l.items
    .filter((i) => i.status === 'active')
    .map((i) => i.email)
    .sort()
    .join();
const roomCopyId = (room: string, iCalUId: string): string =>
  control()
    .eventsOf(room)
    .find((e) => e.iCalUId === iCalUId)!.id!;
/**
 * A room's delegate answers (the control API acts for them; the Graph route, POST
 * /users/{room}/events/{id}/accept|decline, is the same calendar call: test/emulator/emulator.approvalRooms.test.ts).
 */
const delegate = async (room: string, iCalUId: string, action: 'accept' | 'decline'): Promise<void> => {
  control()
    .person(room)
    .respond(roomCopyId(room, iCalUId), action === 'accept' ? 'accepted' : 'declined');
  await control().flushNotifications();
};
async function loanOf(iCalUId: string, ok: (l: Loan) => boolean, what: string): Promise<Loan> {
  return waitFor(
    async () => {
      const ids = [...new Set((await stack.journal({ iCalUId })).map((e) => e.loanId).filter(Boolean))];
      const loans = (await stack.loans()).filter((l) => ids.includes(l.id));
      return loans.length === 1 && ok(loans[0]) ? loans[0] : undefined;
    },
    { what, timeoutMs: 20_000 },
  );
}

describe('B5: a room that needs its delegate’s approval', () => {
  it('B5: the loan is pending approval while the room waits, new once the delegate accepts', async () => {
    const m = control()
      .person(HUGO)
      .createMeeting({ subject: 'Jury', start: at(3, '09:00'), end: at(3, '10:00'), rooms: [A101] });
    const pending = await loanOf(m.iCalUId!, (l) => l.status === 'pending_approval', 'a pending loan');
    expect(activeRooms(pending)).toBe(A101);
    await delegate(A101, m.iCalUId!, 'accept');
    const approved = await loanOf(m.iCalUId!, (l) => l.status === 'new', 'the loan to become new');
    expect(approved.id).toBe(pending.id);
    expect(activeRooms(approved)).toBe(A101);
  });

  it('B5: with a room that answers by itself, the declined approval room leaves the loan, which becomes new', async () => {
    const m = control()
      .person(HUGO)
      .createMeeting({ subject: 'Conseil', start: at(4, '09:00'), end: at(4, '10:00'), rooms: [A102, B101] });
    const pending = await loanOf(
      m.iCalUId!,
      (l) => l.status === 'pending_approval' && activeRooms(l) === [A102, B101].sort().join(),
      'a pending loan of both rooms',
    );
    await delegate(B101, m.iCalUId!, 'decline');
    const after = await loanOf(
      m.iCalUId!,
      (l) => activeRooms(l) === A102 && l.status === 'new',
      'B-101 cancelled from the loan, the loan new',
    );
    expect(after.id).toBe(pending.id);
    expect(after.items.find((i) => i.email === B101)?.status).toBe('cancelled');
  });

  it('B5: two approval rooms: one accepting keeps the loan pending until the other does', async () => {
    const m = control()
      .person(HUGO)
      .createMeeting({
        subject: 'Soutenance',
        start: at(5, '14:00'),
        end: at(5, '15:00'),
        rooms: [B101, B201],
      });
    await loanOf(
      m.iCalUId!,
      (l) => l.status === 'pending_approval' && activeRooms(l) === [B101, B201].join(),
      'a pending loan of both rooms',
    );
    await delegate(B101, m.iCalUId!, 'accept');
    // The organizer's copy says B-201 still waits: nothing changes (the journal says in sync).
    await waitFor(
      async () =>
        (await stack.journal({ iCalUId: m.iCalUId! })).filter((e) => e.roomEmail === B101).length >= 2 ||
        undefined,
      { what: 'B-101’s accept to be read' },
    );
    expect((await loanOf(m.iCalUId!, () => true, 'the loan')).status).toBe('pending_approval');
    await delegate(B201, m.iCalUId!, 'accept');
    await loanOf(m.iCalUId!, (l) => l.status === 'new', 'the loan to become new');
  });

  it('B5: the only room declined by its delegate → the loan is cancelled', async () => {
    const m = control()
      .person(HUGO)
      .createMeeting({ subject: 'Refus', start: at(6, '09:00'), end: at(6, '10:00'), rooms: [A101] });
    await loanOf(m.iCalUId!, (l) => l.status === 'pending_approval', 'a pending loan');
    await delegate(A101, m.iCalUId!, 'decline');
    await loanOf(m.iCalUId!, (l) => l.status === 'cancelled', 'the loan to be cancelled');
  });

  it('B5, A1: the add-in says the loan waits for the room’s approval (French and English)', async () => {
    const m = control()
      .person(HUGO)
      .createMeeting({
        subject: 'Atelier',
        start: at(7, '09:00'),
        end: at(7, '10:00'),
        rooms: [A101],
        attendees: [LEA],
      });
    const loan = await loanOf(m.iCalUId!, (l) => l.status === 'pending_approval', 'a pending loan');
    const ask = async (upn: string, lang: string) => {
      const token = await control().issueUserToken({ upn });
      const itemId = control()
        .eventsOf(upn)
        .find((e) => e.iCalUId === m.iCalUId)!.id!;
      const res = await request(stack.service.url)
        .get('/api/addin/loan')
        .query({ itemId })
        .set('Accept-Language', lang)
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      return res.body as AddinLoanResponse;
    };
    const fr = await ask(HUGO, 'fr-FR');
    expect('loan' in fr && fr.loan).toMatchObject({
      id: loan.id,
      status: 'pending_approval',
      statusLabel: "En attente d'approbation",
      notice: { code: 'awaiting_approval', message: expect.stringMatching(/approbation de la salle/) },
    });
    // The attendee's copy shows `none` for the room (docs#5281): the answer comes from the loan.
    const en = await ask(LEA, 'en-US');
    expect('loan' in en && en.loan).toMatchObject({
      id: loan.id,
      notice: { code: 'awaiting_approval', message: expect.stringMatching(/room's approval/) },
    });
    await delegate(A101, m.iCalUId!, 'accept');
    await loanOf(m.iCalUId!, (l) => l.status === 'new', 'the loan to become new');
    const after = await ask(HUGO, 'en-US');
    expect('loan' in after && after.loan.notice).toBeUndefined();
  });
});

describe('late room answers (GRAPH-FACTS "Room answers come late")', () => {
  const reconcile = (roomEmail: string) =>
    request(stack.service.url).post('/api/admin/integration/reconcile').set(ADMIN).send({ roomEmail });

  it('B2, B5: a delegate answering 10 emulator minutes later, its notification lost, is caught by the next reconcile', async () => {
    const m = control()
      .person(HUGO)
      .createMeeting({ subject: 'Tardif', start: at(8, '09:00'), end: at(8, '10:00'), rooms: [B201] });
    const pending = await loanOf(m.iCalUId!, (l) => l.status === 'pending_approval', 'a pending loan');
    // Let every look at the meeting finish (reads, rooms' checks) before the answer comes.
    await control().flushNotifications();
    control().clock.advance(10 * 60_000);
    offsetMs += 10 * 60_000;
    control().setFaults({ notifications: { ...control().faults().notifications, dropRate: 1 } });
    try {
      await delegate(B201, m.iCalUId!, 'accept');
    } finally {
      control().setFaults({ notifications: { ...control().faults().notifications, dropRate: 0 } });
    }
    expect((await loanOf(m.iCalUId!, () => true, 'the loan')).status).toBe('pending_approval');
    expect((await reconcile(B201)).status).toBe(200);
    const after = await loanOf(
      m.iCalUId!,
      (l) => l.status === 'new',
      'the reconcile pass to make the loan new',
    );
    expect(after.id).toBe(pending.id);
  });
});
