import request from 'supertest';
import { settled } from '../support/settled';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';
import { isRoomSubscription } from '../support/roomSubscription';

// Flow 7 (B1, B2): calendarView delta per room, every item through the inbound job. A person acts
// in the emulator as in Outlook; the test reads loans through /api/hector and the journal.
jest.setTimeout(30_000);
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';
const ORGANIZER = 'hugo.bernard@universite.test';

// One stack for the file (starting one costs seconds): B1 activates it, the B2 tests reuse it.
let stack: Stack;
beforeAll(async () => {
  // Saved but not enabled: no rooms imported, no subscription, so no notification can reach us.
  stack = await startStack({ label: 'reconcile', settings: { enabled: false } });
}, 90_000);

afterAll(async () => {
  await stack?.close();
});

/** The loans linked to a meeting (by the iCalUId the journal records). */
async function loanIdsOf(iCalUId: string): Promise<string[]> {
  const entries = await stack.journal({ iCalUId });
  return [...new Set(entries.map((e) => e.loanId).filter((id): id is string => !!id))];
}

async function loanOf(iCalUId: string): Promise<string> {
  return waitFor(async () => (await loanIdsOf(iCalUId))[0], { what: `the loan of ${iCalUId}` });
}

const reconcileNow = (body: object = {}) =>
  request(stack.service.url).post('/api/admin/integration/reconcile').set(ADMIN).send(body);

const subscriptionOf = (room: string) =>
  stack.emulator.control.subscriptions().find(isRoomSubscription(stack.emulator.control, room));

describe('Reconcile / backfill', () => {
  it('on demand while the saved integration is disabled: 409 INTEGRATION_DISABLED', async () => {
    const res = await reconcileNow();
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INTEGRATION_DISABLED');
  });

  it('B1: a meeting booked before the integration was configured becomes a loan at activation', async () => {
    const meeting = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Soutenance',
      start: at(3, '14:00'),
      end: at(3, '15:00'),
      rooms: [A101],
    });
    expect(await loanIdsOf(meeting.iCalUId!)).toEqual([]);

    const saved = await request(stack.service.url)
      .put('/api/admin/integration')
      .set(ADMIN)
      .send({ ...(await currentSettings()), enabled: true });
    expect(saved.status).toBe(200);

    const loanId = await loanOf(meeting.iCalUId!);
    const loan = (await request(stack.service.url).get(`/api/hector/loans/${loanId}`).set(ADMIN)).body;
    expect(loan.origin).toBe('outlook');
    expect(loan.start).toBe(at(3, '14:00'));
    const decided = (await stack.journal({ iCalUId: meeting.iCalUId! })).find((e) => e.loanId);
    expect(decided?.details?.changeType).toBe('reconciled');
    const passes = await stack.journal({ roomEmail: A101 });
    expect(passes.some((e) => /^Reconciled Salle A-101: first pass/.test(e.message))).toBe(true);
  });

  it('B2: notifications dropped, then a missed lifecycle event → reconcile → the loan appears', async () => {
    // The activation pass stores A-102's delta link first, so the repair below is a replay.
    await waitFor(
      async () => (await stack.journal({ roomEmail: A102 })).some((e) => /^Reconciled/.test(e.message)),
      {
        what: 'the activation pass of A-102',
      },
    );
    const { control } = stack.emulator;
    control.setFaults({ notifications: { ...control.faults().notifications, dropRate: 1 } });
    const meeting = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Comité',
      start: at(4, '10:00'),
      end: at(4, '11:00'),
      rooms: [A102],
    });
    await settled(stack); // the notifications dropped, and nothing else on its way
    expect(await loanIdsOf(meeting.iCalUId!)).toEqual([]);

    const subscription = subscriptionOf(A102);
    expect(subscription).toBeDefined();
    await stack.emulator.control.sendLifecycle(subscription!.id!, 'missed');

    await loanOf(meeting.iCalUId!);
    control.setFaults({ notifications: { ...control.faults().notifications, dropRate: 0 } });
    const closed = await waitFor(
      async () =>
        (await stack.journal({ roomEmail: A102, kind: 'gap' })).find((e) =>
          /^Reconciled Salle A-102: 1 change since the last pass; 1 notification gap closed/.test(e.message),
        ),
      { what: 'the gap-closing pass of A-102' },
    );
    expect(closed.details?.full).toBe(false);
  });

  it('B2: a stale delta link (expired sync state) → full resync, still one loan per meeting', async () => {
    const meeting = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Séminaire',
      start: at(5, '09:00'),
      end: at(5, '10:00'),
      rooms: [A101],
    });
    await loanOf(meeting.iCalUId!);
    const anonymous = await request(stack.service.url).post('/api/admin/integration/reconcile').send({});
    expect(anonymous.status).toBe(401);
    expect((await reconcileNow({ roomEmail: A101 })).status).toBe(200);

    stack.emulator.control.expireDeltaTokens();
    const res = await reconcileNow({ roomEmail: A101 });
    expect(res.status).toBe(200);
    expect(res.body.rooms).toEqual([
      expect.objectContaining({ roomEmail: A101, full: true, expired: true, changes: expect.any(Number) }),
    ]);
    expect(res.body.rooms[0].changes).toBeGreaterThanOrEqual(1);

    // The replayed meeting went through the inbound job again: in sync, no second loan, and no
    // line of its own (issue 15: the pass writes the summary).
    await settled(stack);
    expect(await loanIdsOf(meeting.iCalUId!)).toHaveLength(1);
    expect(
      (await stack.journal({ iCalUId: meeting.iCalUId! })).filter(
        (e) => e.details?.changeType === 'reconciled' && e.kind === 'in_sync',
      ),
    ).toEqual([]);
    expect((await stack.loansOfRoom(A101)).filter((l) => l.start === at(5, '09:00'))).toHaveLength(1);
    const passes = await stack.journal({ roomEmail: A101 });
    expect(passes.some((e) => /delta link expired, full pass/.test(e.message))).toBe(true);
  });
});

/** The saved settings as a PUT body (the secret is kept when the client id does not change). */
async function currentSettings(): Promise<Record<string, unknown>> {
  const res = await request(stack.service.url).get('/api/admin/integration').set(ADMIN);
  const s = res.body as Record<string, unknown>;
  return {
    primaryDomain: s.primaryDomain,
    clientId: s.clientId,
    defaultStoreId: s.defaultStoreId ?? null,
    defaultUserEmail: s.defaultUserEmail,
    ignoredTags: s.ignoredTags,
  };
}
