import { sql } from 'kysely';
import { automaticSteps } from './automation';
import type { Db } from './db';
import type { LoanCommands } from './loans';
import { canTransition, isLoanStatus } from './statuses';

/** The pg-boss queue whose cron job moves loans on with the clock (K1), once a minute per cluster. */
export const STATUS_TICK_QUEUE = 'hector-status-tick';

const BATCH = 500;

/**
 * K1: automatic check-out at start, automatic close at end (place option else store, for every
 * active item), overdue 15 minutes after end when out. SQL narrows the candidates; the pure
 * `automaticSteps` decides. Each loan moves in its own transaction, re-read under lock, so a
 * person changing it at the same moment wins cleanly. Returns how many loans changed.
 */
export async function advanceLoanStatuses(db: Db, commands: LoanCommands, now: Date): Promise<number> {
  const overdueBefore = new Date(now.getTime() - 15 * 60_000);
  const candidates = await db
    .with('flags', (qb) =>
      qb
        .selectFrom('hector_loan as l')
        .innerJoin('hector_loan_item as li', (join) =>
          join.onRef('li.loan_id', '=', 'l.id').on('li.status', '=', 'active'),
        )
        .leftJoin('hector_place as p', 'p.id', 'li.place_id')
        .leftJoin('hector_asset as a', 'a.id', 'li.asset_id')
        .innerJoin('hector_store as s', (join) =>
          join.on(sql`s.id`, '=', sql`coalesce(p.store_id, a.store_id)`),
        )
        .select([
          'l.id',
          'l.status',
          'l.start_at',
          'l.end_at',
          sql<boolean>`bool_and(coalesce(p.auto_check_out, s.auto_check_out))`.as('auto_check_out'),
          sql<boolean>`bool_and(coalesce(p.auto_close, s.auto_close))`.as('auto_close'),
        ])
        .where('l.status', 'in', ['new', 'assigned', 'out', 'partially_out', 'overdue'])
        .where('l.start_at', '<=', now)
        .groupBy('l.id'),
    )
    .selectFrom('flags')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', ['new', 'assigned']), eb('auto_check_out', '=', true)]),
        eb.and([
          eb('status', 'in', ['out', 'partially_out', 'overdue']),
          eb('auto_close', '=', true),
          eb('end_at', '<=', now),
        ]),
        eb.and([eb('status', 'in', ['out', 'partially_out']), eb('end_at', '<=', overdueBefore)]),
      ]),
    )
    .orderBy('start_at')
    .limit(BATCH)
    .execute();

  let moved = 0;
  for (const candidate of candidates) {
    const changed = await db.transaction().execute(async (trx) => {
      const loan = await commands.lockLoan(trx, candidate.id);
      if (!isLoanStatus(loan.status)) return false;
      const steps = automaticSteps(
        { status: loan.status, start: loan.start_at, end: loan.end_at },
        { autoCheckOut: candidate.auto_check_out, autoClose: candidate.auto_close },
        now,
      );
      let from = loan.status;
      let version = loan.version;
      for (const to of steps) {
        if (!canTransition(from, to)) break;
        await commands.writeStatus(trx, loan.id, version, from, to, 'hector', { automatic: true });
        from = to;
        version += 1;
      }
      return from !== loan.status;
    });
    if (changed) moved += 1;
  }
  return moved;
}
