import request from 'supertest';
import { ADMIN, at, DEFAULT_USER, startStack, waitFor, type Stack } from '../support/stack';
import type { Loan } from '../../contract/hector';

// OC1 / V1 with an organizer outside the organisation. In Exchange a room leaves such requests
// unprocessed unless ProcessExternalMeetingMessages is true (GRAPH-FACTS "Rooms"), so only a room
// set that way gets a copy — and only that copy can make a loan.
jest.setTimeout(30_000);
let stack: Stack;
const EXTERNAL = 'sophie.rousseau@partenaire.example';
const PROCESSES_EXTERNAL = 'salle-a201@universite.test';
const IGNORES_EXTERNAL = 'salle-b202@universite.test';

beforeAll(async () => {
  stack = await startStack({ label: 'inbound-external' });
  stack.emulator.control.updateRoom(PROCESSES_EXTERNAL, { processExternalMeetingMessages: true });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

it('OC1/V1: an organizer outside universite.test → the loan is booked for the default user', async () => {
  const meeting = stack.emulator.control.person(EXTERNAL).createMeeting({
    subject: 'Comité de pilotage',
    start: at(2, '14:00'),
    end: at(2, '15:30'),
    rooms: [PROCESSES_EXTERNAL, IGNORES_EXTERNAL],
  });

  const entry = await waitFor(
    async () =>
      (await stack.journal({ iCalUId: meeting.iCalUId! })).find((e) => e.kind === 'created' && e.loanId),
    { what: `the loan of ${meeting.iCalUId}` },
  );
  expect(entry.message).toContain('organizer outside universite.test: booked for the default user');

  const loan = (
    await request(stack.service.url).get(`/api/hector/loans/${entry.loanId}`).set(ADMIN).expect(200)
  ).body as Loan;
  expect(loan.requester.email).toBe(DEFAULT_USER);
  expect(loan.status).toBe('new');
  expect(loan.start).toBe(at(2, '14:00'));
  expect(loan.end).toBe(at(2, '15:30'));
  // The room that ignores external organizers has no copy: it is not in the loan.
  expect(loan.items.filter((i) => i.status === 'active').map((i) => i.email)).toEqual([PROCESSES_EXTERNAL]);
  expect(await stack.loansOfRoom(IGNORES_EXTERNAL)).toEqual([]);
});
