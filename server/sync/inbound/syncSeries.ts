import { createHash } from 'node:crypto';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { GraphCallError } from '../../graph/errors';
import type { Place } from '../../../contract/hector';
import type { RoomCopyLink } from '../../store/links';
import { BOOKING_WINDOW_DAYS } from '../reconcile';
import { readRoomCopy, type RoomCopy } from '../rules/roomCopy';
import { seriesPassMessage, type SeriesTally } from '../rules/seriesWording';
import { journalMessage } from '../journalText/render';
import type { CopyRead, InboundDeps, InboundOutcome } from './deps';
import { decideOccurrence } from './decideOccurrence';
import { organizerOccurrences } from './organizerOccurrences';
import { needsOrganizerLookup } from '../rules/requester';

const DAY_MS = 86_400_000;

/**
 * B3, a room's copy of a series changed (Graph notifies every occurrence's change on the master):
 * one read of the occurrences in the window [now − 1 day, now + booking window] (the master was
 * read already, the instances come in pages), then each occurrence is decided as a meeting of
 * its own — its iCalUId is its key — and the occurrences this room held and no longer holds are
 * decided as gone. Past occurrences keep their loans. One journal line sums the pass up.
 */
export async function syncSeries(read: CopyRead, deps: InboundDeps): Promise<InboundOutcome> {
  const master = read.copy;
  const masterId = read.copyId;
  const now = deps.now();
  const place = (await deps.hector.listPlaces({ synced: true })).find(
    (p) => p.email?.toLowerCase() === read.room,
  );
  const window = await windowFor(place, now, deps);
  const instances =
    master && !master.isCancelled ? await read.graph.listInstances(read.room, masterId, window) : [];
  const occurrences = instances
    .filter((e) => e.type === 'occurrence' || e.type === 'exception')
    .filter((e) => !e.isCancelled && e.iCalUId && e.id)
    .sort((a, b) => startOf(a) - startOf(b));

  // The master's link holds no loan (its occurrences do); it remembers the organizer.
  await deps.links.upsertLink({
    iCalUId: read.iCalUId,
    organizerEmail: master?.organizer.email ?? undefined,
    roomCopy: {
      roomEmail: read.room,
      eventId: masterId,
      kind: 'series',
      state: master && !master.isCancelled ? 'live' : 'gone',
      readAt: read.readAt,
      etag: read.etag,
    },
  });
  await adoptSingleLoan(read, occurrences, deps);

  const tally: SeriesTally = { created: 0, updated: 0, cancelled: 0, ignored: 0, inSync: 0, kept: 0 };
  let deferred = false;
  const seen = new Set<string>();
  const passId = `${masterId}@${read.readAt.toISOString()}`;
  // A notification does not say which occurrence changed: the ones whose copy reads as last
  // applied are left alone (a periodic pass or a deferred job decides them all again).
  const recheckAll = read.job.changeType === 'reconciled' || (read.job.deferrals ?? 0) > 0;
  const organizer = master?.organizer.email ?? null;
  const series = {
    masterId,
    masterICalUId: read.iCalUId,
    passId,
    seriesRooms: (master?.attendees ?? []).map((a) => a.email),
    recheck: recheckAll,
    ...(organizer && !master?.isCancelled && needsOrganizerLookup(organizer, read.settings.primaryDomain)
      ? { organizerOccurrence: organizerOccurrences(read.graph, organizer, read.iCalUId, window) }
      : {}),
  };
  for (const event of occurrences) {
    seen.add(event.iCalUId!);
    const copy = readRoomCopy(event);
    const version = occurrenceVersion(copy);
    // Its id changes when the series' time moves; the copies under its old ids are gone.
    await deps.links.retireOtherCopies(read.room, event.iCalUId!, event.id!);
    const known = recheckAll ? null : await deps.links.findRoomCopy(read.room, event.id!);
    if (known?.state === 'live' && known.lastEtag === version) {
      tally.inSync++;
      continue;
    }
    const outcome = await decideOccurrence(
      {
        ...read,
        copy,
        copyId: event.id!,
        iCalUId: event.iCalUId!,
        etag: version,
        series: { ...series, occurrenceStart: copy.originalStart ?? copy.start },
      },
      deps,
    );
    deferred ||= outcome.skipped === 'deferred';
    count(tally, outcome);
  }

  // Occurrences this room held that the read no longer shows: cancelled, declined, moved out of
  // the series by a new pattern or end, or the whole series gone.
  const known = await deps.links.listSeriesCopies(read.room, masterId);
  const vanished = uniqueByICalUId(known.filter((c) => c.state === 'live' && !seen.has(c.iCalUId ?? '')));
  for (const copy of vanished) {
    await deps.links.retireOtherCopies(read.room, copy.iCalUId!, copy.eventId);
    if (await isPast(copy, now, deps)) {
      tally.kept++;
      continue;
    }
    const outcome = await decideOccurrence(
      {
        ...read,
        copy: null,
        copyId: copy.eventId,
        iCalUId: copy.iCalUId!,
        etag: undefined,
        series: { ...series, occurrenceStart: null },
      },
      deps,
    );
    deferred ||= outcome.skipped === 'deferred';
    count(tally, outcome);
  }

  const roomName = place?.name;
  const gone = !master || master.isCancelled;
  const why = gone ? await whySeriesLeft(read, deps) : null;
  // A periodic pass over a series where nothing changed says so in its own summary, not here.
  const changed = tally.created + tally.updated + tally.cancelled > 0;
  if (changed || gone || read.job.changeType !== 'reconciled')
    await deps.journal.record({
      kind: 'series',
      ...seriesPassMessage({ roomName: roomName ?? read.room, tally, gone, why, subject: null }),
      iCalUId: read.iCalUId,
      eventId: masterId,
      roomEmail: read.room,
      loanId: null,
      details: {
        series: read.iCalUId,
        seriesPass: passId,
        seriesMasterId: masterId,
        occurrences: occurrences.length,
        window: { start: window.start.toISOString(), end: window.end.toISOString() },
        ...tally,
        changeType: read.job.changeType,
      },
    });
  deps.logger.info(
    { event: 'inbound.series', room: read.room, iCalUId: read.iCalUId, ...tally },
    'series synced',
  );
  return deferred
    ? { decision: null, skipped: 'deferred', loanId: null, iCalUId: read.iCalUId }
    : { decision: null, loanId: null, iCalUId: read.iCalUId };
}

