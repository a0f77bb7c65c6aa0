import request from 'supertest';
import type { Loan } from '../../contract/hector';
import { SAMPLE_INITIAL_DOMAIN } from '../../emulator';
import { ADMIN, at, DEFAULT_USER, startStack, waitFor, type Stack } from '../support/stack';

// V1 / OC1 / E1 in a tenant with an alias domain (GRAPH-FACTS "Real tenants", docs#3979): a person
// and a room whose mail is not their UPN. Graph answers `/users/{mail}` with 404 for them, so the
// service resolves each address to an object id once and calls Graph by id.
jest.setTimeout(60_000);
let stack: Stack;
const ORGANIZER = 'yanis.haddad@universite.test'; // UPN yanis.haddad@univ-test.onmicrosoft.com
const ALIAS_ROOM = 'salle-c101@universite.test';
const ROOM = 'salle-a101@universite.test';

beforeAll(async () => {
  stack = await startStack({ label: 'inbound-alias-domain' });
  stack.emulator.control.addRoom({
    email: ALIAS_ROOM,
    userPrincipalName: `salle-c101@${SAMPLE_INITIAL_DOMAIN}`,
    displayName: 'Salle C-101',
    building: 'Bâtiment A',
    capacity: 20,
  });
  const sync = await request(stack.service.url).post('/api/admin/integration/sync').set(ADMIN).expect(200);
  expect(sync.body.error).toBeUndefined();
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const loanOf = async (iCalUId: string): Promise<Loan> => {
  const entry = await waitFor(
    async () => (await stack.journal({ iCalUId })).find((e) => e.kind === 'created' && e.loanId),
    { what: `the loan of ${iCalUId}` },
  );
  return (await request(stack.service.url).get(`/api/hector/loans/${entry.loanId}`).set(ADMIN).expect(200))
    .body as Loan;
};

it('E1: the alias-domain room is imported and subscribed to by its object id', async () => {
  expect((await stack.places()).get(ALIAS_ROOM)?.active).toBe(true);
  const roomId = stack.emulator.control.state().users.find((u) => u.mail === ALIAS_ROOM)!.id!;
  const resources = stack.emulator.control.state().subscriptions.map((s) => String(s.resource).toLowerCase());
  expect(resources).toContain(`/users/${roomId}/events`.toLowerCase());
  expect(resources.some((r) => r.includes('@'))).toBe(false);
});

it('OC1/V1: an organizer whose mail is not the UPN is the requester of the loan, not the default user', async () => {
  const meeting = stack.emulator.control.person(ORGANIZER).createMeeting({
    subject: 'TD de statistiques',
    start: at(3, '09:00'),
    end: at(3, '10:00'),
    rooms: [ROOM],
  });
  const loan = await loanOf(meeting.iCalUId!);
  expect(loan.requester.email).toBe(ORGANIZER);
  expect(loan.requester.email).not.toBe(DEFAULT_USER);
  expect(loan.status).toBe('new');
  const journal = await stack.journal({ iCalUId: meeting.iCalUId! });
  expect(journal.map((e) => e.message).join('\n')).not.toMatch(/default user/);
});

it('OC3/OU1: a meeting in the alias-domain room becomes a loan of that room and follows its changes', async () => {
  const person = stack.emulator.control.person(ORGANIZER);
  const meeting = person.createMeeting({
    subject: 'Soutenance',
    start: at(4, '13:00'),
    end: at(4, '14:00'),
    rooms: [ALIAS_ROOM],
  });
  const loan = await loanOf(meeting.iCalUId!);
  expect(loan.requester.email).toBe(ORGANIZER);
  expect(loan.items.filter((i) => i.status === 'active').map((i) => i.email)).toEqual([ALIAS_ROOM]);

  person.moveMeeting(meeting.id!, { start: at(4, '15:00'), end: at(4, '16:00') });
  await waitFor(
    async () => {
      const now = (await request(stack.service.url).get(`/api/hector/loans/${loan.id}`).set(ADMIN))
        .body as Loan;
      return now.start === at(4, '15:00') && now.end === at(4, '16:00');
    },
    { what: 'the loan to follow the move' },
  );
});
