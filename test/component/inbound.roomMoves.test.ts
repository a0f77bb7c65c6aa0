import request from 'supertest';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';
import type { Loan } from '../../contract/hector';
import { isRoomSubscription } from '../support/roomSubscription';

// Flow 4 when the organizer changes a meeting's rooms and the rooms' notifications arrive in the
// wrong order — the cases a bidirectional chaos run found (OU1, OX1, OC1).
jest.setTimeout(60_000);
let stack: Stack;
const A101 = 'salle-a101@universite.test';
const B101 = 'salle-b101@universite.test';
const B201 = 'salle-b201@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const LEA = 'lea.dubois@universite.test';

beforeAll(async () => {
  stack = await startStack({ label: 'room-moves' });
  // The passes that follow start-up and activation read every room's calendar: let them finish,
  // or one reads the new rooms' copies itself, before the late notifications these tests stage.
  // (Should one still run during a test, the order changes and the outcome must not.)
  await waitFor(
    async () => {
      const metrics = (await request(stack.service.url).get('/metrics')).text;
      const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? NaN);
      return (
        value('hector_outlook_jobs_total\\{queue="reconcile-rooms",outcome="completed"\\}') >= 2 &&
        value('hector_outlook_queue_depth\\{queue="reconcile-rooms"\\}') === 0 &&
        value('hector_outlook_queue_depth\\{queue="inbound-room-event"\\}') === 0
      );
    },
    { what: 'the start-up and activation passes', timeoutMs: 10_000 },
  ).catch(() => undefined); // a start-up pass merged into the activation one: only one ran.
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const control = () => stack.emulator.control;
const subscriptionOf = (room: string): string =>
  control().state().subscriptions.find(isRoomSubscription(control(), room))!.id!;
const activeRooms = (l: Loan): string =>
  l.items
    .filter((i) => i.status === 'active')
    .map((i) => i.email)
    .sort()
    .join();
/** Every loan the journal ever linked to this meeting, newest first. */
async function loansOf(iCalUId: string): Promise<Loan[]> {
  const ids = [...new Set((await stack.journal({ iCalUId })).map((e) => e.loanId).filter(Boolean))];
  const all = await stack.loans();
  return ids.map((id) => all.find((l) => l.id === id)!).filter(Boolean);
}
const journalOf = async (iCalUId: string) =>
  (await stack.journal({ iCalUId })).map((e) => `${e.kind}: ${e.message}`);

describe('the organizer changes the rooms', () => {
  it('OU1: the only room replaced, the old room’s 404 read first → the loan moves, never cancelled', async () => {
    const meeting = control()
      .person(HUGO)
      .createMeeting({ subject: 'Jury', start: at(3, '09:00'), end: at(3, '10:00'), rooms: [A101] });
    const [loan] = await waitFor(async () => {
      const found = await loansOf(meeting.iCalUId!);
      return found.length === 1 && found[0].status === 'new' ? found : undefined;
    });
    // B-101's notifications come 3 s late: A-101's copy is gone (404) long before B-101's is read.
    control().setFaults({ subscriptionNotifications: { [subscriptionOf(B101)]: { delayMs: 3000 } } });
    try {
      control().person(HUGO).changeRooms(meeting.id!, [B101]);
      await waitFor(
        async () => {
          const now = (await loansOf(meeting.iCalUId!))[0];
          return activeRooms(now) === B101 ? now : undefined;
        },
        { what: 'the loan to move to B-101', timeoutMs: 20_000 },
      );
    } finally {
      control().resetFaults();
    }
    const loans = await loansOf(meeting.iCalUId!);
    expect(loans.map((l) => [l.id, l.status])).toEqual([[loan.id, 'new']]);
    expect((await journalOf(meeting.iCalUId!)).filter((l) => l.startsWith('cancelled'))).toEqual([]);
  });

  it('OU1: a room removed and invited again at once keeps its place, though its old copy’s 404 comes late', async () => {
    const meeting = control()
      .person(LEA)
      .createMeeting({ subject: 'Atelier', start: at(4, '09:00'), end: at(4, '10:00'), rooms: [A101, B201] });
    await waitFor(async () => {
      const [l] = await loansOf(meeting.iCalUId!);
      return l && activeRooms(l) === [A101, B201].join();
    });
    // The removal's notifications for A-101 are held 3 s…
    control().setFaults({ subscriptionNotifications: { [subscriptionOf(A101)]: { delayMs: 3000 } } });
    control().person(LEA).changeRooms(meeting.id!, [B201]);
    control().setFaults({ subscriptionNotifications: {} });
    await new Promise((r) => setTimeout(r, 100));
    // …while A-101 is invited again and gets a new copy (a new id), read first.
    control().person(LEA).changeRooms(meeting.id!, [A101, B201]);
    // Once the late 404 of the old copy has been read, A-101 is still on the loan.
    const oldCopyRead = async () =>
      (await stack.journal({ iCalUId: meeting.iCalUId!, roomEmail: A101 })).length >= 3;
    await waitFor(oldCopyRead, { what: "A-101's late notifications", timeoutMs: 20_000 });
    const [loan] = await loansOf(meeting.iCalUId!);
    expect(activeRooms(loan)).toBe([A101, B201].join());
    expect(loan.status).toBe('new');
    // A-101 left the loan once (the removal), not a second time for its old copy's late 404.
    const dropped = (await journalOf(meeting.iCalUId!)).filter((l) => l.includes('cancelled Salle A-101'));
    expect(dropped.length).toBeLessThanOrEqual(1);
  });
});

describe('a meeting booked again after Hector cancelled its loan', () => {
  it('OC1: the organizer changes the meeting after the cancellation → a new loan, and the journal says why', async () => {
    const meeting = control()
      .person(HUGO)
      .createMeeting({ subject: 'Séminaire', start: at(6, '09:00'), end: at(6, '10:00'), rooms: [B101] });
    const [first] = await waitFor(async () => {
      const found = await loansOf(meeting.iCalUId!);
      return found.length === 1 && found[0].status === 'new' ? found : undefined;
    });
    await request(stack.service.url).post(`/api/hector/loans/${first.id}/cancel`).set(ADMIN).expect(200);
    // Hector's cancellation reaches Outlook: the room declines and its copy goes.
    await waitFor(
      async () =>
        !control()
          .eventsOf(B101)
          .some((e) => e.iCalUId === meeting.iCalUId),
      {
        what: 'the room to decline',
      },
    );
    // The organizer moves the meeting: the room is asked again, accepts, and Hector hears of it.
    control()
      .person(HUGO)
      .moveMeeting(meeting.id!, { start: at(6, '11:00'), end: at(6, '12:00') });
    const again = await waitFor(
      async () => (await loansOf(meeting.iCalUId!)).find((l) => l.id !== first.id && l.status === 'new'),
      { what: 'a new loan for the booking', timeoutMs: 20_000 },
    );
    expect(again.start).toBe(at(6, '11:00'));
    expect(activeRooms(again)).toBe(B101);
    expect((await stack.loans()).find((l) => l.id === first.id)?.status).toBe('cancelled');
    expect((await journalOf(meeting.iCalUId!)).join('\n')).toMatch(
      new RegExp(`the meeting changed after loan #${first.number} was cancelled: a new booking`),
    );
  });
});
