import { AppError } from '../errors';
import type { GraphGateway } from '../graph/gateway';
import type { HectorPort, Loan } from '../hector/port';
import type { Logger } from '../logger';
import type { Journal } from '../store/journal';
import type { Links } from '../store/links';
import type { KeyedChain } from './keyedChain';
import type { MeetingLock } from './meetingLock';
import type { OrganizerDirectory } from './organizers';
import { HECTOR_LOAN_ID_PROPERTY_ID } from './outboundRules';
import {
  activePlaceEmails,
  decideLoan,
  describeChanges,
  describeDecision,
  needsOrganizerLookup,
  planLoan,
  readRoomCopy,
  type Decision,
  type InboundFacts,
  type IntegrationSettingsFacts,
  type RoomCopy,
  type SyncedRoom,
} from './rules';
import type { RoomEventJob } from './jobs';

/** Everything the inbound job needs, built by inboundArea.ts (tests may hand in fakes). */
export interface InboundDeps {
  /** The gateway of the saved settings; null when the integration is not configured. */
  graph(): Promise<GraphGateway | null>;
  hector: Pick<
    HectorPort,
    'getLoan' | 'createLoan' | 'updateLoan' | 'cancelLoan' | 'checkAvailability' | 'listPlaces'
  >;
  links: Links;
  journal: Journal;
  settings(): Promise<(IntegrationSettingsFacts & { enabled: boolean }) | null>;
  organizers: OrganizerDirectory;
  lock: MeetingLock;
  /** Whether the loan has Hector-side changes that a copy read at `readAt` may not show yet. */
  hectorChanges: { unpushed(loanId: string, readAt: Date): Promise<boolean> };
  /**
   * One job at a time per room copy in this process: Graph delivers a change 2–4 times, and a
   * duplicate that waits for the first one's read can then skip its own GET.
   */
  copyGate: KeyedChain;
  /**
   * Wall-clock time, the clock of the intake's `receivedAt`: compared with it to tell a late
   * duplicate (its change already read) from a new change.
   */
  wallClock(): Date;
  logger: Logger;
}

export interface InboundOutcome {
  /** Null when the job was skipped (duplicate, superseded, integration off). */
  decision: Decision | null;
  /**
   * 'deferred': the copy may predate a Hector change that outbound sync has not pushed yet; the
   * caller reads it again a little later (DEFERRAL_DELAYS_MS) instead of moving the loan back.
   */
  skipped?: 'duplicate' | 'superseded' | 'disabled' | 'deferred';
  loanId: string | null;
  iCalUId: string | null;
}

/** Conflicts found between our availability check and the write: decide again on fresh data. */
const RETRYABLE = new Set(['LOAN_CONFLICT', 'VERSION_CONFLICT']);
const ATTEMPTS = 3;

/**
 * Delays before reading a deferred copy again. Past the last one (≈ 4 minutes: outbound is
 * failing) the meeting is applied after all, so an Outlook change is never held back for good.
 */
export const DEFERRAL_DELAYS_MS = [
  500, 1000, 2000, 4000, 8000, 15_000, 30_000, 30_000, 30_000, 60_000, 60_000,
];

/**
 * Flow 4, one room-copy change: read the room's copy → find the meeting's link → decide with
 * the pure rules → apply only the difference to Hector (origin outlook) → link and journal.
 * Notifications are triggers: whatever this job was told, it acts on the copy as it is now.
 */
export async function syncRoomEvent(job: RoomEventJob, deps: InboundDeps): Promise<InboundOutcome> {
  const settings = await deps.settings();
  const graph = settings?.enabled ? await deps.graph() : null;
  if (!settings || !graph) return { decision: null, skipped: 'disabled', loanId: null, iCalUId: null };
  const room = job.roomEmail.toLowerCase();
  return deps.copyGate.run(`${room}\n${job.eventId}`, () => syncRoomCopy(job, room, settings, graph, deps));
}

