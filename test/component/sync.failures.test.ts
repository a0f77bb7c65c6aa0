import request from 'supertest';
import { SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS } from '../../emulator';
import type { AddinLoanResponse } from '../../contract/addin';
import type { Loan } from '../../contract/hector';
import type { JournalEntry } from '../../contract/journal';
import { OUTBOUND_LOAN_QUEUE, ROOM_EVENT_QUEUE } from '../../server/sync/jobs';
import { settled } from '../support/settled';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';

// B6 on the real service and emulator: a failure is journaled as an `error` with its reason and
// its remedy — at once when retries cannot help (the app lost its calendar permissions), when the
// last retry gives up otherwise — and the add-in says `sync_failed` with that reason.
jest.setTimeout(90_000);

const ORGANIZER = 'hugo.bernard@universite.test';
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';
const A201 = 'salle-a201@universite.test';
const WITHOUT_CALENDARS = SAMPLE_PERMISSIONS.filter((p) => !p.startsWith('Calendars.'));

let stack: Stack;
beforeAll(async () => {
  // Retries capped (Config.timings.jobRetryCap): a job that keeps failing gives up in seconds.
  stack = await startStack({
    label: 'sync-failures',
    service: { timings: { jobRetryCap: { retryLimit: 1, retryDelaySeconds: 1 } } },
  });
  // The activation backfill passes every room: done before a test takes the app's permissions away.
  await settled(stack);
}, 60_000);
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  stack.emulator.control.setPermissions(SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS);
  stack.emulator.control.resetFaults();
});

const errorsOfRoom = async (room: string): Promise<JournalEntry[]> =>
  stack.journal({ roomEmail: room, kind: 'error' });

const askAddin = async (itemId: string): Promise<AddinLoanResponse> => {
  const bearer = await stack.emulator.control.issueUserToken({ upn: ORGANIZER });
  const res = await request(stack.service.url)
    .get('/api/addin/loan')
    .query({ itemId, lang: 'en' })
    .set('Authorization', `Bearer ${bearer}`);
  expect(res.status).toBe(200);
  return res.body as AddinLoanResponse;
};

describe('B6: a permission the app lost', () => {
  it('B6 A2: without Calendars.*, a new meeting → one error naming Calendars.Read, the add-in says sync_failed; restored + re-sync → the loan', async () => {
    const control = stack.emulator.control;
    control.setPermissions(SAMPLE_CLIENT_ID, WITHOUT_CALENDARS);
    // Graph delivers a change more than once: the same failure is still journaled once.
    control.setFaults({
      notifications: { ...control.faults().notifications, duplicates: { min: 3, max: 3 } },
    });
    const meeting = control.person(ORGANIZER).createMeeting({
      subject: 'Soutenance',
      start: at(4, '10:00'),
      end: at(4, '11:00'),
      rooms: [A101],
    });

    const [error] = await waitFor(
      async () => {
        const entries = await errorsOfRoom(A101);
        return entries.length ? entries : undefined;
      },
      { what: 'the error entry of Salle A-101', timeoutMs: 10_000 },
    );
    expect(error.message).toBe(
      "Hector cannot read Salle A-101's calendar: the app lacks Calendars.Read — grant it in Entra ID " +
        '(API permissions, admin consent) and press Re-sync in the admin page',
    );
    expect(error).toMatchObject({
      kind: 'error',
      roomEmail: A101,
      eventId: expect.any(String),
      details: expect.objectContaining({
        failure: 'permission_missing',
        permission: 'Calendars.Read',
        scope: 'room',
      }),
    });

    // Not retried into a storm: every job of the meeting ended at its first try, one entry in all.
    await settled(stack);
    expect(await errorsOfRoom(A101)).toHaveLength(1);
    const { rows } = await stack.service.database.executeSql(
      `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND retry_count > 0`,
      [ROOM_EVENT_QUEUE],
    );
    expect(Number(rows[0].n)).toBe(0);

    // The add-in reads the organizer's own copy on their behalf (delegated rights still hold).
    expect(await askAddin(meeting.id!)).toEqual({
      reason: { code: 'sync_failed', message: error.message },
    });

    control.setPermissions(SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS);
    const pass = await request(stack.service.url)
      .post('/api/admin/integration/reconcile')
      .set(ADMIN)
      .send({ roomEmail: A101 });
    expect(pass.status).toBe(200);
    const created = await waitFor(
      async () => (await stack.journal({ iCalUId: meeting.iCalUId! })).find((e) => e.kind === 'created'),
      { what: 'the loan of the meeting' },
    );
    const answer = await askAddin(meeting.id!);
    expect('loan' in answer && answer.loan.id).toBe(created.loanId);
  });
});