/** B3: the store's booking window of the room's place when it has one, else Exchange's 180 days. */
async function windowFor(
  place: Place | undefined,
  now: Date,
  deps: InboundDeps,
): Promise<{ start: Date; end: Date }> {
  const store = place ? await deps.hector.getStore(place.storeId) : null;
  const days = store?.bookingWindowDays ?? BOOKING_WINDOW_DAYS;
  return { start: new Date(now.getTime() - DAY_MS), end: new Date(now.getTime() + days * DAY_MS) };
}

/**
 * A single meeting made recurring keeps its iCalUId on the master, and its occurrences get their
 * own: the loan the single had moves to the first occurrence (same number), not a new one.
 */
async function adoptSingleLoan(
  read: CopyRead,
  occurrences: MSGraph.Event[],
  deps: InboundDeps,
): Promise<void> {
  const first = occurrences[0];
  if (!first) return;
  const single = await deps.links.findMeetingLink(read.iCalUId);
  if (!single?.loanId) return;
  if (await deps.links.findMeetingLink(first.iCalUId!)) return;
  await deps.links.upsertLink({
    iCalUId: first.iCalUId!,
    loanId: single.loanId,
    organizerEmail: single.organizerEmail ?? undefined,
    series: { iCalUId: read.iCalUId, occurrenceStart: originalStartOf(first) },
  });
  await deps.links.upsertLink({ iCalUId: read.iCalUId, loanId: null });
  const loan = await deps.hector.getLoan(single.loanId);
  await deps.journal.record({
    kind: 'updated',
    ...journalMessage('series.adopted', { loan: loan?.number ?? null }),
    iCalUId: first.iCalUId!,
    eventId: first.id ?? null,
    roomEmail: read.room,
    loanId: single.loanId,
    details: { series: read.iCalUId, adoptedFrom: read.iCalUId, loanNumber: loan?.number ?? null },
  });
}

