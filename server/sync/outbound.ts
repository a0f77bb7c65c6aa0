import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { AppError } from '../errors';
import type { GraphGateway } from '../graph/gateway';
import type { HectorPort, Loan } from '../hector/port';
import type { Logger } from '../logger';
import type { Journal } from '../store/journal';
import type { Links } from '../store/links';
import type { MeetingLock } from './meetingLock';
import type { OrganizerDirectory } from './organizers';
import {
  desiredEvent,
  describeOutbound,
  diffEvent,
  diffMeeting,
  HECTOR_LOAN_ID_PROPERTY_ID,
  isWithdrawn,
  journalKindOf,
  loanRooms,
  newEventBody,
  roomAnswers,
  transactionIdFor,
  type DesiredEvent,
  type OutboundDecision,
} from './outboundRules';
import type { PendingFields } from '../store/tables/outbound';
import type { OutboundState } from '../store/outboundState';
import {
  chooseRequester,
  needsOrganizerLookup,
  type IntegrationSettingsFacts,
  type SyncedRoom,
} from './rules';

/** Queue of Hector-side loan changes (policy 'short', singletonKey = loan id). */
export const OUTBOUND_LOAN_QUEUE = 'outbound-loan';
/** Queue of delayed looks at the rooms' answers (Exchange answers asynchronously). */
export const OUTBOUND_ROOM_CHECK_QUEUE = 'outbound-room-check';

export interface OutboundLoanJob {
  loanId: string;
}

export interface RoomCheckJob {
  loanId: string;
  attempt: number;
}

/** Looks at the rooms' answers at most this many times after a write. */
export const ROOM_CHECK_ATTEMPTS = 5;

/** Everything the outbound job needs, built by outboundArea.ts (tests may hand in fakes). */
export interface OutboundDeps {
  graph(): Promise<GraphGateway | null>;
  hector: Pick<HectorPort, 'getLoan' | 'cancelItem' | 'cancelLoan' | 'listPlaces'>;
  links: Links;
  state: OutboundState;
  journal: Journal;
  settings(): Promise<(IntegrationSettingsFacts & { enabled: boolean }) | null>;
  organizers: OrganizerDirectory;
  /** Serializes the work on one loan (in this instance and, on PostgreSQL, across instances). */
  lock: MeetingLock;
  /** HECTOR_LOAN_URL: the base of the "open in Hector" link ({id} replaced). */
  loanUrl: string;
  /** Asks for another look at the rooms' answers a little later. */
  scheduleRoomCheck(job: RoomCheckJob): Promise<void>;
  logger: Logger;
}

interface Context {
  loan: Loan;
  graph: GraphGateway;
  settings: IntegrationSettingsFacts;
  synced: SyncedRoom[];
  /** The event fields Hector changed since the last push (null: not known, all of them). */
  fields: PendingFields;
  deps: OutboundDeps;
}

/**
 * Flow 5, one loan changed on the Hector side: read the loan, the fields Hector changed since the
 * last push and the event as they are now → decide with the pure rules → write only the difference
 * in those fields to Outlook → remember the event, check the rooms' answers, journal each
 * decision. A field Hector did not change is the organizer's to edit meanwhile: inbound brings
 * that edit into the loan once the push is done. Duplicates and retries are harmless.
 */
export async function syncLoanToOutlook(
  job: OutboundLoanJob,
  deps: OutboundDeps,
): Promise<OutboundDecision[] | null> {
  const settings = await deps.settings();
  const graph = settings?.enabled ? await deps.graph() : null;
  if (!settings || !graph) return null;
  return deps.lock.run(`loan:${job.loanId}`, async () => {
    const loan = await deps.hector.getLoan(job.loanId);
    if (!loan) return [];
    const fields = await deps.state.pendingFields(loan.id);
    const ctx: Context = { loan, graph, settings, synced: await syncedRoomsOf(deps), fields, deps };
    // A loan that came from Outlook keeps its meeting: the person's title, body and guests stay.
    return loan.origin === 'outlook' ? pushToPersonsMeeting(ctx) : pushHectorEvent(ctx);
  });
}

