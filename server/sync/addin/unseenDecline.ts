import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Clock } from '../../clock';
import { GraphCallError } from '../../graph/errors';
import type { GraphGateway } from '../../graph/gateway';
import type { HectorPort } from '../../hector/port';
import type { Journal } from '../../store/journal';
import type { Links } from '../../store/links';
import { journalMessage } from '../journalText/render';
import { parseGraphDateTime } from '../rules/roomCopy';

const DAY_MS = 86_400_000;
/** Exchange's default BookingWindowInDays for rooms (Set-CalendarProcessing). */
const EXCHANGE_WINDOW_DAYS = 180;
const CODE = 'inbound.declined_unseen';

export interface UnseenDeclineInput {
  /** The app's gateway: reads the room's calendar. */
  app: Pick<GraphGateway, 'calendarDelta'>;
  /** The gateway that read the organizer's copy, and its mailbox: lists a series' occurrences. */
  organizer: { graph: Pick<GraphGateway, 'listInstances'>; mailbox: string };
  /** The organizer's copy: a single meeting or a series master. */
  event: MSGraph.Event;
  /** The synced rooms that declined it, lower-case e-mail → display name. */
  rooms: { email: string; name: string }[];
}

export interface UnseenDeclineDeps {
  journal: Pick<Journal, 'list' | 'record'>;
  /** The colliding booking's loan, when it is one of Hector's. */
  links: Pick<Links, 'findLoanIdByICalUId'>;
  hector: Pick<HectorPort, 'getLoan'>;
  now: Clock;
}

interface Span {
  start: Date;
  end: Date;
}

/**
 * B3 V3: a room that declines a request at once keeps no copy, so no notification ever reaches
 * its subscription (GRAPH-FACTS "Room answers come late"); only the organizer's copy shows the
 * answer. When the organizer opens the add-in on such a meeting, journal it once per room, with
 * what the room's calendar says about why: the booking it collides with (Exchange declines a whole
 * series when one occurrence conflicts), or a series reaching past Exchange's booking window.
 */
export async function journalUnseenDecline(
  input: UnseenDeclineInput,
  deps: UnseenDeclineDeps,
): Promise<void> {
  const { event } = input;
  if (!event.iCalUId) return;
  const known = await deps.journal.list({ iCalUId: event.iCalUId, limit: 100 });
  const pending = input.rooms.filter(
    (room) => !known.some((e) => e.code === CODE && e.roomEmail?.toLowerCase() === room.email),
  );
  if (pending.length === 0) return;

  const series = event.type === 'seriesMaster';
  const now = deps.now();
  const horizon = new Date(now.getTime() + EXCHANGE_WINDOW_DAYS * DAY_MS);
  const own = await ownSpans(input, series, now, horizon);
  const pastWindow = series && reachesPast(event, own.spans.length, horizon);

  for (const room of pending) {
    const conflict = await firstConflict(input.app, room.email, own);
    const loanId = conflict?.iCalUId ? await deps.links.findLoanIdByICalUId(conflict.iCalUId) : null;
    const loan = loanId ? await deps.hector.getLoan(loanId) : null;
    await deps.journal.record({
      kind: series ? 'series' : 'ignored',
      iCalUId: event.iCalUId,
      roomEmail: room.email,
      ...journalMessage(CODE, {
        room: room.name,
        series,
        conflictStart: conflict?.start ?? null,
        conflictSubject: conflict?.subject ?? null,
        conflictLoan: loan?.number ?? null,
        pastWindow: !conflict && pastWindow,
      }),
      details: { reasons: ['the room declined the meeting in Exchange'] },
    });
  }
}

/** The meeting's own times (a series: its occurrences up to Exchange's window) and iCalUIds. */
async function ownSpans(
  input: UnseenDeclineInput,
  series: boolean,
  now: Date,
  horizon: Date,
): Promise<{ spans: Span[]; iCalUIds: Set<string> }> {
  const events = series
    ? input.event.id
      ? await input.organizer.graph.listInstances(input.organizer.mailbox, input.event.id, {
          start: now,
          end: horizon,
        })
      : []
    : [input.event];
  const iCalUIds = new Set([
    input.event.iCalUId!,
    ...events.map((e) => e.iCalUId).filter((u): u is string => !!u),
  ]);
  const spans = events
    .filter((e) => !e.isCancelled)
    .map((e) => ({ start: parseGraphDateTime(e.start), end: parseGraphDateTime(e.end) }))
    .filter((s): s is Span => Boolean(s.start && s.end))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  return { spans, iCalUIds };
}

/** A series Exchange would decline for its booking window: no end, or ending past it. */
function reachesPast(master: MSGraph.Event, occurrencesInWindow: number, horizon: Date): boolean {
  const range = master.recurrence?.range;
  if (!range) return false;
  if (range.type === 'noEnd') return true;
  if (range.type === 'endDate' && range.endDate) return Date.parse(range.endDate) > horizon.getTime();
  if (range.type === 'numbered') return (range.numberOfOccurrences ?? 0) > occurrencesInWindow;
  return false;
}

/** The room's first booking (not this meeting's) overlapping one of the meeting's times. */
async function firstConflict(
  app: UnseenDeclineInput['app'],
  room: string,
  own: { spans: Span[]; iCalUIds: Set<string> },
): Promise<{ start: string; subject: string; iCalUId: string | null } | null> {
  if (own.spans.length === 0) return null;
  let events: MSGraph.Event[];
  try {
    const window = {
      start: own.spans[0]!.start,
      end: new Date(Math.max(...own.spans.map((s) => s.end.getTime()))),
    };
    events = (await app.calendarDelta(room, window)).events;
  } catch (error) {
    // The room's calendar unreadable (an access policy): the decline is journaled without a why.
    if (error instanceof GraphCallError) return null;
    throw error;
  }
  const busy = events
    .filter((e) => !e.isCancelled && e.showAs !== 'free' && !(e.iCalUId && own.iCalUIds.has(e.iCalUId)))
    .map((e) => ({
      start: parseGraphDateTime(e.start),
      end: parseGraphDateTime(e.end),
      // A room's copy is titled with its organizer's name by default (AddOrganizerToSubject).
      subject: e.subject ?? '',
      iCalUId: e.iCalUId ?? null,
    }))
    .filter((b): b is Span & { subject: string; iCalUId: string | null } => Boolean(b.start && b.end));
  for (const span of own.spans) {
    const hit = busy.find((b) => b.start < span.end && span.start < b.end);
    if (hit) return { start: span.start.toISOString(), subject: hit.subject, iCalUId: hit.iCalUId };
  }
  return null;
}
