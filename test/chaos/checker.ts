import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { EmulatorControl } from '../../emulator/control/control';
import { parseDateTimeTimeZone } from '../../emulator/exchange/time';
import type { Loan } from '../../contract/hector';
import type { JournalEntry } from '../../contract/journal';
import { HECTOR_LOAN_ID_PROPERTY_ID } from '../../server/sync/outbound/rules';

/**
 * The chaos run's invariant checker: what Exchange holds against what Hector holds, read from each
 * side's own store (the emulator's calendars, Hector's API, the sync journal), never from the
 * service's own idea of what it did.
 *
 * - A booking is (room, start, end). Exchange's: every meeting (single, occurrence, exception)
 *   in a synced room's calendarView inside the window, not cancelled, not declined by the room.
 *   Hector's: every active place item of a loan still standing (not cancelled, refused, returned,
 *   completed). The workload books on 15-minute boundaries, so Hector's rounding (OC2) is the
 *   identity and both sides name a booking alike.
 * - **mismatches** = bookings on one side and not the other (counted on both sides).
 * - **duplicate loans** = bookings Hector holds more than once (the extras), plus meetings
 *   (iCalUIds in the journal) with more than one standing loan.
 * - **jobs run twice**, a job whose side effect was applied twice: a Hector loan with more than
 *   one Outlook event carrying its loan id (outbound's create applied twice; the extras), plus a
 *   loan created twice for one meeting by inbound — two `created` journal lines of kind created
 *   naming the same iCalUId and the same loan (the create of one room copy applied again).
 */
export interface CheckReport {
  mismatches: number;
  duplicateLoans: number;
  jobsRunTwice: number;
  exchangeBookings: number;
  hectorBookings: number;
  /** The first few differences, for the log. */
  examples: string[];
}

const STANDING = new Set([
  'pending_approval',
  'new',
  'assigned',
  'suspended',
  'partially_out',
  'out',
  'overdue',
]);

const iso = (v: MSGraph.DateTimeTimeZone | null | undefined): string =>
  new Date(parseDateTimeTimeZone(v)).toISOString();

function declinedByRoom(e: MSGraph.Event): boolean {
  return e.responseStatus?.response === 'declined';
}

export function checkInvariants(input: {
  control: EmulatorControl;
  rooms: string[];
  people: string[];
  loans: Loan[];
  journal: JournalEntry[];
  from: string;
  to: string;
}): CheckReport {
  const { control, loans, journal } = input;
  const rooms = new Set(input.rooms.map((r) => r.toLowerCase()));
  const examples: string[] = [];
  const count = (m: Map<string, number>, k: string): void => {
    m.set(k, (m.get(k) ?? 0) + 1);
  };

  const exchange = new Map<string, number>();
  /** One room copy per booking: what a difference's example names (its meeting and journal). */
  const copyOf = new Map<string, MSGraph.Event>();
  for (const room of rooms) {
    for (const e of control.person(room).calendarView(input.from, input.to)) {
      if (e.isCancelled || declinedByRoom(e) || e.type === 'seriesMaster') continue;
      const key = `${room}|${iso(e.start)}|${iso(e.end)}`;
      count(exchange, key);
      if (!copyOf.has(key)) copyOf.set(key, e);
    }
  }
  /** The journal's last lines about a meeting, newest first: why the sync did what it did. */
  const journalOf = (iCalUId: string | null | undefined): string => {
    if (!iCalUId) return 'no iCalUId';
    const lines = journal.filter((j) => j.iCalUId === iCalUId).slice(0, 4);
    return lines.length
      ? lines.map((j) => `[${j.at} ${j.kind}] ${j.message}`).join(' | ')
      : 'no journal line';
  };
  const hector = new Map<string, number>();
  const fromMs = Date.parse(input.from);
  const toMs = Date.parse(input.to);
  for (const loan of loans) {
    if (!STANDING.has(loan.status)) continue;
    const start = Date.parse(loan.start);
    if (start < fromMs || start >= toMs) continue;
    for (const item of loan.items) {
      if (item.kind !== 'place' || item.status !== 'active' || !item.email) continue;
      if (!rooms.has(item.email.toLowerCase())) continue;
      count(
        hector,
        `${item.email.toLowerCase()}|${new Date(loan.start).toISOString()}|${new Date(loan.end).toISOString()}`,
      );
    }
  }

  let mismatches = 0;
  let duplicateLoans = 0;
  for (const [key, n] of exchange) {
    const h = hector.get(key) ?? 0;
    if (h === 0) {
      mismatches += n;
      if (examples.length < 10) {
        const copy = copyOf.get(key);
        examples.push(
          `in Exchange, not in Hector: ${key} (${copy?.type ?? '?'} ${copy?.iCalUId ?? '?'}, ` +
            `organizer ${copy?.organizer?.emailAddress?.address ?? '?'}; journal: ${journalOf(copy?.iCalUId)})`,
        );
      }
    }
  }
  for (const [key, n] of hector) {
    if (n > 1) {
      duplicateLoans += n - 1;
      if (examples.length < 10) examples.push(`${n} loans for ${key}`);
    }
    if (!exchange.has(key)) {
      mismatches += 1;
      if (examples.length < 10) examples.push(`in Hector, not in Exchange: ${key}`);
    }
  }

  const byId = new Map(loans.map((l) => [l.id, l]));
  const loansOfMeeting = new Map<string, Set<string>>();
  const createdTwice = new Map<string, number>();
  for (const e of journal) {
    if (!e.iCalUId || !e.loanId) continue;
    const set = loansOfMeeting.get(e.iCalUId) ?? new Set<string>();
    set.add(e.loanId);
    loansOfMeeting.set(e.iCalUId, set);
    if (e.kind === 'created' && e.roomEmail) count(createdTwice, `${e.iCalUId}|${e.loanId}|${e.roomEmail}`);
  }
  for (const [uid, ids] of loansOfMeeting) {
    const standing = [...ids].filter((id) => STANDING.has(byId.get(id)?.status ?? 'cancelled'));
    if (standing.length > 1) {
      duplicateLoans += standing.length - 1;
      if (examples.length < 10) examples.push(`${standing.length} standing loans for meeting ${uid}`);
    }
  }

  let jobsRunTwice = 0;
  for (const [key, n] of createdTwice) {
    if (n > 1) {
      jobsRunTwice += n - 1;
      if (examples.length < 10) examples.push(`created ${n} times: ${key}`);
    }
  }
  const eventsOfLoan = new Map<string, number>();
  for (const person of input.people) {
    for (const e of control.eventsOf(person)) {
      if (e.isCancelled) continue;
      const loanId = e.singleValueExtendedProperties?.find((p) => p.id === HECTOR_LOAN_ID_PROPERTY_ID)?.value;
      if (loanId) count(eventsOfLoan, loanId);
    }
  }
  for (const [loanId, n] of eventsOfLoan) {
    if (n > 1) {
      jobsRunTwice += n - 1;
      if (examples.length < 10) examples.push(`${n} Outlook events for loan ${loanId}`);
    }
  }

  return {
    mismatches,
    duplicateLoans,
    jobsRunTwice,
    exchangeBookings: [...exchange.values()].reduce((a, b) => a + b, 0),
    hectorBookings: [...hector.values()].reduce((a, b) => a + b, 0),
    examples,
  };
}
