import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { isOutsideAccessPolicy, outsideAccessPolicy } from '../accessPolicy';
import { chooseRequester, needsOrganizerLookup } from '../rules/requester';
import type { OrganizerEvent, OutboundContext } from './deps';
import { recordDecision } from './record';
import { applyRoomAnswers } from './roomAnswers';
import {
  desiredEvent,
  diffEvent,
  HECTOR_LOAN_ID_PROPERTY_ID,
  isWithdrawn,
  loanRooms,
  newEventBody,
  transactionIdFor,
  type DesiredEvent,
  type OutboundDecision,
} from './rules';

/**
 * A loan made in Hector has its own event in its organizer's calendar (the requester's, or the
 * default user's): deleted once the loan is withdrawn or has no synced room, moved when the
 * requester changes, created when missing, else patched where Hector changed it.
 */
export async function pushHectorEvent(ctx: OutboundContext): Promise<OutboundDecision[]> {
  const { loan, deps } = ctx;
  const rooms = loanRooms(loan, ctx.synced);
  const state = await deps.state.get(loan.id);
  const made: OrganizerEvent | null =
    state?.eventId && state.organizerEmail
      ? { organizer: state.organizerEmail, eventId: state.eventId }
      : null;
  const madeICalUId = state?.iCalUId ?? null;

  // HX1 (and E2: a loan with no synced room left has no event).
  if (isWithdrawn(loan) || rooms.length === 0) return [await removeEvent(ctx, made, madeICalUId)];

  let organizer = await organizerFor(ctx);
  // Before a move deletes the event where it is, make sure the new organizer's mailbox is open to us.
  if (
    made &&
    organizer.mailbox &&
    made.organizer !== organizer.mailbox &&
    !(await mayWrite(ctx, organizer.mailbox))
  )
    organizer = await organizerFor(ctx);
  if (!organizer.mailbox) {
    return [await recordDecision(ctx, { kind: 'ignored', reason: organizer.reason ?? 'no organizer' }, null)];
  }
  const desired = desiredEvent(loan, rooms, organizer.mailbox, deps.loanUrl);

  if (made && made.organizer !== desired.organizer)
    return moveEvent(ctx, made, madeICalUId, desired, organizer.policyNote);
  const current = made ? await liveEvent(ctx, made) : null;
  if (!current) return createEvent(ctx, desired, organizer.policyNote);
  return patchEvent(ctx, desired, current);
}

/**
 * Whether the app may write to this person's calendar: a cheap read of their mailbox settings, made
 * only before a move. A refusal by an access policy is remembered (organizers.noteMailboxBlocked).
 */
async function mayWrite(ctx: OutboundContext, mailbox: string): Promise<boolean> {
  if (mailbox === ctx.settings.defaultUserEmail?.toLowerCase()) return true;
  try {
    await ctx.graph.getMailboxSettings(mailbox);
    return true;
  } catch (error) {
    if (!isOutsideAccessPolicy(error)) return true; // not the policy's doing: the write will tell
    ctx.deps.organizers.noteMailboxBlocked(mailbox);
    return false;
  }
}

async function removeEvent(
  ctx: OutboundContext,
  made: OrganizerEvent | null,
  madeICalUId: string | null,
): Promise<OutboundDecision> {
  const { loan, graph, deps } = ctx;
  const reason = isWithdrawn(loan)
    ? `the loan was ${loan.status === 'refused' ? 'refused' : 'cancelled'} in Hector`
    : 'the loan has no synced room left';
  if (!made) return recordDecision(ctx, { kind: 'ignored', reason }, null);
  await graph.deleteEvent(made.organizer, made.eventId);
  await deps.state.saveEvent(loan.id, { organizerEmail: null, eventId: null, iCalUId: null });
  return recordDecision(
    ctx,
    { kind: 'deleted', organizer: made.organizer, reason },
    madeICalUId,
    made.eventId,
  );
}

/**
 * HU1: the requester changed — the event moves to the new organizer's calendar. The old meeting
 * is unlinked first, so the rooms' copies leaving with it do not touch the loan.
 */
async function moveEvent(
  ctx: OutboundContext,
  made: OrganizerEvent,
  madeICalUId: string | null,
  desired: DesiredEvent,
  policyNote: string | null,
): Promise<OutboundDecision[]> {
  const { loan, graph, deps } = ctx;
  if (madeICalUId) await deps.links.upsertLink({ iCalUId: madeICalUId, loanId: null });
  await graph.deleteEvent(made.organizer, made.eventId);
  await deps.state.saveEvent(loan.id, { organizerEmail: null, eventId: null, iCalUId: null });
  const generation = await deps.state.nextGeneration(loan.id);
  const created = await postEvent(ctx, desired, generation);
  return [
    await recordDecision(
      ctx,
      {
        kind: 'moved',
        from: made.organizer,
        organizer: desired.organizer,
        ...(policyNote ? { note: policyNote } : {}),
      },
      created.iCalUId ?? null,
      created.id ?? null,
    ),
    ...(await applyRoomAnswers(ctx, created, { organizer: desired.organizer, eventId: created.id! }, 0)),
  ];
}

