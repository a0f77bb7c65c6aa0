import type { Kysely } from 'kysely';
import type { DriftLoan, DriftMeeting, RoomDrift } from '../../../contract/admin';
import type { Clock } from '../../clock';
import type { GraphGateway } from '../../graph/gateway';
import type { HectorService, Loan } from '../../hector/port';
import type { Journal, JournalEntry } from '../../store/journal';
import { findLinkByEventId, findLoanIdByICalUId } from '../../store/links';
import type { Schema } from '../../store/schema';
import { parseGraphDateTime } from '../rules/roomCopy';

export interface DriftDeps {
  db: Kysely<Schema>;
  hector: Pick<HectorService, 'findLoans' | 'listPlaces'>;
  journal: Pick<Journal, 'list'>;
  /** Business clock: the booking window is the reconcile pass's. */
  now: Clock;
  /** Real time: how long the report waits for the inbound jobs the run queued. */
  wallClock: Clock;
  /** Inbound jobs of these rooms still running or due now. */
  inboundLeft(roomEmails: string[]): Promise<number>;
  sleep?(ms: number): Promise<void>;
  /** The service is stopping: stop waiting (a job must not outlive the database it writes to). */
  stopping?(): boolean;
  /** How long to wait for the queued changes before reporting anyway (default 2 minutes). */
  waitMs?: number;
  bookingWindowDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const POLL_MS = 250;
/** One room's loans over the booking window: far above what a room holds in 180 days. */
const MAX_LOANS = 10_000;
/** A loan in these statuses is not expected to have a meeting. */
const ENDED = new Set(['cancelled', 'refused']);
export const NO_MEETING = "No meeting in the room's calendar.";
const NO_DECISION = 'No decision about this meeting is in the journal yet (its change may still be queued).';

const isLive = (loan: Loan | undefined, roomEmail: string): loan is Loan =>
  loan !== undefined &&
  !ENDED.has(loan.status) &&
  loan.phase !== 'archived' &&
  loan.items.some((i) => i.status === 'active' && i.email?.toLowerCase() === roomEmail);

/**
 * Resolves once the inbound jobs of these rooms are done (the loans a pass queued are written), or
 * after `waitMs`: a report read while they run would list every new meeting as drift.
 */
export async function waitForInbound(deps: DriftDeps, roomEmails: string[]): Promise<void> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const until = deps.wallClock().getTime() + (deps.waitMs ?? 120_000);
  // Twice idle in a row: a job finishing between two looks may queue another (a deferral).
  let idle = 0;
  while (idle < 2 && deps.wallClock().getTime() < until && !deps.stopping?.()) {
    idle = (await deps.inboundLeft(roomEmails)) === 0 ? idle + 1 : 0;
    if (idle < 2) await sleep(POLL_MS);
  }
}

/**
 * Issue 15, the drift report of one room: the meetings of its calendar (a full calendarView delta
 * over the booking window, not stored) that have no live loan with the room, each with the
 * journal's latest decision about it; and the live loans of the room in that window that no
 * meeting of the calendar leads to.
 */
export async function roomDrift(
  deps: DriftDeps,
  graph: Pick<GraphGateway, 'calendarDelta'>,
  roomEmail: string,
): Promise<RoomDrift> {
  const now = deps.now().getTime();
  const window = { start: new Date(now - DAY_MS), end: new Date(now + deps.bookingWindowDays * DAY_MS) };
  const page = await graph.calendarDelta(roomEmail, window);
  const removed = new Set(page.removed);
  const place = (await deps.hector.listPlaces({ synced: true })).find(
    (p) => p.email?.toLowerCase() === roomEmail,
  );
  const loans = place
    ? await deps.hector.findLoans({
        placeId: place.id,
        from: window.start.toISOString(),
        to: window.end.toISOString(),
        limit: MAX_LOANS,
      })
    : [];
  const byId = new Map(loans.map((l) => [l.id, l]));
  const matched = new Set<string>();
  const meetingsWithoutLoan: DriftMeeting[] = [];
  const seen = new Set<string>();
  for (const event of page.events) {
    const eventId = event.id;
    if (!eventId || seen.has(eventId) || removed.has(eventId) || event.isCancelled) continue;
    seen.add(eventId);
    if (event.type === 'seriesMaster') continue; // calendarView expands series: masters are not meetings
    const link = await findLinkByEventId(deps.db, eventId, roomEmail);
    const iCalUId = link?.iCalUId ?? event.iCalUId ?? null;
    const loanId = link?.loanId ?? (iCalUId ? await findLoanIdByICalUId(deps.db, iCalUId) : null);
    const loan = loanId ? byId.get(loanId) : undefined;
    if (isLive(loan, roomEmail)) {
      matched.add(loan.id);
      continue;
    }
    const start = parseGraphDateTime(event.start);
    meetingsWithoutLoan.push({
      iCalUId,
      eventId,
      ...(event.subject ? { subject: event.subject } : {}),
      ...(start ? { start: start.toISOString() } : {}),
      reason: (await latestAbout(deps.journal, eventId, iCalUId))?.message ?? NO_DECISION,
    });
  }
  const loansWithoutMeeting: DriftLoan[] = [];
  for (const loan of loans) {
    if (matched.has(loan.id) || !isLive(loan, roomEmail)) continue;
    const last = (await deps.journal.list({ loanId: loan.id, limit: 1 }))[0];
    loansWithoutMeeting.push({
      loanId: loan.id,
      number: loan.number,
      reason: last ? `${NO_MEETING} Last decision: ${last.message}` : NO_MEETING,
    });
  }
  return { roomEmail, meetingsWithoutLoan, loansWithoutMeeting };
}

/** The newest journal entry naming this room copy or its meeting. */
async function latestAbout(
  journal: Pick<Journal, 'list'>,
  eventId: string,
  iCalUId: string | null,
): Promise<JournalEntry | undefined> {
  const [byCopy] = await journal.list({ eventId, limit: 1 });
  const [byMeeting] = iCalUId ? await journal.list({ iCalUId, limit: 1 }) : [];
  if (!byCopy || !byMeeting) return byCopy ?? byMeeting;
  return new Date(byCopy.at).getTime() >= new Date(byMeeting.at).getTime() ? byCopy : byMeeting;
}
