import request from 'supertest';
import { SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS } from '../../emulator';
import type {
  AdminStatus,
  DeadLetterList,
  DeadLetterRetried,
  ReconcileRun,
  ReconcileRunStarted,
  SettingsView,
} from '../../contract/admin';
import type { JournalEntry } from '../../contract/journal';
import { ROOM_EVENT_QUEUE } from '../../server/sync/jobs';
import { DAILY_CHECK_QUEUE } from '../../server/sync/operations/dailyCheck';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';

// Issue 15 / B6 on the real service and emulator: a re-sync with its progress, dead letters an
// admin retries, and the daily connection check.
jest.setTimeout(120_000);

const ORGANIZER = 'hugo.bernard@universite.test';
const A101 = 'salle-a101@universite.test';
const B101 = 'salle-b101@universite.test';
const WITHOUT_CALENDARS = SAMPLE_PERMISSIONS.filter((p) => !p.startsWith('Calendars.'));

let stack: Stack;
beforeAll(async () => {
  // Retries capped: a job that keeps failing gives up (and is dead-lettered) in seconds.
  stack = await startStack({
    label: 'ops-resync',
    service: { timings: { jobRetryCap: { retryLimit: 1, retryDelaySeconds: 1 } } },
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  stack.emulator.control.setPermissions(SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS);
  stack.emulator.control.resetFaults();
});

const api = () => request(stack.service.url);
const run = async (id: string): Promise<ReconcileRun> => {
  const res = await api().get(`/api/admin/reconcile/${id}`).set(ADMIN);
  expect(res.status).toBe(200);
  return res.body as ReconcileRun;
};
const runCount = async (): Promise<number> =>
  Number(
    (await stack.service.database.executeSql('SELECT count(*) AS n FROM sync_reconcile_runs')).rows[0].n,
  );

describe('B6 B1: re-sync with progress', () => {
  it('B6 B1: without Calendars.* a meeting → an error entry; restored, POST /api/admin/reconcile → finished → the loan', async () => {
    const control = stack.emulator.control;
    control.setPermissions(SAMPLE_CLIENT_ID, WITHOUT_CALENDARS);
    const meeting = control.person(ORGANIZER).createMeeting({
      subject: 'Jury',
      start: at(4, '10:00'),
      end: at(4, '11:00'),
      rooms: [A101],
    });
    const error = await waitFor(async () => (await stack.journal({ roomEmail: A101, kind: 'error' }))[0], {
      what: 'the error entry of Salle A-101',
      timeoutMs: 10_000,
    });
    expect(error.message).toContain('Calendars.Read');
    expect((await stack.loansOfRoom(A101)).length).toBe(0);
    const status = (await api().get('/api/admin/status').set(ADMIN)).body as AdminStatus;
    expect(status.rooms.find((r) => r.email === A101)?.errors).toBeGreaterThanOrEqual(1);

    control.setPermissions(SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS);
    const started = await api().post('/api/admin/reconcile').set(ADMIN).send({ roomEmail: A101 });
    expect(started.status).toBe(202);
    const { id } = started.body as ReconcileRunStarted;
    expect(['queued', 'running', 'finished']).toContain((await run(id)).state);
    const finished = await waitFor(
      async () => {
        const r = await run(id);
        return r.state === 'finished' || r.state === 'failed' ? r : undefined;
      },
      { what: 'the re-sync to end' },
    );
    expect(finished).toMatchObject({
      id,
      state: 'finished',
      roomsDone: 1,
      roomsTotal: 1,
      errors: [],
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    expect(finished.itemsQueued).toBeGreaterThanOrEqual(1);
    const created = await waitFor(
      async () => (await stack.journal({ iCalUId: meeting.iCalUId! })).find((e) => e.kind === 'created'),
      { what: 'the loan of the meeting' },
    );
    expect((await stack.loansOfRoom(A101)).map((l) => l.id)).toContain(created.loanId);
  });

  it('B6: a re-sync of every room while the app cannot read calendars → each room named in its errors, failed', async () => {
    stack.emulator.control.setPermissions(SAMPLE_CLIENT_ID, WITHOUT_CALENDARS);
    const { id } = (await api().post('/api/admin/reconcile').set(ADMIN).send({})).body as ReconcileRunStarted;
    const ended = await waitFor(
      async () => {
        const r = await run(id);
        return r.state === 'finished' || r.state === 'failed' ? r : undefined;
      },
      { what: 'the re-sync to end' },
    );
    expect(ended.state).toBe('failed');
    expect(ended.roomsDone).toBe(ended.roomsTotal);
    expect(ended.roomsTotal).toBeGreaterThan(1);
    expect(ended.errors).toHaveLength(ended.roomsTotal);
    expect(ended.errors[0]).toEqual({
      roomEmail: expect.any(String),
      message: expect.stringContaining('Calendars.Read'),
    });
  });

  it('B6: bad re-sync requests → 400/404/401, no run made', async () => {
    const before = await runCount();
    expect((await api().post('/api/admin/reconcile').send({})).status).toBe(401);
    expect(
      (await api().post('/api/admin/reconcile').set(ADMIN).send({ roomEmail: 'not an e-mail' })).status,
    ).toBe(400);
    expect((await api().post('/api/admin/reconcile').set(ADMIN).send({ rooms: 'all' })).status).toBe(400);
    const unknown = await api()
      .post('/api/admin/reconcile')
      .set(ADMIN)
      .send({ roomEmail: 'nobody@universite.test' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    expect((await api().get('/api/admin/reconcile/42').set(ADMIN)).status).toBe(400);
    expect((await api().get(`/api/admin/reconcile/${crypto.randomUUID()}`).set(ADMIN)).status).toBe(404);
    expect(await runCount()).toBe(before);
  });
});

describe('B6: dead letters', () => {
  it('B6: a job that exhausts its retries is listed; retried once the fault is gone, it succeeds', async () => {
    const control = stack.emulator.control;
    control.setFaults({ retryAfterSeconds: 0, rules: [{ method: 'GET', path: '/events/', rate503: 1 }] });
    const meeting = control.person(ORGANIZER).createMeeting({
      subject: 'Séminaire',
      start: at(5, '14:00'),
      end: at(5, '15:00'),
      rooms: [B101],
    });
    const letter = await waitFor(
      async () => {
        const res = await api().get('/api/admin/dead-letters').set(ADMIN);
        expect(res.status).toBe(200);
        return (res.body as DeadLetterList).deadLetters.find(
          (d) => d.queue === ROOM_EVENT_QUEUE && d.job.roomEmail === B101,
        );
      },
      { what: 'the dead letter of the job', timeoutMs: 30_000 },
    );
    expect(letter).toMatchObject({
      id: expect.any(String),
      attempts: 2,
      lastError: expect.stringMatching(/temporarily unavailable/),
      at: expect.any(String),
    });
    const status = (await api().get('/api/admin/status').set(ADMIN)).body as AdminStatus;
    expect(status.queue.deadLetters).toBeGreaterThanOrEqual(1);
    expect(status.queue.byQueue[ROOM_EVENT_QUEUE].deadLetters).toBeGreaterThanOrEqual(1);
    expect((await stack.loansOfRoom(B101)).length).toBe(0);

    control.resetFaults();
    const retried = await api().post(`/api/admin/dead-letters/${letter.id}/retry`).set(ADMIN);
    expect(retried.status).toBe(200);
    expect(retried.body as DeadLetterRetried).toEqual({ id: expect.any(String), queue: ROOM_EVENT_QUEUE });
    await waitFor(
      async () => (await stack.journal({ iCalUId: meeting.iCalUId! })).find((e) => e.kind === 'created'),
      { what: 'the loan made by the retried job' },
    );
    expect((await stack.loansOfRoom(B101)).length).toBe(1);
    // Retried once: no longer waiting, and a second retry is refused.
    const after = (await api().get('/api/admin/dead-letters').set(ADMIN)).body as DeadLetterList;
    expect(after.deadLetters.some((d) => d.id === letter.id)).toBe(false);
    expect((await api().post(`/api/admin/dead-letters/${letter.id}/retry`).set(ADMIN)).status).toBe(404);
  });

  it('B6: bad dead-letter ids → 400/404/401', async () => {
    expect((await api().get('/api/admin/dead-letters')).status).toBe(401);
    expect((await api().post('/api/admin/dead-letters/abc/retry').set(ADMIN)).status).toBe(400);
    expect((await api().post(`/api/admin/dead-letters/${crypto.randomUUID()}/retry`).set(ADMIN)).status).toBe(
      404,
    );
  });
});

describe('S2 B6: the daily connection check', () => {
  it('S2 B6: a permission revoked after the save → an error entry naming it the same day; settings unchanged', async () => {
    const before = (await api().get('/api/admin/integration').set(ADMIN)).body as SettingsView;
    stack.emulator.control.setPermissions(
      SAMPLE_CLIENT_ID,
      SAMPLE_PERMISSIONS.filter((p) => p !== 'Calendars.ReadWrite'),
    );
    await stack.service.queue.send(DAILY_CHECK_QUEUE, { data: {} });
    const entry: JournalEntry = await waitFor(
      async () =>
        (await stack.journal({ kind: 'error' })).find(
          (e) => (e.details as { check?: string } | null)?.check === 'daily',
        ),
      { what: "the daily check's error entry" },
    );
    expect(entry.message).toBe(
      'Daily connection check: the app lacks Calendars.ReadWrite (Calendars.ReadWrite granted when the settings were saved, revoked since) — ' +
        'grant them in Entra ID (API permissions, admin consent) and press Re-sync in the admin page',
    );
    expect(entry.details).toMatchObject({
      failure: 'permission_missing',
      permission: 'Calendars.ReadWrite',
      revoked: ['Calendars.ReadWrite'],
    });
    expect((await api().get('/api/admin/integration').set(ADMIN)).body).toEqual(before);
  });
});