/** An occurrence over by now keeps its loan, whatever became of the series (B3). */
async function isPast(copy: RoomCopyLink, now: Date, deps: InboundDeps): Promise<boolean> {
  const link = await deps.links.findMeetingLink(copy.iCalUId!);
  if (!link?.loanId) return false;
  const loan = await deps.hector.getLoan(link.loanId);
  return Boolean(loan && new Date(loan.end).getTime() <= now.getTime());
}

/**
 * The room's copy of the series is gone: the organizer's copy says whether the room declined it
 * (Exchange declines a whole series when one occurrence conflicts or it reaches past the room's
 * booking window — GRAPH-FACTS "Recurring meetings") or the organizer cancelled it.
 */
async function whySeriesLeft(read: CopyRead, deps: InboundDeps): Promise<string | null> {
  const links = await deps.links.findMeetingLink(read.iCalUId);
  const organizer = links?.organizerEmail;
  if (!organizer) return null;
  try {
    const found = await read.graph.findEventsByICalUId(organizer, read.iCalUId);
    const own = found.find((e) => e.type === 'seriesMaster');
    if (!own || own.isCancelled) return 'the organizer cancelled the series';
    const answer = own.attendees?.find((a) => a.emailAddress?.address?.toLowerCase() === read.room);
    if (!answer) return 'the room was removed from the series';
    if (answer.status?.response === 'declined')
      return 'the room declined the series (Exchange declines a whole series when one occurrence conflicts or it reaches past the booking window)';
    return null;
  } catch (error) {
    if (error instanceof GraphCallError && (error.graphStatus === 403 || error.graphStatus === 404))
      return null;
    throw error;
  }
}

/**
 * What an occurrence's copy says that a loan follows, as a version: Graph's etag of an occurrence
 * is its master's (every occurrence's changes at once), so it cannot tell which one changed.
 */
function occurrenceVersion(copy: RoomCopy): string {
  const facts = {
    type: copy.type,
    cancelled: copy.isCancelled,
    start: copy.start?.toISOString() ?? null,
    end: copy.end?.toISOString() ?? null,
    organizer: copy.organizer.email,
    response: copy.response,
    attendees: copy.attendees.map((a) => [a.email, a.type, a.response]).sort(),
    loan: copy.hectorLoanId,
  };
  return `occ:${createHash('sha256').update(JSON.stringify(facts)).digest('base64url').slice(0, 22)}`;
}

function count(tally: SeriesTally, outcome: InboundOutcome): void {
  switch (outcome.decision?.kind) {
    case 'created':
      tally.created++;
      break;
    case 'updated':
      tally.updated++;
      break;
    case 'cancelled':
      tally.cancelled++;
      break;
    case 'ignored':
      tally.ignored++;
      break;
    case 'in_sync':
      tally.inSync++;
      break;
    default:
      break;
  }
}

function uniqueByICalUId(copies: RoomCopyLink[]): RoomCopyLink[] {
  const byKey = new Map<string, RoomCopyLink>();
  for (const c of copies) if (c.iCalUId && !byKey.has(c.iCalUId)) byKey.set(c.iCalUId, c);
  return [...byKey.values()];
}

const startOf = (e: MSGraph.Event): number => {
  const copy = readRoomCopy(e);
  return copy.start?.getTime() ?? 0;
};

const originalStartOf = (e: MSGraph.Event): Date | null => {
  const copy = readRoomCopy(e);
  return copy.originalStart ?? copy.start;
};
