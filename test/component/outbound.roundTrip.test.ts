import request from 'supertest';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { HECTOR_LOAN_ID_PROPERTY_ID } from '../../server/sync/outbound/rules';
import { settled } from '../support/settled';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';

// Flows 5 and 6 end to end: a loan made in Hector becomes one event, its echo changes nothing,
// the organizer moves it in Outlook and the loan follows, Hector cancels it and the event goes.
jest.setTimeout(30_000);
let stack: Stack;
const ROOM = 'salle-a001@universite.test';
const HUGO = 'hugo.bernard@universite.test';

beforeAll(async () => {
  stack = await startStack({ label: 'outbound-roundtrip' });
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

interface LoanBody {
  id: string;
  number: number;
  status: string;
  start: string;
  end: string;
  version: number;
}

const getLoan = async (id: string): Promise<LoanBody> =>
  (await request(stack.service.url).get(`/api/hector/loans/${id}`).set(ADMIN).expect(200)).body;

const eventOf = (loanId: string): MSGraph.Event | undefined =>
  stack.emulator.control
    .eventsOf(HUGO)
    .find((e) =>
      e.singleValueExtendedProperties?.some((p) => p.id === HECTOR_LOAN_ID_PROPERTY_ID && p.value === loanId),
    );

it('round trip: one create, an echo that changes nothing, a move in Outlook followed, a cancel that deletes', async () => {
  const emulator = stack.emulator.control;
  const places = await stack.places();
  emulator.resetStats();

  // 1. Hector → Outlook: exactly one Graph create.
  const created = await request(stack.service.url)
    .post('/api/hector/loans')
    .set(ADMIN)
    .send({
      requester: { email: HUGO, name: 'Hugo Bernard' },
      start: at(3, '14:00'),
      end: at(3, '15:00'),
      items: [{ kind: 'place', id: places.get(ROOM)!.id }],
    })
    .expect(201);
  const loan = created.body as LoanBody;
  const event = await waitFor(async () => eventOf(loan.id), { what: 'the event' });

  // 2. The echo: the room's notification is read and ends "in sync"; the loan does not change.
  const inSync = await waitFor(
    async () =>
      (await stack.journal({ iCalUId: event.iCalUId! })).find(
        (e) => e.kind === 'in_sync' && e.roomEmail === ROOM,
      ),
    { what: 'the in_sync entry for the room copy' },
  );
  expect(inSync.loanId).toBe(loan.id);
  await settled(stack); // every notification read, every job it set off done
  const stats = emulator.stats();
  expect(stats.byMethod.POST ?? 0).toBe(1);
  expect(stats.writes).toBe(1);
  expect((await getLoan(loan.id)).version).toBe(loan.version);
  const entries = await stack.journal({ loanId: loan.id });
  expect(entries.filter((e) => e.kind === 'created')).toHaveLength(1);
  expect(entries.filter((e) => e.kind === 'updated')).toHaveLength(0);

  // 3. Outlook → Hector: the organizer moves the meeting; the loan follows, and nothing goes back.
  emulator.person(HUGO).moveMeeting(event.id!, { start: at(3, '16:00'), end: at(3, '17:00') });
  const moved = await waitFor(
    async () => {
      const l = await getLoan(loan.id);
      return l.start === at(3, '16:00') ? l : undefined;
    },
    { what: 'the loan to follow the meeting' },
  );
  expect(moved.end).toBe(at(3, '17:00'));
  await settled(stack);
  expect(emulator.stats().writes).toBe(1); // the move was the person's, not ours: no write back

  // 4. Hector cancels → the event is deleted, and the room's copy with it.
  await request(stack.service.url).post(`/api/hector/loans/${loan.id}/cancel`).set(ADMIN).expect(200);
  await waitFor(async () => !eventOf(loan.id), { what: 'the event to be deleted' });
  await waitFor(async () => !emulator.eventsOf(ROOM).some((e) => e.iCalUId === event.iCalUId), {
    what: "the room's copy to go",
  });
  const after = await getLoan(loan.id);
  expect(after.status).toBe('cancelled');
  expect(emulator.stats().writes).toBe(2);
});
