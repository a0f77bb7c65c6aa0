import { sql } from 'kysely';
import type { Db } from './db';
import type { Conflict, ItemRef } from './port';
import { BLOCKING_STATUSES } from './statuses';

/**
 * V4: the loans that hold any of these items over [start, end) — active items of loans in the
 * not-started and in-progress phases — excluding one loan (the one being changed).
 */
export async function findConflicts(
  db: Db,
  items: ItemRef[],
  start: Date,
  end: Date,
  excludeLoanId?: string,
): Promise<Conflict[]> {
  const placeIds = items.filter((i) => i.kind === 'place').map((i) => i.id);
  const assetIds = items.filter((i) => i.kind === 'asset').map((i) => i.id);
  if (placeIds.length === 0 && assetIds.length === 0) return [];
  let query = db
    .selectFrom('hector_loan_item as li')
    .innerJoin('hector_loan as l', 'l.id', 'li.loan_id')
    .leftJoin('hector_place as p', 'p.id', 'li.place_id')
    .leftJoin('hector_asset as a', 'a.id', 'li.asset_id')
    .select([
      'l.id as loanId',
      'l.number as loanNumber',
      sql<string>`coalesce(li.place_id, li.asset_id)`.as('itemId'),
      sql<string>`coalesce(p.name, a.name)`.as('itemName'),
    ])
    .where('li.status', '=', 'active')
    .where('l.status', 'in', [...BLOCKING_STATUSES])
    .where('l.start_at', '<', end)
    .where('l.end_at', '>', start)
    .where((eb) =>
      eb.or([
        ...(placeIds.length > 0 ? [eb('li.place_id', 'in', placeIds)] : []),
        ...(assetIds.length > 0 ? [eb('li.asset_id', 'in', assetIds)] : []),
      ]),
    );
  if (excludeLoanId) query = query.where('l.id', '<>', excludeLoanId);
  const rows = await query.orderBy('l.number').execute();
  return rows.map((r) => ({
    itemId: r.itemId,
    itemName: r.itemName,
    loanId: r.loanId,
    loanNumber: Number(r.loanNumber),
  }));
}