/** The event we made, as it is now; null once deleted or cancelled in Outlook. */
async function liveEvent(ctx: OutboundContext, made: OrganizerEvent): Promise<MSGraph.Event | null> {
  const { loan, graph, deps } = ctx;
  const current = await graph.getEventWithProperty(made.organizer, made.eventId, HECTOR_LOAN_ID_PROPERTY_ID);
  if (current && !current.isCancelled) return current;
  // Deleted in Outlook while the loan lives on in Hector: the latest Hector change wins.
  await deps.state.saveEvent(loan.id, { organizerEmail: null, eventId: null, iCalUId: null });
  await deps.state.nextGeneration(loan.id);
  return null;
}

/**
 * HC1–HC5. The transactionId makes a retried create return the event made before. A requester's
 * calendar an access policy keeps us out of: the default user's stands in (HC1), said once.
 */
async function createEvent(
  ctx: OutboundContext,
  wanted: DesiredEvent,
  policyNote: string | null,
): Promise<OutboundDecision[]> {
  const { loan, deps } = ctx;
  const generation = (await deps.state.get(loan.id))?.generation ?? 0;
  let desired = wanted;
  let note = policyNote;
  let created: MSGraph.Event;
  try {
    created = await postEvent(ctx, desired, generation);
  } catch (error) {
    const fallback = ctx.settings.defaultUserEmail?.toLowerCase();
    if (!isOutsideAccessPolicy(error) || !fallback || fallback === desired.organizer) throw error;
    deps.organizers.noteMailboxBlocked(desired.organizer);
    note = `${outsideAccessPolicy(desired.organizer, null)}: booked from the default user's calendar`;
    desired = { ...desired, organizer: fallback };
    created = await postEvent(ctx, desired, generation);
  }
  return [
    await recordDecision(
      ctx,
      { kind: 'created', organizer: desired.organizer, changed: [], ...(note ? { note } : {}) },
      created.iCalUId ?? null,
      created.id ?? null,
    ),
    ...(await applyRoomAnswers(ctx, created, { organizer: desired.organizer, eventId: created.id! }, 0)),
  ];
}

/** HU1 / flow 6: only what Hector changed and differs; nothing when the event already matches. */
async function patchEvent(
  ctx: OutboundContext,
  desired: DesiredEvent,
  current: MSGraph.Event,
): Promise<OutboundDecision[]> {
  const { loan, graph } = ctx;
  const diff = diffEvent(desired, current, ctx.synced, loan.id, ctx.fields);
  if (diff.changed.length === 0) {
    return [
      await recordDecision(
        ctx,
        { kind: 'in_sync', organizer: desired.organizer },
        current.iCalUId ?? null,
        current.id ?? null,
      ),
    ];
  }
  // The link's meetingModifiedAt is not moved here: the organizer's copy changes again as rooms
  // answer, so its time is no yardstick for the rooms' copies. A copy read before this push is
  // read again by inbound instead (sync_outbound_loan.pushed_at).
  const updated = await graph.updateEvent(desired.organizer, current.id!, diff.patch);
  const decisions = [
    await recordDecision(
      ctx,
      { kind: 'updated', organizer: desired.organizer, changed: diff.changed },
      current.iCalUId ?? null,
      current.id ?? null,
    ),
  ];
  if (diff.changed.includes('rooms') || diff.changed.includes('dates')) {
    decisions.push(
      ...(await applyRoomAnswers(ctx, updated, { organizer: desired.organizer, eventId: current.id! }, 0)),
    );
  }
  return decisions;
}

/** POST the event, then remember it and link its meeting to the loan. */
async function postEvent(
  ctx: OutboundContext,
  desired: DesiredEvent,
  generation: number,
): Promise<MSGraph.Event> {
  const { loan, graph, deps } = ctx;
  const created = await graph.createEvent(
    desired.organizer,
    newEventBody(desired, loan.id, transactionIdFor(loan.id, generation)),
  );
  await deps.state.saveEvent(loan.id, {
    organizerEmail: desired.organizer,
    eventId: created.id ?? null,
    iCalUId: created.iCalUId ?? null,
  });
  if (created.iCalUId) {
    await deps.links.upsertLink({
      iCalUId: created.iCalUId,
      loanId: loan.id,
      organizerEventId: created.id ?? undefined,
      organizerEmail: desired.organizer,
    });
  }
  return created;
}

/**
 * HC1 / V1: the requester's own calendar when they are a user of the tenant, else the default
 * user's — and the default user's too when an access policy keeps us out of the requester's.
 */
async function organizerFor(
  ctx: OutboundContext,
): Promise<{ mailbox: string | null; reason: string | null; policyNote: string | null }> {
  const email = ctx.loan.requester.email.toLowerCase();
  const standing = needsOrganizerLookup(email, ctx.settings.primaryDomain)
    ? await ctx.deps.organizers.standing(ctx.graph, email)
    : null;
  const choice = chooseRequester({ email, name: ctx.loan.requester.name }, standing, ctx.settings);
  const mailbox = choice.requester?.email.toLowerCase() ?? null;
  const fallback = ctx.settings.defaultUserEmail?.toLowerCase() ?? null;
  if (mailbox && mailbox !== fallback && ctx.deps.organizers.mailboxBlocked(mailbox)) {
    const why = outsideAccessPolicy(mailbox, null);
    return fallback
      ? { mailbox: fallback, reason: null, policyNote: `${why}: booked from the default user's calendar` }
      : { mailbox: null, reason: `${why} and no default user is configured`, policyNote: null };
  }
  return { mailbox, reason: choice.reason, policyNote: null };
}
