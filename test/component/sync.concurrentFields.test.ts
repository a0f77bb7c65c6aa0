import request from 'supertest';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import {
  getLoan as loanById,
  hectorLoanInOutlook,
  roomCopy as roomCopyIn,
  utcStart,
} from '../support/hectorEvents';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';
import type { Loan } from '../../contract/hector';
import { isRoomSubscription } from '../support/roomSubscription';

// Flows 4 and 5 at the same moment on different fields: a Hector user changes one field of a loan
// while the organizer changes another in Outlook. Outbound pushes only what Hector changed, then
// inbound reads the meeting again and brings the Outlook change into the loan: both edits survive.
// The rooms' notifications of the Outlook edit are held until the Hector change is committed, so
// outbound always reads a meeting that already carries the organizer's edit.
jest.setTimeout(60_000);
let stack: Stack;
let places: Map<string, { id: string; name: string }>;
const A101 = 'salle-a101@universite.test';
const A201 = 'salle-a201@universite.test';
const B101 = 'salle-b101@universite.test';
const B201 = 'salle-b201@universite.test';
const A102 = 'salle-a102@universite.test';
const B102 = 'salle-b102@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const LEA = 'lea.dubois@universite.test';
const HOLD_MS = 3000;

beforeAll(async () => {
  stack = await startStack({ label: 'concurrent-fields' });
  places = await stack.places();
  // Saving the settings starts a backfill (a reconcile pass over every room) that hands the
  // rooms' copies to inbound sync without any notification: still running during a test, it
  // would bring the organizer's edit in while its notifications are held, before the Hector
  // change is made (a 409 on that change). The tests start once every room has been passed.
  await waitFor(
    async () => {
      const passed = new Set((await stack.journal({ kind: 'rooms' })).map((e) => e.roomEmail?.toLowerCase()));
      return [...places.keys()].every((email) => passed.has(email.toLowerCase()));
    },
    { what: 'the backfill of every room', timeoutMs: 30_000 },
  );
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const api = () => request(stack.service.url);
const place = (email: string) => ({ kind: 'place', id: places.get(email)!.id });
const roomsOf = (e: MSGraph.Event): string =>
  (e.attendees ?? [])
    .filter((a) => a.type === 'resource')
    .map((a) => a.emailAddress!.address!.toLowerCase())
    .sort()
    .join();
const activeRooms = (l: Loan): string =>
  l.items
    .filter((i) => i.status === 'active')
    .map((i) => i.email)
    .sort()
    .join();
const roomCopy = (room: string, iCalUId: string) => roomCopyIn(stack, room, iCalUId);

const getLoan = (id: string) => loanById(stack, id);

/** Holds the change notifications of these rooms' subscriptions for HOLD_MS while `edit` runs. */
function withRoomNotificationsHeld(rooms: string[], edit: () => void): void {
  const subscriptions = stack.emulator.control.state().subscriptions;
  const held = Object.fromEntries(
    rooms.map((room) => [
      subscriptions.find(isRoomSubscription(stack.emulator.control, room))!.id!,
      { delayMs: HOLD_MS },
    ]),
  );
  stack.emulator.control.setFaults({ subscriptionNotifications: held });
  try {
    edit();
  } finally {
    stack.emulator.control.setFaults({ subscriptionNotifications: {} });
  }
}

async function converged(
  what: string,
  probe: () => Promise<boolean>,
  state: () => Promise<unknown>,
): Promise<void> {
  await waitFor(probe, { what, timeoutMs: 30_000 }).catch(async (error: unknown) => {
    throw new Error(`${String(error)}\n${JSON.stringify(await state(), null, 1)}`);
  });
}

const outboundUpdates = async (loanId: string): Promise<string[]> =>
  (await stack.journal({ loanId }))
    .filter((e) => e.details?.direction === 'outbound' && e.kind === 'updated')
    .map((e) => e.message);

describe('concurrent changes to different fields', () => {
  it('HU1 OU1: Hector moves the dates while the organizer swaps the room in Outlook → both survive', async () => {
    const { loanId, event: event } = await hectorLoanInOutlook(stack, {
      requester: HUGO,
      start: at(5, '09:00'),
      end: at(5, '10:00'),
      room: { email: A101, id: places.get(A101)!.id },
    });
    const before = await getLoan(loanId);

    // The organizer swaps A-101 for B-101 in Outlook; the rooms' notifications are held…
    withRoomNotificationsHeld([A101, B101], () =>
      stack.emulator.control.person(HUGO).changeRooms(event.id!, [B101]),
    );
    // …while a Hector user moves the loan to 11:00 (the loan still lists A-101).
    await api()
      .patch(`/api/hector/loans/${loanId}`)
      .set(ADMIN)
      .send({ start: at(5, '11:00'), end: at(5, '12:00'), version: before.version })
      .expect(200);

    const organizerEvent = () => stack.emulator.control.eventsOf(HUGO).find((e) => e.id === event.id);
    await converged(
      'the loan and the meeting at 11:00 in B-101',
      async () => {
        const loan = await getLoan(loanId);
        const e = organizerEvent();
        return (
          loan.start === at(5, '11:00') &&
          activeRooms(loan) === B101 &&
          e !== undefined &&
          utcStart(e) === at(5, '11:00') &&
          roomsOf(e) === B101 &&
          roomCopy(B101, event.iCalUId!) !== undefined &&
          roomCopy(A101, event.iCalUId!) === undefined
        );
      },
      async () => ({
        loan: await getLoan(loanId),
        event: organizerEvent(),
        journal: (await stack.journal({ loanId })).map((e) => `${e.kind} ${e.roomEmail ?? ''} ${e.message}`),
      }),
    );
    const loan = await getLoan(loanId);
    expect(loan.status).toBe('new');
    expect(loan.end).toBe(at(5, '12:00'));
    // Outbound wrote the dates, and only them: the organizer's rooms were never written back.
    expect(await outboundUpdates(loanId)).toEqual([expect.stringMatching(/\(dates\)$/)]);
  });

  it('HU1 OU1: Hector swaps the room while the organizer moves the meeting in Outlook → both survive', async () => {
    const { loanId, event: event } = await hectorLoanInOutlook(stack, {
      requester: HUGO,
      start: at(6, '09:00'),
      end: at(6, '10:00'),
      room: { email: A201, id: places.get(A201)!.id },
    });
    const before = await getLoan(loanId);

    withRoomNotificationsHeld([A201], () =>
      stack.emulator.control
        .person(HUGO)
        .moveMeeting(event.id!, { start: at(6, '14:00'), end: at(6, '15:00') }),
    );
    await api()
      .patch(`/api/hector/loans/${loanId}`)
      .set(ADMIN)
      .send({ items: [place(B201)], version: before.version })
      .expect(200);

    const organizerEvent = () => stack.emulator.control.eventsOf(HUGO).find((e) => e.id === event.id);
    await converged(
      'the loan and the meeting at 14:00 in B-201',
      async () => {
        const loan = await getLoan(loanId);
        const e = organizerEvent();
        return (
          loan.start === at(6, '14:00') &&
          activeRooms(loan) === B201 &&
          e !== undefined &&
          utcStart(e) === at(6, '14:00') &&
          roomsOf(e) === B201 &&
          roomCopy(B201, event.iCalUId!) !== undefined
        );
      },
      async () => ({
        loan: await getLoan(loanId),
        event: organizerEvent(),
        journal: (await stack.journal({ loanId })).map((e) => `${e.kind} ${e.roomEmail ?? ''} ${e.message}`),
      }),
    );
    expect((await getLoan(loanId)).end).toBe(at(6, '15:00'));
    expect(organizerEvent()!.body?.content).toContain(places.get(B201)!.name);
    expect(await outboundUpdates(loanId)).toEqual([expect.stringMatching(/\(body, rooms\)$/)]);
  });

  it('HU1: a Hector change made while the push of an earlier one runs stays pending and is pushed too', async () => {
    const { loanId, event: event } = await hectorLoanInOutlook(stack, {
      requester: HUGO,
      start: at(8, '09:00'),
      end: at(8, '10:00'),
      room: { email: A102, id: places.get(A102)!.id },
    });

    // Outbound's write of the dates is held…
    const patches = () => stack.emulator.control.stats().byMethod.PATCH ?? 0;
    const before = patches();
    stack.emulator.control.setFaults({ rules: [{ method: 'PATCH', path: '/events/', latencyMs: 2000 }] });
    try {
      const v1 = (await getLoan(loanId)).version;
      await api()
        .patch(`/api/hector/loans/${loanId}`)
        .set(ADMIN)
        .send({ start: at(8, '11:00'), end: at(8, '12:00'), version: v1 })
        .expect(200);
      await waitFor(async () => patches() > before, { what: "outbound's write of the dates" });
      // …while the room changes in Hector: the running job read its fields before this change.
      const v2 = (await getLoan(loanId)).version;
      await api()
        .patch(`/api/hector/loans/${loanId}`)
        .set(ADMIN)
        .send({ items: [place(B102)], version: v2 })
        .expect(200);
    } finally {
      stack.emulator.control.setFaults({ rules: [] });
    }

    const organizerEvent = () => stack.emulator.control.eventsOf(HUGO).find((e) => e.id === event.id);
    await converged(
      'the meeting at 11:00 in B-102',
      async () => {
        const loan = await getLoan(loanId);
        const e = organizerEvent();
        return (
          loan.start === at(8, '11:00') &&
          activeRooms(loan) === B102 &&
          e !== undefined &&
          utcStart(e) === at(8, '11:00') &&
          roomsOf(e) === B102 &&
          roomCopy(B102, event.iCalUId!) !== undefined
        );
      },
      async () => ({
        loan: await getLoan(loanId),
        event: organizerEvent(),
        journal: (await stack.journal({ loanId })).map((e) => `${e.kind} ${e.roomEmail ?? ''} ${e.message}`),
      }),
    );
    expect((await outboundUpdates(loanId)).sort()).toEqual([
      expect.stringMatching(/\(body, rooms\)$/),
      expect.stringMatching(/\(dates\)$/),
    ]);
  });

  it('OU1: an Outlook-made loan whose dates Hector moves while the organizer swaps the room → both survive', async () => {
    const meeting = stack.emulator.control.person(LEA).createMeeting({
      subject: 'Séminaire de Léa',
      start: at(7, '09:00'),
      end: at(7, '10:00'),
      rooms: [A101],
    });
    const loanId = await waitFor(
      async () =>
        (await stack.journal({ iCalUId: meeting.iCalUId! })).find((e) => e.loanId)?.loanId ?? undefined,
      { what: 'the loan of the meeting' },
    );
    const before = await getLoan(loanId);
    expect(before.origin).toBe('outlook');

    withRoomNotificationsHeld([A101, B101], () =>
      stack.emulator.control.person(LEA).changeRooms(meeting.id!, [B101]),
    );
    await api()
      .patch(`/api/hector/loans/${loanId}`)
      .set(ADMIN)
      .send({ start: at(7, '11:00'), end: at(7, '12:00'), version: before.version })
      .expect(200);

    const organizerEvent = () => stack.emulator.control.eventsOf(LEA).find((e) => e.id === meeting.id);
    await converged(
      'the loan and the meeting at 11:00 in B-101',
      async () => {
        const loan = await getLoan(loanId);
        const e = organizerEvent();
        return (
          loan.start === at(7, '11:00') &&
          activeRooms(loan) === B101 &&
          e !== undefined &&
          utcStart(e) === at(7, '11:00') &&
          roomsOf(e) === B101
        );
      },
      async () => ({
        loan: await getLoan(loanId),
        event: organizerEvent(),
        journal: (await stack.journal({ loanId })).map((e) => `${e.kind} ${e.roomEmail ?? ''} ${e.message}`),
      }),
    );
    expect(organizerEvent()!.subject).toBe('Séminaire de Léa');
    expect(await outboundUpdates(loanId)).toEqual([expect.stringMatching(/\(dates\)$/)]);
  });
});