describe('B6: Hector → Outlook without the write permission', () => {
  it('B6 HC1: without Calendars.ReadWrite, a loan made in Hector → one error naming it and the loan, not retried', async () => {
    const control = stack.emulator.control;
    control.setPermissions(
      SAMPLE_CLIENT_ID,
      SAMPLE_PERMISSIONS.filter((p) => p !== 'Calendars.ReadWrite'),
    );
    const place = (await stack.places()).get(A201)!;
    const res = await request(stack.service.url)
      .post('/api/hector/loans')
      .set(ADMIN)
      .send({
        requester: { email: ORGANIZER, name: 'Hugo Bernard' },
        start: at(6, '09:00'),
        end: at(6, '10:00'),
        items: [{ kind: 'place', id: place.id }],
      });
    expect(res.status).toBe(201);
    const loan = res.body as Loan;
    const error = await waitFor(async () => (await stack.journal({ loanId: loan.id, kind: 'error' }))[0], {
      what: 'the error entry of the loan',
      timeoutMs: 10_000,
    });
    expect(error.message).toBe(
      `Hector cannot write to ${ORGANIZER}'s calendar for loan #${loan.number}: the app lacks Calendars.ReadWrite — ` +
        'grant it in Entra ID (API permissions, admin consent) and press Re-sync in the admin page',
    );
    expect(error.details).toMatchObject({
      failure: 'permission_missing',
      direction: 'outbound',
      mailbox: ORGANIZER,
    });
    await settled(stack);
    const { rows } = await stack.service.database.executeSql(
      `SELECT count(*) AS n FROM pgboss.job WHERE name = $1 AND retry_count > 0`,
      [OUTBOUND_LOAN_QUEUE],
    );
    expect(Number(rows[0].n)).toBe(0);
    expect(await stack.journal({ loanId: loan.id, kind: 'error' })).toHaveLength(1);
  });
});

describe('B6: a transient failure that never ends', () => {
  it('B6: Graph 503 on every read of the room copies → retried, then one error saying it gave up', async () => {
    const control = stack.emulator.control;
    // Every read of an event answers 503 (with Retry-After 0: the gateway's own retries are quick).
    control.setFaults({ retryAfterSeconds: 0, rules: [{ method: 'GET', path: '/events/', rate503: 1 }] });
    control.person(ORGANIZER).createMeeting({
      subject: 'Conseil',
      start: at(5, '14:00'),
      end: at(5, '15:00'),
      rooms: [A102],
    });
    const [error] = await waitFor(
      async () => {
        const entries = await errorsOfRoom(A102);
        return entries.length ? entries : undefined;
      },
      { what: 'the error entry of Salle A-102', timeoutMs: 30_000 },
    );
    expect(error.message).toMatch(
      /^Hector gave up trying to sync the meeting in Salle A-102 after 2 tries: Graph answered 503 \(ServiceNotAvailable\) — the next re-sync tries again/,
    );
    expect(error.details).toMatchObject({
      failure: 'transient',
      scope: 'meeting',
      attempts: 2,
      graphStatus: 503,
    });
    // Given up means dead-lettered, for an operator to see.
    await waitFor(
      async () =>
        (await stack.service.queue.deadLetters<{ roomEmail: string }>(ROOM_EVENT_QUEUE)).some(
          (d) => d.data.roomEmail === A102,
        ),
      { what: 'the dead letter of the job' },
    );
  });
});
