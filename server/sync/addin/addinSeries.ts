import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Clock } from '../../clock';
import type { GraphGateway } from '../../graph/gateway';
import type { HectorAdmin, HectorPort, Loan, Place } from '../../hector/port';
import type { Journal, JournalEntry } from '../../store/journal';
import type { Links } from '../../store/links';
import { parseGraphDateTime } from '../rules/roomCopy';
import { BOOKING_WINDOW_DAYS } from '../reconcile';
import { eventFacts, journalFacts } from './facts';
import { reasonFor, toLoanView, type JournalFacts, type Language } from './loanView';
import { occurrenceReason, seriesReason } from './seriesView';
import type {
  NoLoanReason,
  SeriesOccurrenceLoan,
  SeriesOccurrenceView,
  SeriesView,
} from '../../../contract/addin';

const DAY_MS = 86_400_000;

export interface AddinSeriesDeps {
  hector: Pick<HectorPort, 'getLoan'> & Pick<HectorAdmin, 'getStore'>;
  links: Pick<Links, 'listSeriesLinks'>;
  journal: Pick<Journal, 'list'>;
  now: Clock;
}

/** What the add-in knows already when the caller's event is a series master. */
export interface SeriesContext {
  /** The gateway that read the caller's event (their own rights, or the app's). */
  graph: GraphGateway;
  mailbox: string;
  master: MSGraph.Event;
  /** Synced, active places. */
  places: Place[];
  syncedRooms: Map<string, string>;
  roomJournals: ReadonlyMap<string, JournalFacts[]>;
  language: Language;
}

/**
 * B3, the add-in opened on a series: its upcoming occurrences in the caller's own calendar (one
 * read of the master's instances, in pages), each with its loan — found through the series'
 * links, one query — or, for one without, why (its own journal). The master itself holds no loan.
 */
export async function seriesAnswer(
  ctx: SeriesContext,
  deps: AddinSeriesDeps,
): Promise<{ reason: NoLoanReason; series: SeriesView }> {
  const { master, language, syncedRooms, roomJournals } = ctx;
  const facts = eventFacts(master);
  const masterEntries = master.iCalUId ? await deps.journal.list({ iCalUId: master.iCalUId, limit: 20 }) : [];
  const masterReason =
    declinedWhole(masterEntries, syncedRooms, language) ??
    reasonFor(facts, syncedRooms, masterEntries.map(journalFacts), language, roomJournals);

  const days = await windowDays(
    facts.attendees.map((a) => a.email),
    ctx.places,
    deps,
  );
  const now = deps.now();
  const window = { start: now, end: new Date(now.getTime() + days * DAY_MS) };
  const instances = master.id ? await ctx.graph.listInstances(ctx.mailbox, master.id, window) : [];
  const upcoming = instances
    .filter((e) => (e.type === 'occurrence' || e.type === 'exception') && !e.isCancelled && e.iCalUId)
    .map((e) => ({ event: e, start: parseGraphDateTime(e.start), end: parseGraphDateTime(e.end) }))
    .filter((o): o is { event: MSGraph.Event; start: Date; end: Date } => Boolean(o.start && o.end))
    .sort((a, b) => a.start.getTime() - b.start.getTime());

  const loanIds = new Map(
    master.iCalUId
      ? (await deps.links.listSeriesLinks(master.iCalUId)).map((l) => [l.iCalUId, l.loanId] as const)
      : [],
  );
  const occurrences: SeriesOccurrenceView[] = [];
  for (const { event, start, end } of upcoming) {
    const loanId = loanIds.get(event.iCalUId!);
    const loan = loanId ? await deps.hector.getLoan(loanId) : null;
    if (loan) {
      occurrences.push({
        start: start.toISOString(),
        end: end.toISOString(),
        loan: occurrenceLoan(loan, language),
        reason: null,
      });
      continue;
    }
    const entries = await deps.journal.list({ iCalUId: event.iCalUId!, limit: 20 });
    const own = reasonFor(eventFacts(event), syncedRooms, entries.map(journalFacts), language, roomJournals);
    occurrences.push({
      start: start.toISOString(),
      end: end.toISOString(),
      loan: null,
      reason: occurrenceReason(own, masterReason),
    });
  }
  return { reason: seriesReason(masterReason, occurrences, days, language), series: { occurrences } };
}

function occurrenceLoan(loan: Loan, language: Language): SeriesOccurrenceLoan {
  const view = toLoanView(loan, language, '');
  return { id: view.id, number: view.number, status: view.status, statusLabel: view.statusLabel };
}

/**
 * The sync's window (syncSeries): each room's store booking window, else Exchange's 180 days.
 * The series' rooms may belong to several stores: the longest window shows every occurrence any
 * of them lends.
 */
async function windowDays(attendees: string[], places: Place[], deps: AddinSeriesDeps): Promise<number> {
  const emails = new Set(attendees);
  const storeIds = [
    ...new Set(places.filter((p) => p.email && emails.has(p.email.toLowerCase())).map((p) => p.storeId)),
  ];
  let days = 0;
  for (const id of storeIds) {
    const store = await deps.hector.getStore(id);
    days = Math.max(days, store?.bookingWindowDays ?? BOOKING_WINDOW_DAYS);
  }
  return days || BOOKING_WINDOW_DAYS;
}

/**
 * An attendee's copy does not know the rooms' answers; the series' journal line does: a room that
 * declined the series whole (Exchange does when one occurrence conflicts or it reaches past the
 * booking window) left it, and no occurrence of it is ever journaled.
 */
function declinedWhole(
  entries: JournalEntry[],
  syncedRooms: Map<string, string>,
  language: Language,
): NoLoanReason | null {
  const last = entries.find((e) => e.kind === 'series');
  if (!last || !/^Series left .*declined the series/.test(last.message)) return null;
  const room = (last.roomEmail && syncedRooms.get(last.roomEmail.toLowerCase())) || last.roomEmail || '';
  return { code: 'room_declined', message: text.declinedWhole[language](room) };
}

const text = {
  declinedWhole: {
    fr: (room: string) =>
      `${room} a refusé toute la série : Exchange refuse une série entière quand une occurrence est en conflit ou dépasse la fenêtre de réservation.`,
    en: (room: string) =>
      `${room} declined the whole series: Exchange declines a series when one occurrence conflicts or it reaches past the booking window.`,
  },
} as const;
