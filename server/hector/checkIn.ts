import { sql } from 'kysely';
import { AppError } from '../errors';
import type { Db } from './db';
import type { LoanCommands } from './loans';
import { canTransition, isLoanStatus, type LoanStatus } from './statuses';

/**
 * B9: check-in and the release of rooms nobody checked in. The window is the place's own (else its
 * store's) minutes before and after the start; a loan's first active room decides (the rooms of one
 * meeting are booked together).
 */
export interface CheckInWindow {
  opens: Date;
  closes: Date;
  timeZone: string;
}

/** Pure: the window around `start`. */
export function checkInWindow(
  start: Date,
  minutes: { before: number; after: number },
  timeZone: string,
): CheckInWindow {
  return {
    opens: new Date(start.getTime() - minutes.before * 60_000),
    closes: new Date(start.getTime() + minutes.after * 60_000),
    timeZone,
  };
}

export const isInside = (window: CheckInWindow, now: Date): boolean =>
  now.getTime() >= window.opens.getTime() && now.getTime() <= window.closes.getTime();

/** Statuses a check-in may come in: not started yet, or checked out by the clock (K1). */
const CHECK_IN_STATUSES: readonly LoanStatus[] = ['new', 'assigned', 'out', 'partially_out'];

const clockIn = (date: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    date,
  );

export const checkInClosed = (window: CheckInWindow): AppError =>
  new AppError(
    'CHECK_IN_CLOSED',
    `Check-in is open from ${clockIn(window.opens, window.timeZone)} to ${clockIn(window.closes, window.timeZone)} (${window.timeZone}).`,
    { opens: window.opens.toISOString(), closes: window.closes.toISOString(), timeZone: window.timeZone },
  );

/** The window of one loan, from its first active room (else its store). */
export async function loanCheckInWindow(db: Db, loanId: string, start: Date): Promise<CheckInWindow> {
  const room = await db
    .selectFrom('hector_loan_item as li')
    .innerJoin('hector_place as p', 'p.id', 'li.place_id')
    .innerJoin('hector_store as s', 's.id', 'p.store_id')
    .select([
      sql<number>`coalesce(p.check_in_before_minutes, s.check_in_before_minutes)`.as('before'),
      sql<number>`coalesce(p.check_in_after_minutes, s.check_in_after_minutes)`.as('after'),
      's.time_zone',
    ])
    .where('li.loan_id', '=', loanId)
    .where('li.status', '=', 'active')
    .orderBy('li.position')
    .executeTakeFirst();
  const settings =
    room ??
    (await db
      .selectFrom('hector_loan as l')
      .innerJoin('hector_store as s', 's.id', 'l.store_id')
      .select(['s.check_in_before_minutes as before', 's.check_in_after_minutes as after', 's.time_zone'])
      .where('l.id', '=', loanId)
      .executeTakeFirstOrThrow());
  return checkInWindow(
    start,
    { before: Number(settings.before), after: Number(settings.after) },
    settings.time_zone,
  );
}

/**
 * Someone came: the loan is checked in and, when it has not been checked out by the clock yet,
 * checked out (`out`). Checking in twice is one check-in. Outside the window: CHECK_IN_CLOSED.
 */
export async function checkIn(db: Db, commands: LoanCommands, loanId: string, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const loan = await commands.lockLoan(trx, loanId);
    if (loan.checked_in_at) return;
    if (!CHECK_IN_STATUSES.includes(loan.status)) {
      throw new AppError('FORBIDDEN_TRANSITION', `A loan in status "${loan.status}" cannot be checked in.`);
    }
    const window = await loanCheckInWindow(trx, loanId, loan.start_at);
    if (!isInside(window, now)) throw checkInClosed(window);
    await trx.updateTable('hector_loan').set({ checked_in_at: now }).where('id', '=', loanId).execute();
    if (canTransition(loan.status, 'out')) {
      await commands.writeStatus(trx, loanId, loan.version, loan.status, 'out', 'hector');
    }
  });
}

/** A loan released because nobody checked in. */
export interface ReleasedLoan {
  loanId: string;
  number: number;
  /** The released rooms' place ids. */
  placeIds: string[];
  minutes: number;
}

const BATCH = 200;

/**
 * B9: the room loans of stores with `autoReleaseMinutes` that nobody checked in that long after
 * their start (and not ended) are released: their items are cancelled and the loan with them,
 * origin `hector`, so outbound makes the rooms decline the meeting (the person's meeting of an
 * Outlook-made loan) or deletes the event (a Hector-made one). A loan checked out by the clock
 * (K1) without anyone coming is released too: only a check-in keeps it.
 */
export async function releaseUncheckedRooms(
  db: Db,
  commands: LoanCommands,
  now: Date,
): Promise<ReleasedLoan[]> {
  const candidates = await db
    .selectFrom('hector_loan as l')
    .innerJoin('hector_loan_item as li', (join) =>
      join.onRef('li.loan_id', '=', 'l.id').on('li.status', '=', 'active').on('li.kind', '=', 'place'),
    )
    .innerJoin('hector_place as p', 'p.id', 'li.place_id')
    .innerJoin('hector_store as s', 's.id', 'p.store_id')
    .select(['l.id', 's.auto_release_minutes as minutes'])
    .where('l.checked_in_at', 'is', null)
    .where('l.status', 'in', [...CHECK_IN_STATUSES])
    .where('s.auto_release_minutes', 'is not', null)
    .where(sql<boolean>`l.start_at + make_interval(mins => s.auto_release_minutes) <= ${now}`)
    .where('l.end_at', '>', now)
    .groupBy(['l.id', 's.auto_release_minutes'])
    .orderBy('l.id')
    .limit(BATCH)
    .execute();

  const released: ReleasedLoan[] = [];
  for (const candidate of new Map(candidates.map((c) => [c.id, c])).values()) {
    const done = await db.transaction().execute(async (trx) => {
      const loan = await commands.lockLoan(trx, candidate.id);
      // Re-read under lock: a check-in or a change made meanwhile wins.
      if (loan.checked_in_at || !isLoanStatus(loan.status) || !CHECK_IN_STATUSES.includes(loan.status)) {
        return null;
      }
      const items = await trx
        .selectFrom('hector_loan_item')
        .select(['id', 'place_id'])
        .where('loan_id', '=', loan.id)
        .where('status', '=', 'active')
        .execute();
      await trx
        .updateTable('hector_loan_item')
        .set({ status: 'cancelled' })
        .where('loan_id', '=', loan.id)
        .where('status', '=', 'active')
        .execute();
      // Written as a status change, not a transition a person may make: an automatic check-out
      // nobody confirmed (K1) is no check-out, and the loan ends here as cancelled.
      await commands.writeStatus(trx, loan.id, loan.version, loan.status, 'cancelled', 'hector', {
        automatic: true,
      });
      return {
        loanId: loan.id,
        number: Number(loan.number),
        placeIds: items.map((i) => i.place_id).filter((id): id is string => id !== null),
        minutes: Number(candidate.minutes),
      };
    });
    if (done) released.push(done);
  }
  return released;
}
