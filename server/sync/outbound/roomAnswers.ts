import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { AppError } from '../../errors';
import type { OrganizerEvent, OutboundContext } from './deps';
import { recordDecision } from './record';
import { isWithdrawn, loanRooms, roomAnswers, type OutboundDecision } from './rules';

/**
 * V3, OU2 after a write: each room of the loan that declined the meeting (as the organizer's
 * event shows it) is cancelled from the loan; a Hector-made loan that no room accepted loses its
 * event (HX1). Rooms that have not answered yet (or wait for a delegate) are looked at again later.
 */
export async function applyRoomAnswers(
  ctx: OutboundContext,
  event: MSGraph.Event,
  where: OrganizerEvent,
  attempt: number,
): Promise<OutboundDecision[]> {
  const { deps } = ctx;
  let loan = ctx.loan;
  const rooms = loanRooms(loan, ctx.synced);
  const answers = roomAnswers(event, rooms);
  const decisions: OutboundDecision[] = [];
  for (const room of rooms) {
    if (answers.get(room.email) !== 'declined') continue;
    const reason = `${room.name} a refusé l'invitation (Exchange declined it: the room is not available)`;
    try {
      loan = await deps.hector.cancelItem(loan.id, room.placeId, 'outlook');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      decisions.push(
        await recordDecision(
          { ...ctx, loan },
          { kind: 'ignored', reason: `${reason}; ${error.message}` },
          event.iCalUId ?? null,
          where.eventId,
        ),
      );
      continue;
    }
    await deps.journal.record({
      kind: 'cancelled',
      message: `${reason}: cancelled from loan #${loan.number} (OU2)`,
      iCalUId: event.iCalUId ?? null,
      eventId: where.eventId,
      roomEmail: room.email,
      loanId: loan.id,
      details: {
        direction: 'outbound',
        decision: 'item_cancelled',
        rule: 'OU2',
        room: room.email,
        loanNumber: loan.number,
      },
    });
    deps.logger.info(
      { event: 'loan.item_cancelled', loanId: loan.id, room: room.email, iCalUId: event.iCalUId },
      reason,
    );
    decisions.push({ kind: 'declined', rooms: [room.name], reason });
  }
  if (decisions.length > 0 && isWithdrawn(loan) && loan.origin !== 'outlook') {
    // Every room declined: the loan is cancelled, and so is its event (HX1).
    await ctx.graph.deleteEvent(where.organizer, where.eventId);
    await deps.state.saveEvent(loan.id, { organizerEmail: null, eventId: null, iCalUId: null });
    decisions.push(
      await recordDecision(
        { ...ctx, loan },
        { kind: 'deleted', organizer: where.organizer, reason: 'no room of the loan accepted the meeting' },
        event.iCalUId ?? null,
        where.eventId,
      ),
    );
    return decisions;
  }
  const waiting = [...answers.values()].some((a) => a === 'waiting');
  // A person's meeting we just changed is looked at once more even when every room answered: if
  // its organizer cancels it at once, the new rooms' copies may go before inbound ever reads them.
  const lookBack = attempt === 0 && loan.origin === 'outlook';
  // How many looks, and when, is the ladder's (Config.timings.roomAnswerCheckLadderMs).
  if (waiting || lookBack) await deps.scheduleRoomCheck({ loanId: loan.id, attempt: attempt + 1 });
  return decisions;
}