async function syncRoomCopy(
  job: RoomEventJob,
  room: string,
  settings: IntegrationSettingsFacts,
  graph: GraphGateway,
  deps: InboundDeps,
): Promise<InboundOutcome> {
  // A read that started after this notification arrived has already seen its change.
  const known = await deps.links.findRoomCopy(room, job.eventId);
  // Graph's etag names the copy's version: the one we last applied needs no second read.
  const sameVersion = Boolean(job.etag && known?.lastEtag === job.etag);
  const readSince =
    known?.lastReadAt && new Date(known.lastReadAt).getTime() > new Date(job.receivedAt).getTime();
  // A deferred job was put back on purpose: the read it recorded must not make it a duplicate.
  const again = (job.deferrals ?? 0) > 0;
  if (known && !again && (sameVersion || readSince)) {
    return { decision: null, skipped: 'duplicate', loanId: null, iCalUId: known.iCalUId };
  }

  const readAt = deps.wallClock();
  // UTC, immutable id, with the loan id outbound sync put on its events; null on 404. A copy seen
  // gone stays gone (Graph never reuses an id), so a deferred job decides again without a read.
  const event =
    again && known?.state === 'gone'
      ? null
      : await graph.getEventWithProperty(room, job.eventId, HECTOR_LOAN_ID_PROPERTY_ID);
  const copy = event ? readRoomCopy(event) : null;
  const etag = event ? (event as { '@odata.etag'?: unknown })['@odata.etag'] : undefined;
  const iCalUId =
    copy?.iCalUId || known?.iCalUId || (await deps.links.findLinkByEventId(job.eventId, room))?.iCalUId;
  if (!iCalUId) {
    // Gone before we ever saw it (e.g. a room that declined at once): nothing was, nothing is.
    await deps.links.upsertRoomCopy({ roomEmail: room, eventId: job.eventId, state: 'gone', readAt });
    return { decision: null, skipped: 'superseded', loanId: null, iCalUId: null };
  }

  return deps.lock.run(iCalUId, async () => {
    // Another job read this copy after us and has applied it: ours is stale.
    const mine = await deps.links.findRoomCopy(room, job.eventId);
    if (mine?.lastReadAt && new Date(mine.lastReadAt).getTime() > readAt.getTime()) {
      return { decision: null, skipped: 'superseded' as const, loanId: null, iCalUId };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await decideAndApply(
          {
            job,
            room,
            copy,
            iCalUId,
            readAt,
            settings,
            graph,
            etag: typeof etag === 'string' ? etag : undefined,
          },
          deps,
        );
      } catch (error) {
        const code = error instanceof AppError ? String(error.code) : '';
        if (!RETRYABLE.has(code) || attempt >= ATTEMPTS) throw error;
      }
    }
  });
}

interface Context {
  job: RoomEventJob;
  room: string;
  copy: RoomCopy | null;
  iCalUId: string;
  readAt: Date;
  settings: IntegrationSettingsFacts;
  graph: GraphGateway;
  /** @odata.etag of the copy as read (absent on a 404). */
  etag?: string;
}

async function decideAndApply(ctx: Context, deps: InboundDeps): Promise<InboundOutcome> {
  const { job, room, copy, iCalUId } = ctx;
  const link = await deps.links.findMeetingLink(iCalUId);
  // A loan made by outbound sync carries its id on the event; a link usually exists already.
  // (Only without a link: outbound unlinks a meeting it moved away from, whose copies still carry it.)
  const loanId = link ? link.loanId : (copy?.hectorLoanId ?? null);
  const loan = loanId ? await deps.hector.getLoan(loanId) : null;
  const copies = await deps.links.listRoomCopies(iCalUId);
  const syncedRooms = await syncedRoomsOf(deps);

  const facts: InboundFacts = {
    roomEmail: room,
    eventId: job.eventId,
    copy,
    otherLiveRooms: copies
      .filter((c) => c.state === 'live' && !(c.roomEmail === room && c.eventId === job.eventId))
      .map((c) => c.roomEmail),
    goneRooms: copies
      .filter(
        (c) => c.state === 'gone' && !copies.some((l) => l.roomEmail === c.roomEmail && l.state === 'live'),
      )
      .map((c) => c.roomEmail),
    loan,
    meetingModifiedAt: link?.meetingModifiedAt ?? null,
    syncedRooms,
    organizer: await organizerStanding(ctx, loan, deps),
    settings: ctx.settings,
  };
  let plan = planLoan(facts);
  // Outbound unlinks the meeting it replaces when a Hector loan changes requester (the event moves
  // to the new organizer's calendar): its copies, still carrying the loan id, book nothing.
  if (link && link.loanId === null && copy?.hectorLoanId && !copy.isCancelled) {
    plan = {
      kind: 'ignore',
      reason: "Hector replaced this meeting: its loan moved to another organizer's calendar",
    };
  }
  const organizerEmail = link?.organizerEmail ?? null;
  if (
    !copy &&
    plan.kind === 'cancel' &&
    loan &&
    organizerEmail &&
    needsOrganizerLookup(organizerEmail, ctx.settings.primaryDomain)
  ) {
    // The last room of the loan left: before cancelling, see whether the meeting moved elsewhere.
    facts.organizerMeeting = await organizerMeetingOf(ctx.graph, organizerEmail, iCalUId);
    plan = planLoan(facts);
  }
  const deferrals = job.deferrals ?? 0;
  if (plan.kind === 'wait' && deferrals < DEFERRAL_DELAYS_MS.length) {
    deps.logger.info({ event: 'inbound.deferred', loanId, iCalUId, room, deferrals }, plan.reason);
    return defer(ctx, deps, loanId);
  }
  const conflicts =
    plan.kind === 'want'
      ? (
          await deps.hector.checkAvailability(
            plan.desired.rooms.map((r) => ({ kind: 'place' as const, id: r.placeId })),
            plan.desired.start.toISOString(),
            plan.desired.end.toISOString(),
            loan?.id,
          )
        ).conflicts
      : [];
  let decision = decideLoan(plan, loan, conflicts);

  // Flow 5 races flow 4: a loan changed in Hector reaches Outlook a moment later. A copy read
  // before that shows the meeting as it was, and applying it would undo the Hector change.
  if (loan && (decision.kind === 'updated' || decision.kind === 'cancelled' || decision.kind === 'created')) {
    if (await deps.hectorChanges.unpushed(loan.id, ctx.readAt)) {
      if (deferrals < DEFERRAL_DELAYS_MS.length) {
        deps.logger.info(
          { event: 'inbound.deferred', loanId: loan.id, iCalUId, room, deferrals },
          'the loan has Hector changes not in Outlook yet: the room copy will be read again',
        );
        return defer(ctx, deps, loan.id);
      }
      decision.reasons.push('applied over a Hector change that outbound sync could not push for minutes');
    }
  }

  let after: Loan | null = loan;
  let changes: string[] | undefined;
  try {
    switch (decision.kind) {
      case 'created':
        after = await deps.hector.createLoan(decision.loan, 'outlook');
        break;
      case 'updated':
        changes = describeChanges(loan!, decision.patch, syncedRooms);
        after = await deps.hector.updateLoan(decision.loanId, decision.patch, 'outlook', loan!.version);
        break;
      case 'cancelled':
        after = await deps.hector.cancelLoan(decision.loanId, 'outlook');
        break;
      default:
        break;
    }
  } catch (error) {
    // K2 and date rules of Hector (schedule, booking window, duration): not synced, and why.
    if (!(error instanceof AppError) || error.code !== 'RULE_VIOLATION') throw error;
    decision = { kind: 'ignored', loanId: loan?.id ?? null, reasons: [...decision.reasons, error.message] };
  }

  const followsCopy = plan.kind === 'want' && plan.desired.followsCopy && decision.kind !== 'ignored';
  await deps.links.upsertLink({
    iCalUId,
    ...(after ? { loanId: after.id } : {}),
    organizerEmail: copy?.organizer.email ?? undefined,
    ...(followsCopy && copy?.lastModified ? { meetingModifiedAt: new Date(copy.lastModified) } : {}),
    roomCopy: {
      roomEmail: room,
      eventId: job.eventId,
      state: copy && !copy.isCancelled ? 'live' : 'gone',
      readAt: ctx.readAt,
      etag: ctx.etag,
    },
  });

  const roomName = syncedRooms.find((r) => r.email === room)?.name ?? room;
  const message = describeDecision(decision, { loanNumber: after?.number ?? null, roomName, changes });
  await deps.journal.record({
    kind: decision.kind,
    message,
    iCalUId,
    eventId: job.eventId,
    roomEmail: room,
    loanId: after?.id ?? null,
    details: {
      decision: decision.kind,
      reasons: decision.reasons,
      ...(decision.kind === 'updated' ? { changed: decision.changed, changes } : {}),
      loanNumber: after?.number ?? null,
      changeType: job.changeType,
      items: after ? activePlaceEmails(after) : [],
    },
  });
  deps.logger.info(
    {
      event: `loan.${decision.kind}`,
      loanId: after?.id ?? null,
      iCalUId,
      room,
      ...(decision.kind === 'updated' ? { changed: decision.changed } : {}),
    },
    message,
  );
  return { decision, loanId: after?.id ?? null, iCalUId };
}