/** A later look at the rooms' answers, for Exchange answering after our write returned. */
export async function checkRoomAnswers(job: RoomCheckJob, deps: OutboundDeps): Promise<void> {
  const settings = await deps.settings();
  const graph = settings?.enabled ? await deps.graph() : null;
  if (!settings || !graph) return;
  await deps.lock.run(`loan:${job.loanId}`, async () => {
    const loan = await deps.hector.getLoan(job.loanId);
    if (!loan || isWithdrawn(loan)) return;
    const ctx: Context = { loan, graph, settings, synced: await syncedRoomsOf(deps), fields: null, deps };
    const where = await organizerEventOf(ctx);
    if (!where) return;
    const event = await graph.getEvent(where.organizer, where.eventId);
    if (event && !event.isCancelled) await applyRoomAnswers(ctx, event, where, job.attempt);
    // Cancelled in Outlook right after our write: the rooms' copies may never be read as live,
    // so their going says nothing to inbound sync. The organizer's copy does.
    else if (loan.origin === 'outlook') await meetingGone(ctx, await deps.links.findICalUIdByLoanId(loan.id));
  });
}

// ── a loan made in Hector: its own event in the organizer's calendar ───────────────────────────

async function pushHectorEvent(ctx: Context): Promise<OutboundDecision[]> {
  const { loan, graph, deps } = ctx;
  const rooms = loanRooms(loan, ctx.synced);
  const state = await deps.state.get(loan.id);
  const made =
    state?.eventId && state.organizerEmail
      ? { organizer: state.organizerEmail, eventId: state.eventId }
      : null;

  if (isWithdrawn(loan) || rooms.length === 0) {
    // HX1 (and E2: a loan with no synced room left has no event).
    const reason = isWithdrawn(loan)
      ? `the loan was ${loan.status === 'refused' ? 'refused' : 'cancelled'} in Hector`
      : 'the loan has no synced room left';
    if (!made) return [await record(ctx, { kind: 'ignored', reason }, null)];
    await graph.deleteEvent(made.organizer, made.eventId);
    await deps.state.saveEvent(loan.id, { organizerEmail: null, eventId: null, iCalUId: null });
    return [
      await record(
        ctx,
        { kind: 'deleted', organizer: made.organizer, reason },
        state?.iCalUId ?? null,
        made.eventId,
      ),
    ];
  }

  const organizer = await organizerFor(ctx);
  if (!organizer.mailbox) {
    return [await record(ctx, { kind: 'ignored', reason: organizer.reason ?? 'no organizer' }, null)];
  }
  const desired = desiredEvent(loan, rooms, organizer.mailbox, deps.loanUrl);

  const decisions: OutboundDecision[] = [];
  if (made && made.organizer !== desired.organizer) {
    // HU1: the requester changed — the event moves to the new organizer's calendar. The old
    // meeting is unlinked first, so the rooms' copies leaving with it do not touch the loan.
    if (state?.iCalUId) await deps.links.upsertLink({ iCalUId: state.iCalUId, loanId: null });
    await graph.deleteEvent(made.organizer, made.eventId);
    await deps.state.saveEvent(loan.id, { organizerEmail: null, eventId: null, iCalUId: null });
    const generation = await deps.state.nextGeneration(loan.id);
    const created = await createEvent(ctx, desired, generation);
    decisions.push(
      await record(
        ctx,
        { kind: 'moved', from: made.organizer, organizer: desired.organizer },
        created.iCalUId ?? null,
        created.id ?? null,
      ),
    );
    decisions.push(
      ...(await applyRoomAnswers(ctx, created, { organizer: desired.organizer, eventId: created.id! }, 0)),
    );
    return decisions;
  }

  let current = made
    ? await graph.getEventWithProperty(made.organizer, made.eventId, HECTOR_LOAN_ID_PROPERTY_ID)
    : null;
  if (made && (!current || current.isCancelled)) {
    // Deleted in Outlook while the loan lives on in Hector: the latest Hector change wins.
    await deps.state.saveEvent(loan.id, { organizerEmail: null, eventId: null, iCalUId: null });
    await deps.state.nextGeneration(loan.id);
    current = null;
  }
  if (!current) {
    // HC1–HC5. The transactionId makes a retried create return the event made before.
    const generation = (await deps.state.get(loan.id))?.generation ?? 0;
    const created = await createEvent(ctx, desired, generation);
    decisions.push(
      await record(
        ctx,
        { kind: 'created', organizer: desired.organizer, changed: [] },
        created.iCalUId ?? null,
        created.id ?? null,
      ),
    );
    decisions.push(
      ...(await applyRoomAnswers(ctx, created, { organizer: desired.organizer, eventId: created.id! }, 0)),
    );
    return decisions;
  }

  // HU1 / flow 6: only what Hector changed and differs; nothing when the event already matches.
  const diff = diffEvent(desired, current, ctx.synced, loan.id, ctx.fields);
  if (diff.changed.length === 0) {
    return [
      await record(
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
  decisions.push(
    await record(
      ctx,
      { kind: 'updated', organizer: desired.organizer, changed: diff.changed },
      current.iCalUId ?? null,
      current.id ?? null,
    ),
  );
  if (diff.changed.includes('rooms') || diff.changed.includes('dates')) {
    decisions.push(
      ...(await applyRoomAnswers(ctx, updated, { organizer: desired.organizer, eventId: current.id! }, 0)),
    );
  }
  return decisions;
}

async function createEvent(ctx: Context, desired: DesiredEvent, generation: number): Promise<MSGraph.Event> {
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

/** HC1 / V1: the requester's own calendar when they are a user of the tenant, else the default user's. */
async function organizerFor(ctx: Context): Promise<{ mailbox: string | null; reason: string | null }> {
  const email = ctx.loan.requester.email.toLowerCase();
  const standing = needsOrganizerLookup(email, ctx.settings.primaryDomain)
    ? await ctx.deps.organizers.standing(ctx.graph, email)
    : null;
  const choice = chooseRequester({ email, name: ctx.loan.requester.name }, standing, ctx.settings);
  return { mailbox: choice.requester?.email.toLowerCase() ?? null, reason: choice.reason };
}

// ── a loan that came from Outlook: the person's meeting follows dates and rooms ───────────────

async function pushToPersonsMeeting(ctx: Context): Promise<OutboundDecision[]> {
  const { loan, graph, deps } = ctx;
  const iCalUId = await deps.links.findICalUIdByLoanId(loan.id);
  if (!iCalUId)
    return [await record(ctx, { kind: 'ignored', reason: 'no Outlook meeting is linked to the loan' }, null)];

  if (isWithdrawn(loan)) {
    // The meeting is the organizer's: the rooms decline it, so the organizer is told and the other
    // attendees keep their meeting.
    const verb = loan.status === 'refused' ? 'refused' : 'cancelled';
    const copies = (await deps.links.listRoomCopies(iCalUId)).filter(
      (c) => c.state === 'live' && ctx.synced.some((r) => r.email === c.roomEmail),
    );
    if (copies.length === 0) return [await record(ctx, { kind: 'in_sync', organizer: null }, iCalUId)];
    for (const copy of copies) {
      const name = nameOf(ctx, copy.roomEmail);
      await graph.declineEvent(
        copy.roomEmail,
        copy.eventId,
        `${name} n'est plus réservée : le prêt Hector #${loan.number} a été ${verb === 'refused' ? 'refusé' : 'annulé'}. ` +
          `(${name} is no longer booked: Hector loan #${loan.number} was ${verb}.)`,
      );
    }
    return [
      await record(
        ctx,
        {
          kind: 'declined',
          rooms: copies.map((c) => nameOf(ctx, c.roomEmail)),
          reason: `the loan was ${verb} in Hector`,
        },
        iCalUId,
      ),
    ];
  }

  const where = await organizerEventOf(ctx, iCalUId);
  if (!where) {
    return [
      await record(
        ctx,
        { kind: 'ignored', reason: "the organizer's meeting cannot be found in the tenant" },
        iCalUId,
      ),
    ];
  }
  const event = await graph.getEvent(where.organizer, where.eventId);
  if (!event || event.isCancelled) return [await meetingGone(ctx, iCalUId)];
  if (event.type && event.type !== 'singleInstance') {
    return [await record(ctx, { kind: 'ignored', reason: 'recurring meetings are not synced yet' }, iCalUId)];
  }
  const rooms = loanRooms(loan, ctx.synced);
  const diff = diffMeeting(loan, rooms, event, ctx.synced, ctx.fields);
  if (diff.changed.length === 0) {
    return [await record(ctx, { kind: 'in_sync', organizer: where.organizer }, iCalUId, where.eventId)];
  }
  const updated = await graph.updateEvent(where.organizer, where.eventId, diff.patch);
  const decisions = [
    await record(
      ctx,
      { kind: 'updated', organizer: where.organizer, changed: diff.changed },
      iCalUId,
      where.eventId,
    ),
  ];
  decisions.push(...(await applyRoomAnswers(ctx, updated, where, 0)));
  return decisions;
}

/** Where the organizer's event of the loan's meeting is: our own record, the link, or a search by iCalUId. */
async function organizerEventOf(
  ctx: Context,
  knownICalUId?: string,
): Promise<{ organizer: string; eventId: string } | null> {
  const { loan, deps, graph } = ctx;
  if (loan.origin !== 'outlook') {
    const state = await deps.state.get(loan.id);
    return state?.eventId && state.organizerEmail
      ? { organizer: state.organizerEmail, eventId: state.eventId }
      : null;
  }
  const iCalUId = knownICalUId ?? (await deps.links.findICalUIdByLoanId(loan.id));
  if (!iCalUId) return null;
  const link = await deps.links.findMeetingLink(iCalUId);
  const organizer = link?.organizerEmail ?? null;
  // Only a mailbox of the tenant can be written to; an outside organizer's meeting stays theirs.
  if (!organizer || !needsOrganizerLookup(organizer, ctx.settings.primaryDomain)) return null;
  if (link?.organizerEventId) return { organizer, eventId: link.organizerEventId };
  const found = await graph.findEventsByICalUId(organizer, iCalUId);
  const event = found.find((e) => e.isOrganizer !== false && e.type !== 'occurrence') ?? null;
  if (!event?.id) return null;
  await deps.links.upsertLink({ iCalUId, organizerEventId: event.id, organizerEmail: organizer });
  return { organizer, eventId: event.id };
}

/** OX1: the person cancelled or deleted the meeting of an Outlook-made loan; the loan follows. */
async function meetingGone(ctx: Context, iCalUId: string | null): Promise<OutboundDecision> {
  const reason = "the organizer's meeting is gone (cancelled or deleted in Outlook)";
  try {
    ctx.loan = await ctx.deps.hector.cancelLoan(ctx.loan.id, 'outlook');
  } catch (error) {
    // A loan already in progress or finished is not cancelled by its meeting's going.
    if (!(error instanceof AppError)) throw error;
    return record(ctx, { kind: 'ignored', reason: `${reason}, but ${error.message}` }, iCalUId);
  }
  return record(ctx, { kind: 'meeting_gone', reason }, iCalUId);
}

// ── after a write: the rooms' answers (V3, OU2) ────────────────────────────────────────────────

async function applyRoomAnswers(
  ctx: Context,
  event: MSGraph.Event,
  where: { organizer: string; eventId: string },
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
        await record(
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
      await record(
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
  if ((waiting || lookBack) && attempt < ROOM_CHECK_ATTEMPTS)
    await deps.scheduleRoomCheck({ loanId: loan.id, attempt: attempt + 1 });
  return decisions;
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────

async function syncedRoomsOf(deps: OutboundDeps): Promise<SyncedRoom[]> {
  const places = await deps.hector.listPlaces({ active: true, synced: true });
  return places
    .filter((p) => p.email)
    .map((p) => ({ email: p.email!.toLowerCase(), placeId: p.id, name: p.name }));
}

const nameOf = (ctx: Context, email: string): string =>
  ctx.synced.find((r) => r.email === email)?.name ?? email;

async function record(
  ctx: Context,
  decision: OutboundDecision,
  iCalUId: string | null,
  eventId: string | null = null,
): Promise<OutboundDecision> {
  const { loan, deps } = ctx;
  const message = describeOutbound(decision, loan.number);
  await deps.journal.record({
    kind: journalKindOf(decision),
    message,
    iCalUId,
    eventId,
    loanId: loan.id,
    details: { direction: 'outbound', decision: decision.kind, loanNumber: loan.number, ...decision },
  });
  deps.logger.info({ event: `outbound.${decision.kind}`, loanId: loan.id, iCalUId }, message);
  return decision;
}
