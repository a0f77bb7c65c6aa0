import request from 'supertest';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { HECTOR_LOAN_ID_PROPERTY_ID } from '../../server/sync/outbound/rules';
import { ADMIN, waitFor, type Stack } from './stack';
import type { Loan } from '../../contract/hector';

/** The Hector loan id that outbound sync put on an event, if any. */
export const loanIdOf = (e: MSGraph.Event): string | undefined =>
  e.singleValueExtendedProperties?.find((p) => p.id === HECTOR_LOAN_ID_PROPERTY_ID)?.value ?? undefined;

/** An event's start as an ISO instant (the emulator answers in UTC). */
export const utcStart = (e: MSGraph.Event): string =>
  new Date(`${e.start!.dateTime!.replace(/Z$/, '')}Z`).toISOString();

/** A room's live copy of a meeting, straight from the emulator. */
export const roomCopy = (stack: Stack, room: string, iCalUId: string): MSGraph.Event | undefined =>
  stack.emulator.control.eventsOf(room).find((e) => e.iCalUId === iCalUId && !e.isCancelled);

/** GET /api/hector/loans/:id (with the version a PATCH needs). */
export async function getLoan(stack: Stack, id: string): Promise<Loan> {
  return (await request(stack.service.url).get(`/api/hector/loans/${id}`).set(ADMIN).expect(200)).body;
}

/**
 * A loan made in Hector for one room, once it is settled in Outlook: its event is in the
 * requester's calendar and the room's copy has come back to inbound sync as "in sync".
 */
export async function hectorLoanInOutlook(
  stack: Stack,
  loan: { requester: string; start: string; end: string; room: { email: string; id: string } },
): Promise<{ loanId: string; event: MSGraph.Event }> {
  const created = await request(stack.service.url)
    .post('/api/hector/loans')
    .set(ADMIN)
    .send({
      requester: { email: loan.requester },
      start: loan.start,
      end: loan.end,
      items: [{ kind: 'place', id: loan.room.id }],
    })
    .expect(201);
  const loanId = (created.body as Loan).id;
  const event = await waitFor(
    async () => stack.emulator.control.eventsOf(loan.requester).find((e) => loanIdOf(e) === loanId),
    { what: `the event of loan ${loanId} in ${loan.requester}'s calendar` },
  );
  await waitFor(
    async () =>
      (await stack.journal({ loanId })).some((e) => e.roomEmail === loan.room.email && e.kind === 'in_sync'),
    { what: "the room copy's echo" },
  );
  return { loanId, event };
}