/**
 * Puts the decision off (the caller re-queues the job). The copy's read is recorded, so that
 * Graph's duplicates of the same change skip their GET; the loan and what it follows are untouched.
 */
async function defer(ctx: Context, deps: InboundDeps, loanId: string | null): Promise<InboundOutcome> {
  await deps.links.upsertLink({
    iCalUId: ctx.iCalUId,
    roomCopy: {
      roomEmail: ctx.room,
      eventId: ctx.job.eventId,
      state: ctx.copy && !ctx.copy.isCancelled ? 'live' : 'gone',
      readAt: ctx.readAt,
      etag: ctx.etag,
    },
  });
  return { decision: null, skipped: 'deferred', loanId, iCalUId: ctx.iCalUId };
}

/** The organizer's own copy of the meeting (null when it is gone), read in its UTC form. */
async function organizerMeetingOf(graph: GraphGateway, organizer: string, iCalUId: string) {
  const found = await graph.findEventsByICalUId(organizer, iCalUId);
  const own = found.find((e) => e.isOrganizer !== false && e.type !== 'occurrence');
  return own ? readRoomCopy(own) : null;
}

async function syncedRoomsOf(deps: InboundDeps): Promise<SyncedRoom[]> {
  const places = await deps.hector.listPlaces({ active: true, synced: true });
  return places
    .filter((p) => p.email)
    .map((p) => ({ email: p.email!.toLowerCase(), placeId: p.id, name: p.name }));
}

/** V1: looked up only for primary-domain organizers, and not again for the loan's own requester. */
async function organizerStanding(ctx: Context, loan: Loan | null, deps: InboundDeps) {
  const email = ctx.copy?.organizer.email ?? null;
  if (!ctx.copy || ctx.copy.isCancelled || ctx.copy.type !== 'singleInstance') return null;
  if (!needsOrganizerLookup(email, ctx.settings.primaryDomain)) return null;
  if (loan && loan.requester.email.toLowerCase() === email) return 'member' as const;
  return deps.organizers.standing(ctx.graph, email!);
}
