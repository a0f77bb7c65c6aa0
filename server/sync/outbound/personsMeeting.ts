import { AppError } from '../../errors';
import { isOutsideAccessPolicy, outsideAccessPolicy } from '../accessPolicy';
import type { OutboundContext } from './deps';
import { findOrganizerEvent } from './organizerEvent';
import { recordDecision } from './record';
import { applyRoomAnswers } from './roomAnswers';
import { diffMeeting, isWithdrawn, loanRooms, type OutboundDecision } from './rules';

/**
 * A loan that came from Outlook, changed in Hector: the person's meeting follows its dates and
 * rooms (its title, body and guests stay theirs); cancelled or refused, its rooms decline.
 */
export async function pushToPersonsMeeting(ctx: OutboundContext): Promise<OutboundDecision[]> {
  const { loan, deps } = ctx;
  const iCalUId = await deps.links.findICalUIdByLoanId(loan.id);
  if (!iCalUId)
    return [
      await recordDecision(
        ctx,
        { kind: 'ignored', reason: 'no Outlook meeting is linked to the loan' },
        null,
      ),
    ];
  // Withdrawn: the rooms decline, in their own calendars (inside any access policy of README step 7).
  if (isWithdrawn(loan)) return [await declineRooms(ctx, iCalUId)];
  try {
    return await followLoan(ctx, iCalUId);
  } catch (error) {
    if (!isOutsideAccessPolicy(error)) throw error;
    const reason =
      `${outsideAccessPolicy(error.mailbox, ctx.settings.defaultUserEmail)}: Hector's change is not written ` +
      `to the organizer's meeting (add the mailbox to the policy's group, or change the meeting in Outlook)`;
    return [await recordDecision(ctx, { kind: 'ignored', reason }, iCalUId)];
  }
}

/** The person's meeting takes the loan's dates and rooms (only what Hector changed). */
async function followLoan(ctx: OutboundContext, iCalUId: string): Promise<OutboundDecision[]> {
  const { loan, graph } = ctx;
  const where = await findOrganizerEvent(ctx, iCalUId);
  if (!where) {
    return [
      await recordDecision(
        ctx,
        { kind: 'ignored', reason: "the organizer's meeting cannot be found in the tenant" },
        iCalUId,
      ),
    ];
  }
  const event = await graph.getEvent(where.organizer, where.eventId);
  if (!event || event.isCancelled) return [await meetingGone(ctx, iCalUId)];
  // B3: a loan follows one occurrence (writing to it makes an exception), never a whole series.
  if (event.type === 'seriesMaster') {
    return [
      await recordDecision(
        ctx,
        { kind: 'ignored', reason: 'the loan is linked to a whole series, not to one of its occurrences' },
        iCalUId,
      ),
    ];
  }
  const rooms = loanRooms(loan, ctx.synced);
  const diff = diffMeeting(loan, rooms, event, ctx.synced, ctx.fields, ctx.deps.loanUrl);
  if (diff.changed.length === 0) {
    return [
      await recordDecision(ctx, { kind: 'in_sync', organizer: where.organizer }, iCalUId, where.eventId),
    ];
  }
  const updated = await graph.updateEvent(where.organizer, where.eventId, diff.patch);
  const decisions = [
    await recordDecision(
      ctx,
      { kind: 'updated', organizer: where.organizer, changed: diff.changed },
      iCalUId,
      where.eventId,
    ),
  ];
  decisions.push(...(await applyRoomAnswers(ctx, updated, where, 0)));
  return decisions;
}

/**
 * The meeting is the organizer's: the rooms decline it, so the organizer is told and the other
 * attendees keep their meeting.
 */
async function declineRooms(ctx: OutboundContext, iCalUId: string): Promise<OutboundDecision> {
  const { loan, graph, deps } = ctx;
  const verb = loan.status === 'refused' ? 'refused' : 'cancelled';
  const copies = (await deps.links.listRoomCopies(iCalUId)).filter(
    (c) => c.state === 'live' && ctx.synced.some((r) => r.email === c.roomEmail),
  );
  if (copies.length === 0) return recordDecision(ctx, { kind: 'in_sync', organizer: null }, iCalUId);
  for (const copy of copies) {
    const name = nameOf(ctx, copy.roomEmail);
    await graph.declineEvent(
      copy.roomEmail,
      copy.eventId,
      `${name} n'est plus réservée : le prêt Hector #${loan.number} a été ${verb === 'refused' ? 'refusé' : 'annulé'}. ` +
        `(${name} is no longer booked: Hector loan #${loan.number} was ${verb}.)`,
    );
  }
  return recordDecision(
    ctx,
    {
      kind: 'declined',
      rooms: copies.map((c) => nameOf(ctx, c.roomEmail)),
      reason: `the loan was ${verb} in Hector`,
    },
    iCalUId,
  );
}

/** OX1: the person cancelled or deleted the meeting of an Outlook-made loan; the loan follows. */
export async function meetingGone(ctx: OutboundContext, iCalUId: string | null): Promise<OutboundDecision> {
  const reason = "the organizer's meeting is gone (cancelled or deleted in Outlook)";
  try {
    ctx.loan = await ctx.deps.hector.cancelLoan(ctx.loan.id, 'outlook');
  } catch (error) {
    // A loan already in progress or finished is not cancelled by its meeting's going.
    if (!(error instanceof AppError)) throw error;
    return recordDecision(ctx, { kind: 'ignored', reason: `${reason}, but ${error.message}` }, iCalUId);
  }
  return recordDecision(ctx, { kind: 'meeting_gone', reason }, iCalUId);
}

const nameOf = (ctx: OutboundContext, email: string): string =>
  ctx.synced.find((r) => r.email === email)?.name ?? email;
