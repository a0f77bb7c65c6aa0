import request from 'supertest';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';
import type { Loan } from '../../contract/hector';
import { isRoomSubscription } from '../support/roomSubscription';

// OX1 across both flows: Hector moves an Outlook-made loan to another room, and the organizer
// cancels the meeting before the new room's copy was ever read. The rooms' notifications say
// nothing inbound sync can tie to the loan; outbound's look at the organizer's meeting does.
jest.setTimeout(60_000);
let stack: Stack;
let places: Map<string, { id: string; name: string }>;
const A202 = 'salle-a202@universite.test';
const B202 = 'salle-b202@universite.test';
const HUGO = 'hugo.bernard@universite.test';

beforeAll(async () => {
  stack = await startStack({ label: 'meeting-gone' });
  places = await stack.places();
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const control = () => stack.emulator.control;
const api = () => request(stack.service.url);
const subscriptionOf = (room: string): string =>
  control().state().subscriptions.find(isRoomSubscription(control(), room))!.id!;

async function loanOfMeeting(iCalUId: string): Promise<Loan | undefined> {
  const id = (await stack.journal({ iCalUId })).find((e) => e.loanId)?.loanId;
  return id ? (await api().get(`/api/hector/loans/${id}`).set(ADMIN)).body : undefined;
}

it('OX1 HU1: a meeting cancelled right after Hector moved its loan to another room → the loan is cancelled', async () => {
  const meeting = control()
    .person(HUGO)
    .createMeeting({ subject: 'Point projet', start: at(8, '13:00'), end: at(8, '14:00'), rooms: [A202] });
  const loan = await waitFor(async () => {
    const found = await loanOfMeeting(meeting.iCalUId!);
    return found?.status === 'new' ? found : undefined;
  });

  // B-202's notifications are held 4 s: its copy is made and then cancelled before any is read.
  control().setFaults({ subscriptionNotifications: { [subscriptionOf(B202)]: { delayMs: 4000 } } });
  try {
    await api()
      .patch(`/api/hector/loans/${loan.id}`)
      .set(ADMIN)
      .send({ items: [{ kind: 'place', id: places.get(B202)!.id }], version: loan.version })
      .expect(200);
    await waitFor(
      async () =>
        (await stack.journal({ loanId: loan.id })).find(
          (e) => e.details?.direction === 'outbound' && e.kind === 'updated',
        ),
      { what: "outbound's write of the new room" },
    );
    control().person(HUGO).cancelMeeting(meeting.id!);

    const cancelled = await waitFor(
      async () => {
        const now = await loanOfMeeting(meeting.iCalUId!);
        return now?.status === 'cancelled' ? now : undefined;
      },
      { what: 'the loan to be cancelled', timeoutMs: 30_000 },
    );
    expect(cancelled.id).toBe(loan.id);
    const lines = (await stack.journal({ loanId: loan.id })).map((e) => `${e.kind}: ${e.message}`);
    expect(lines.join('\n')).toMatch(
      /cancelled: (Cancelled|Annul).*(organizer's meeting is gone|meeting was cancelled)/,
    );
  } finally {
    control().resetFaults();
  }
});
