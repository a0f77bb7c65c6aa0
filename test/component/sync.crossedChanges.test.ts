import request from 'supertest';
import {
  getLoan as loanById,
  hectorLoanInOutlook,
  loanIdOf,
  roomCopy as roomCopyIn,
  utcStart,
} from '../support/hectorEvents';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';
import type { Loan } from '../../contract/hector';

// Flows 4 and 5 at the same moment: a loan changed in Hector reaches Outlook a little later, and a
// room copy read in between still shows the meeting as it was. Inbound sync must not take that
// copy for an Outlook change and move the loan back (the Hector change would be lost).
jest.setTimeout(40_000);
let stack: Stack;
let places: Map<string, { id: string; name: string }>;
const A102 = 'salle-a102@universite.test';
const B102 = 'salle-b102@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const LEA = 'lea.dubois@universite.test';
const A201 = 'salle-a201@universite.test';

beforeAll(async () => {
  stack = await startStack({ label: 'crossed-changes' });
  places = await stack.places();
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const api = () => request(stack.service.url);
const place = (email: string) => ({ kind: 'place', id: places.get(email)!.id });
const roomCopy = (room: string, iCalUId: string) => roomCopyIn(stack, room, iCalUId);

const getLoan = (id: string) => loanById(stack, id);

describe('crossed changes', () => {
  it('HU1 OU1: a room copy read before a Hector change reaches Outlook does not move the loan back', async () => {
    const { loanId, event: event } = await hectorLoanInOutlook(stack, {
      requester: HUGO,
      start: at(9, '09:00'),
      end: at(9, '10:00'),
      room: { email: A102, id: places.get(A102)!.id },
    });

    // Outbound's write of the move is held for 3 s: Outlook still shows 09:00 meanwhile…
    stack.emulator.control.setFaults({ rules: [{ method: 'PATCH', path: '/events/', latencyMs: 3000 }] });
    let afterMove: string;
    try {
      const current = await getLoan(loanId);
      const moved = await api()
        .patch(`/api/hector/loans/${loanId}`)
        .set(ADMIN)
        .send({ start: at(9, '14:00'), end: at(9, '15:00'), items: [place(B102)], version: current.version })
        .expect(200);
      afterMove = (moved.body as Loan).updatedAt;
      // …and the organizer edits the meeting's text in Outlook: the room copy changes, still at 09:00.
      stack.emulator.control.person(HUGO).updateMeeting(event.id!, { body: 'Ordre du jour joint.' });
      await waitFor(async () => utcStart(roomCopy(A102, event.iCalUId!) ?? event) === at(9, '09:00'), {
        what: 'the edited copy',
      });
      // The held write lands: the meeting moves to 14:00 in room B-102.
      await waitFor(
        async () => {
          const copy = roomCopy(B102, event.iCalUId!);
          return copy && utcStart(copy) === at(9, '14:00') && !roomCopy(A102, event.iCalUId!);
        },
        { what: 'the meeting to follow the loan', timeoutMs: 20_000 },
      );
    } finally {
      stack.emulator.control.resetFaults();
    }

    // Once the rooms' notifications of the move are read, the loan is as Hector left it…
    await waitFor(
      async () =>
        (await stack.journal({ loanId })).some(
          (e) => e.roomEmail === B102 && new Date(e.at).getTime() >= new Date(afterMove).getTime(),
        ),
      { what: "B-102's copy to be read" },
    );
    const loan = await getLoan(loanId);
    expect(loan.start).toBe(at(9, '14:00'));
    expect(loan.items.filter((i) => i.status === 'active').map((i) => i.email)).toEqual([B102]);
    // …and it never went back to 09:00 on the way: no inbound decision moved it.
    const moves = (await stack.journal({ loanId })).filter(
      (e) => e.roomEmail && e.kind === 'updated' && new Date(e.at).getTime() >= new Date(afterMove).getTime(),
    );
    expect(moves.map((e) => e.message)).toEqual([]);
  });

  it('HU1 OC1: the meeting Hector replaces on a requester change books nothing while it lingers', async () => {
    const { loanId, event: old } = await hectorLoanInOutlook(stack, {
      requester: HUGO,
      start: at(9, '11:00'),
      end: at(9, '12:00'),
      room: { email: A201, id: places.get(A201)!.id },
    });

    // The old meeting's deletion is held 2 s, and meanwhile its organizer edits it in Outlook.
    stack.emulator.control.setFaults({ rules: [{ method: 'DELETE', path: '/events/', latencyMs: 2000 }] });
    const deletesBefore = stack.emulator.control.stats().byMethod.DELETE ?? 0;
    try {
      const current = await getLoan(loanId);
      await api()
        .patch(`/api/hector/loans/${loanId}`)
        .set(ADMIN)
        .send({ requester: { email: LEA }, version: current.version })
        .expect(200);
      // Outbound has unlinked the old meeting once it asks Graph to delete it (and is held there).
      await waitFor(async () => (stack.emulator.control.stats().byMethod.DELETE ?? 0) > deletesBefore, {
        what: "outbound's delete of the old meeting",
      });
      stack.emulator.control.person(HUGO).updateMeeting(old.id!, { body: 'Salle à préparer.' });
      await waitFor(async () => stack.emulator.control.eventsOf(LEA).find((e) => loanIdOf(e) === loanId), {
        what: 'the event in the new requester’s calendar',
        timeoutMs: 20_000,
      });
      await waitFor(async () => !stack.emulator.control.eventsOf(HUGO).some((e) => e.id === old.id), {
        what: 'the old meeting to go',
      });
    } finally {
      stack.emulator.control.resetFaults();
    }
    // The edited copy was read: ignored, and no second loan was ever made for the old meeting.
    await waitFor(
      async () =>
        (await stack.journal({ iCalUId: old.iCalUId! })).find((e) =>
          /Hector replaced this meeting/.test(e.message),
        ),
      { what: 'the edited copy to be read' },
    );
    const loans = (await stack.loans()).filter((l) => l.id !== loanId && l.start === at(9, '11:00'));
    expect(loans.map((l) => `#${l.number} ${l.status}`)).toEqual([]);
  });
});
