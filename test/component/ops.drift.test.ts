import request from 'supertest';
import type {
  AdminStatus,
  DriftFixQueued,
  ReconcileRun,
  ReconcileRunStarted,
  RoomDrift,
  SavedSettings,
} from '../../contract/admin';
import type { Loan } from '../../contract/hector';
import { OUTBOUND_LOAN_QUEUE, ROOM_EVENT_QUEUE } from '../../server/sync/jobs';
import { ADMIN, at, sampleSettings, startStack, waitFor, type Stack } from '../support/stack';

// Issue 15 / B1 B2 on the real service and emulator: the backfill after a save is a run with its
// progress; a re-sync's drift report names meetings without a loan and loans without a meeting,
// each with its reason, and its fix queues them again.
jest.setTimeout(120_000);

const ORGANIZER = 'hugo.bernard@universite.test';
const A101 = 'salle-a101@universite.test';
const B101 = 'salle-b101@universite.test';

let stack: Stack;
beforeAll(async () => {
  // Retries capped: a job that keeps failing gives up in seconds.
  stack = await startStack({
    label: 'ops-drift',
    service: { timings: { jobRetryCap: { retryLimit: 1, retryDelaySeconds: 1 } } },
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});
afterEach(() => stack.emulator.control.resetFaults());

const api = () => request(stack.service.url);
const ended = (id: string): Promise<ReconcileRun> =>
  waitFor(
    async () => {
      const res = await api().get(`/api/admin/reconcile/${id}`).set(ADMIN);
      expect(res.status).toBe(200);
      const run = res.body as ReconcileRun;
      return run.state === 'finished' || run.state === 'failed' ? run : undefined;
    },
    { what: 'the re-sync to end', timeoutMs: 60_000 },
  );
const resync = async (): Promise<ReconcileRun> => {
  const started = await api().post('/api/admin/reconcile').set(ADMIN).send({});
  expect(started.status).toBe(202);
  return ended((started.body as ReconcileRunStarted).id);
};
const driftOf = (run: ReconcileRun, room: string): RoomDrift => {
  const drift = run.drift?.find((d) => d.roomEmail === room);
  if (!drift) throw new Error(`no drift report for ${room}: ${JSON.stringify(run.drift)}`);
  return drift;
};

describe('B1: the backfill after a save is a re-sync run', () => {
  it('B1: the save answers the backfill run, which reaches finished with its drift; the status names it', async () => {
    const saved = await api().put('/api/admin/integration').set(ADMIN).send(sampleSettings());
    expect(saved.status).toBe(200);
    const { backfill } = saved.body as SavedSettings;
    expect(backfill).toEqual({ id: expect.any(String) });
    const status = (await api().get('/api/admin/status').set(ADMIN)).body as AdminStatus;
    expect(status.latestReconcileRun?.id).toBe(backfill!.id);
    const run = await ended(backfill!.id);
    expect(run).toMatchObject({ id: backfill!.id, state: 'finished', reason: 'activation', errors: [] });
    expect(run.roomsDone).toBe(run.roomsTotal);
    expect(run.roomsTotal).toBeGreaterThan(1);
    const active = status.rooms.filter((r) => r.active).map((r) => r.email);
    expect(run.drift?.map((d) => d.roomEmail).sort()).toEqual(active.sort());
  });

  it('B1: a save that leaves the integration disabled queues no backfill', async () => {
    const saved = await api()
      .put('/api/admin/integration')
      .set(ADMIN)
      .send(sampleSettings({ enabled: false }));
    expect(saved.status).toBe(200);
    expect((saved.body as SavedSettings).backfill).toBeNull();
    const back = await api().put('/api/admin/integration').set(ADMIN).send(sampleSettings());
    await ended((back.body as SavedSettings).backfill!.id);
  });
});

describe('B2: the drift report of a re-sync', () => {
  it('B2: a meeting whose job gave up and a loan never written to Outlook → listed with their reasons; fixed → gone', async () => {
    const control = stack.emulator.control;
    // Reading a room copy and writing an event fail until the faults are reset.
    control.setFaults({
      retryAfterSeconds: 0,
      rules: [
        { method: 'GET', path: '/events/', rate503: 1 },
        { method: 'POST', path: '/events', rate503: 1 },
      ],
    });
    const meeting = control.person(ORGANIZER).createMeeting({
      subject: 'Conseil de faculté',
      start: at(6, '09:00'),
      end: at(6, '10:00'),
      rooms: [A101],
    });
    const places = await stack.places();
    const created = await api()
      .post('/api/hector/loans')
      .set(ADMIN)
      .send({
        requester: { email: ORGANIZER, name: 'Hugo Bernard' },
        start: at(6, '14:00'),
        end: at(6, '15:00'),
        items: [{ kind: 'place', id: places.get(B101)!.id }],
      });
    expect(created.status).toBe(201);
    const loan = created.body as Loan;
    // Both jobs give up: their failures are journaled (B6) — the reasons the report gives.
    const meetingError = await waitFor(
      async () => (await stack.journal({ roomEmail: A101, kind: 'error' })).find((e) => e.eventId !== null),
      { what: "the meeting's error entry", timeoutMs: 30_000 },
    );
    await waitFor(async () => (await stack.journal({ loanId: loan.id, kind: 'error' }))[0], {
      what: "the loan's error entry",
      timeoutMs: 30_000,
    });

    const run = await resync();
    expect(run.state).toBe('finished');
    const a101 = driftOf(run, A101);
    expect(a101.meetingsWithoutLoan).toEqual([
      {
        iCalUId: meeting.iCalUId,
        eventId: meetingError.eventId,
        // The room copy's subject (Exchange rooms put the organizer's name there by default).
        subject: expect.any(String),
        start: new Date(at(6, '09:00')).toISOString(),
        reason: expect.stringMatching(/\S/),
      },
    ]);
    const latest = (await stack.journal({ eventId: meetingError.eventId! }))[0];
    expect(a101.meetingsWithoutLoan[0].reason).toBe(latest.message);
    const b101 = driftOf(run, B101);
    expect(b101.loansWithoutMeeting).toEqual([
      {
        loanId: loan.id,
        number: loan.number,
        reason: expect.stringMatching(/^No meeting in the room's calendar\./),
      },
    ]);
    expect(b101.meetingsWithoutLoan).toEqual([]);

    control.resetFaults();
    const fixMeeting = await api()
      .post(`/api/admin/reconcile/${run.id}/fix`)
      .set(ADMIN)
      .send({ kind: 'meeting', id: meetingError.eventId });
    expect(fixMeeting.status).toBe(202);
    expect(fixMeeting.body as DriftFixQueued).toEqual({
      kind: 'meeting',
      id: meetingError.eventId,
      queue: ROOM_EVENT_QUEUE,
    });
    const fixLoan = await api()
      .post(`/api/admin/reconcile/${run.id}/fix`)
      .set(ADMIN)
      .send({ kind: 'loan', id: loan.id });
    expect(fixLoan.status).toBe(202);
    expect(fixLoan.body as DriftFixQueued).toEqual({ kind: 'loan', id: loan.id, queue: OUTBOUND_LOAN_QUEUE });
    await waitFor(
      async () => (await stack.journal({ iCalUId: meeting.iCalUId! })).find((e) => e.kind === 'created'),
      { what: 'the loan of the re-queued meeting' },
    );

    const after = await resync();
    expect(driftOf(after, A101).meetingsWithoutLoan).toEqual([]);
    expect(driftOf(after, B101).loansWithoutMeeting).toEqual([]);
  });

  it('B2: fixes the run does not name, bad bodies and ids → 404/400/401', async () => {
    const run = await resync();
    const fix = (id: string, body: unknown) =>
      api()
        .post(`/api/admin/reconcile/${id}/fix`)
        .set(ADMIN)
        .send(body as object);
    expect(
      (await api().post(`/api/admin/reconcile/${run.id}/fix`).send({ kind: 'loan', id: 'x' })).status,
    ).toBe(401);
    expect((await fix(run.id, { kind: 'loan', id: crypto.randomUUID() })).status).toBe(404);
    expect((await fix(run.id, { kind: 'meeting', id: 'AAMkNotInTheReport' })).status).toBe(404);
    expect((await fix(crypto.randomUUID(), { kind: 'meeting', id: 'AAMk1' })).status).toBe(404);
    expect((await fix(run.id, { kind: 'room', id: 'x' })).status).toBe(400);
    expect((await fix(run.id, { kind: 'loan' })).status).toBe(400);
    expect((await fix(run.id, { kind: 'loan', id: 'x', extra: true })).status).toBe(400);
    expect((await fix('42', { kind: 'loan', id: 'x' })).status).toBe(400);
  });
});
