import request from 'supertest';
import { SAMPLE_PERMISSIONS } from '../../emulator';
import type { ConnectionReport, SyncReport } from '../../contract/admin';
import type { Loan } from '../../contract/hector';
import { loanIdOf } from '../support/hectorEvents';
import { settled } from '../support/settled';
import { ADMIN, at, DEFAULT_USER, sampleSettings, startStack, waitFor, type Stack } from '../support/stack';

// README Azure step 7: an application access policy lets the app into the rooms' and the default
// user's mailboxes only; everyone else's answers 403 ErrorAccessDenied "Access to OData is
// disabled." (GRAPH-FACTS "Real tenants", GDC concepts/auth-limit-mailbox-access.md).
jest.setTimeout(60_000);
let stack: Stack;
let places: Map<string, { id: string }>;
const LEA = 'lea.dubois@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';
const A201 = 'salle-a201@universite.test';
const B001 = 'salle-b001@universite.test';

const roomEmails = (): string[] =>
  stack.emulator.control.state().rooms.map((r) => String(r.emailAddress).toLowerCase());
const restrictTo = (mailboxes: string[]): void => {
  stack.emulator.control.setAccessPolicy(stack.emulator.control.clientId, mailboxes);
};

beforeAll(async () => {
  stack = await startStack({ label: 'access-policy' });
  places = await stack.places();
  restrictTo([...roomEmails(), DEFAULT_USER]);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const api = () => request(stack.service.url);
const getLoan = async (id: string): Promise<Loan> =>
  (await api().get(`/api/hector/loans/${id}`).set(ADMIN).expect(200)).body as Loan;

/** Jobs of these queues that failed at least once (pg-boss retries them): there must be none. */
async function failedJobs(queues: string): Promise<number> {
  const { rows } = await stack.service.database.executeSql(
    `SELECT count(*) AS n FROM pgboss.job
      WHERE name LIKE $1 AND (retry_count > 0 OR state IN ('retry', 'failed'))`,
    [queues],
  );
  return Number(rows[0].n);
}

async function loanOfMeeting(iCalUId: string): Promise<Loan> {
  const entry = await waitFor(
    async () => (await stack.journal({ iCalUId })).find((e) => e.kind === 'created' && e.loanId),
    { what: `the loan of ${iCalUId}` },
  );
  return getLoan(entry.loanId!);
}

it("OC1 V1 under an access policy of rooms + default user: a person's meeting becomes their loan, with them as requester", async () => {
  const meeting = stack.emulator.control.person(LEA).createMeeting({
    subject: 'Séminaire de Léa',
    start: at(4, '09:00'),
    end: at(4, '10:00'),
    rooms: [A102],
    attendees: [HUGO],
  });
  const loan = await loanOfMeeting(meeting.iCalUId!);
  expect(loan.requester.email).toBe(LEA);
  expect(loan.status).toBe('new');
  expect(loan.items.filter((i) => i.status === 'active').map((i) => i.email)).toEqual([A102]);
});

it("A1 under the policy: the person's add-in shows their loan — read on their behalf, which no access policy blocks", async () => {
  const meeting = stack.emulator.control.person(LEA).createMeeting({
    subject: 'Soutenance de Léa',
    start: at(4, '11:00'),
    end: at(4, '12:00'),
    rooms: [A201],
  });
  const loan = await loanOfMeeting(meeting.iCalUId!);
  const before = stack.emulator.control.stats().oboTokens;
  const bearer = await stack.emulator.control.issueUserToken({ upn: LEA });
  const res = await api()
    .get('/api/addin/loan')
    .query({ itemId: meeting.id!, lang: 'en' })
    .set('Authorization', `Bearer ${bearer}`)
    .expect(200);
  expect(res.body.loan?.id).toBe(loan.id);
  // The app itself may not read Léa's mailbox: the answer came through on-behalf-of.
  expect(stack.emulator.control.stats().oboTokens).toBeGreaterThan(before);
});

it("OX1 under the policy: the last room leaves a person's meeting → the loan is cancelled from the rooms' copies alone", async () => {
  const lea = stack.emulator.control.person(LEA);
  const meeting = lea.createMeeting({
    subject: 'Réunion sans salle',
    start: at(4, '14:00'),
    end: at(4, '15:00'),
    rooms: [A101],
  });
  const loan = await loanOfMeeting(meeting.iCalUId!);
  lea.changeRooms(meeting.id!, []);
  const cancelled = await waitFor(
    async () => {
      const l = await getLoan(loan.id);
      return l.status === 'cancelled' ? l : undefined;
    },
    { what: 'the loan to be cancelled' },
  );
  expect(cancelled.requester.email).toBe(LEA);
  // The journal line is written just after the loan: wait for it rather than race it.
  const line = await waitFor(
    async () => (await stack.journal({ loanId: loan.id })).find((e) => e.kind === 'cancelled'),
    { what: 'the cancelled line' },
  );
  expect(line.message).toContain(`the organizer's copy was not read: the mailbox of ${LEA} is outside`);
  await settled(stack);
  expect(await failedJobs('inbound-%')).toBe(0);
});

it("OU1 seen from Hector, under the policy: a change to a person's meeting outside it → one journal line, no retries", async () => {
  const meeting = stack.emulator.control.person(LEA).createMeeting({
    subject: 'Point hebdo',
    start: at(5, '09:00'),
    end: at(5, '10:00'),
    rooms: [A201],
  });
  const loan = await loanOfMeeting(meeting.iCalUId!);
  await settled(stack);
  stack.emulator.control.resetStats();

  await api()
    .patch(`/api/hector/loans/${loan.id}`)
    .set(ADMIN)
    .send({ start: at(5, '11:00'), end: at(5, '12:00'), version: loan.version })
    .expect(200);
  const line = await waitFor(
    async () => (await stack.journal({ loanId: loan.id })).find((e) => /access policy/.test(e.message)),
    { what: 'the journal line about the access policy' },
  );
  expect(line.message).toContain(`the mailbox of ${LEA} is outside the app's access policy`);
  await settled(stack);

  const lines = (await stack.journal({ loanId: loan.id })).filter((e) => /access policy/.test(e.message));
  expect(lines).toHaveLength(1);
  // One refused call on Léa's mailbox, and the job ended there: no retry storm.
  expect(stack.emulator.control.stats().byMailbox[LEA]).toBe(1);
  expect(await failedJobs('outbound-%')).toBe(0);
  // Her meeting is untouched.
  const mine = stack.emulator.control.eventsOf(LEA).find((e) => e.iCalUId === meeting.iCalUId)!;
  expect(mine.start?.dateTime).toMatch(at(5, '09:00').slice(0, 16));
});

it("HC1 under the policy: a Hector loan for a person outside it is booked from the default user's calendar, said once", async () => {
  stack.emulator.control.resetStats();
  const created = await api()
    .post('/api/hector/loans')
    .set(ADMIN)
    .send({
      requester: { email: HUGO },
      start: at(6, '14:00'),
      end: at(6, '15:00'),
      items: [{ kind: 'place', id: places.get(B001)!.id }],
    })
    .expect(201);
  const loanId = (created.body as Loan).id;
  const entry = await waitFor(
    async () => (await stack.journal({ loanId })).find((e) => e.kind === 'created'),
    { what: 'the event of the loan' },
  );
  expect(entry.message).toContain(`in ${DEFAULT_USER}'s calendar`);
  expect(entry.message).toContain(`the mailbox of ${HUGO} is outside the app's access policy`);
  await settled(stack);
  expect(stack.emulator.control.eventsOf(DEFAULT_USER).filter((e) => loanIdOf(e) === loanId)).toHaveLength(1);
  expect(stack.emulator.control.eventsOf(HUGO).filter((e) => loanIdOf(e) === loanId)).toHaveLength(0);
  expect(stack.emulator.control.stats().byMailbox[HUGO]).toBe(1);
  expect(await failedJobs('outbound-%')).toBe(0);
  const loan = await getLoan(loanId);
  expect(loan.requester.email).toBe(HUGO);
});

it("S2 R1 under the policy, without Place.Read.All: the users fallback skips the people's mailboxes it may not read", async () => {
  const { control } = stack.emulator;
  control.setPermissions(
    control.clientId,
    SAMPLE_PERMISSIONS.filter((p) => p !== 'Place.Read.All'),
  );
  try {
    const res = await api().post('/api/admin/integration/sync').set(ADMIN).expect(200);
    const report = res.body as SyncReport;
    expect(report.error).toBeUndefined();
    expect(report.rooms?.source).toBe('users');
    // Every room (the users fallback knows no tags), and only rooms: the people were skipped.
    expect(report.rooms?.active).toEqual(roomEmails().sort());
    expect(report.rooms?.deactivated).toEqual([]);
  } finally {
    control.setPermissions(control.clientId, SAMPLE_PERMISSIONS);
  }
});

it('S2 connection test under a policy without the default user and one room: it names both', async () => {
  restrictTo(roomEmails().filter((r) => r !== B001));
  const res = await api().put('/api/admin/integration').set(ADMIN).send(sampleSettings()).expect(200);
  const connection = res.body.connection as ConnectionReport;
  expect(connection.message).toMatch(/the default user's mailbox is outside the app's access policy/i);
  expect(connection.message).toContain(DEFAULT_USER);
  expect(connection.message).toContain(B001);
  expect(connection.outsideAccessPolicy).toEqual([DEFAULT_USER, B001].sort());
  // Not a missing permission: the app holds them all, for the mailboxes in the policy.
  expect(connection.missingPermissions).toEqual([]);
  expect(connection.ok).toBe(false);
});
