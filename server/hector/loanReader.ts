import { sql } from 'kysely';
import { isUuid, type Db } from './db';
import type { Loan, LoanFilter, LoanItem } from './port';
import { isLoanStatus, phaseOf, statusLabel } from './statuses';

/** Loans as the port and the API show them, read in two queries (loans, then their items). */
export async function readLoans(db: Db, filter: LoanFilter & { ids?: string[] }): Promise<Loan[]> {
  let query = db
    .selectFrom('hector_loan as l')
    .innerJoin('hector_user as u', 'u.id', 'l.requester_id')
    .innerJoin('hector_store as s', 's.id', 'l.store_id')
    .select([
      'l.id',
      'l.number',
      'l.status',
      'l.start_at',
      'l.end_at',
      'l.origin',
      'l.notes',
      'l.checked_in_at',
      'l.version',
      'l.created_at',
      'l.updated_at',
      'u.id as requester_id',
      'u.email as requester_email',
      'u.display_name as requester_name',
      's.id as store_id',
      's.name as store_name',
    ]);
  if (filter.ids) {
    const ids = filter.ids.filter(isUuid);
    if (ids.length === 0) return [];
    query = query.where('l.id', 'in', ids);
  }
  if (filter.from) query = query.where('l.end_at', '>', new Date(filter.from));
  if (filter.to) query = query.where('l.start_at', '<', new Date(filter.to));
  if (filter.status && filter.status.length > 0) query = query.where('l.status', 'in', filter.status);
  if (filter.requesterEmail) {
    query = query.where(sql<string>`lower(u.email)`, '=', filter.requesterEmail.toLowerCase());
  }
  if (filter.placeId) {
    if (!isUuid(filter.placeId)) return [];
    const placeId = filter.placeId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('hector_loan_item as li')
          .select('li.id')
          .whereRef('li.loan_id', '=', 'l.id')
          .where('li.place_id', '=', placeId),
      ),
    );
  }
  const rows = await query
    .orderBy('l.start_at')
    .orderBy('l.number')
    .limit(filter.limit ?? 1000)
    .execute();
  if (rows.length === 0) return [];

  const items = await db
    .selectFrom('hector_loan_item as li')
    .leftJoin('hector_place as p', 'p.id', 'li.place_id')
    .leftJoin('hector_asset as a', 'a.id', 'li.asset_id')
    .select([
      'li.loan_id',
      'li.kind',
      'li.status',
      'p.email',
      sql<string>`coalesce(li.place_id, li.asset_id)`.as('item_id'),
      sql<string>`coalesce(p.name, a.name)`.as('name'),
    ])
    .where(
      'li.loan_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('li.position')
    .execute();
  const byLoan = new Map<string, LoanItem[]>();
  for (const item of items) {
    const list = byLoan.get(item.loan_id) ?? [];
    list.push({
      kind: item.kind,
      id: item.item_id,
      name: item.name,
      status: item.status,
      email: item.email ?? null,
    });
    byLoan.set(item.loan_id, list);
  }

  return rows.map((r) => {
    if (!isLoanStatus(r.status)) throw new Error(`loan ${r.id} has an unknown status ${r.status}`);
    return {
      id: r.id,
      number: Number(r.number),
      status: r.status,
      statusLabel: statusLabel(r.status),
      phase: phaseOf(r.status),
      start: r.start_at.toISOString(),
      end: r.end_at.toISOString(),
      requester: { id: r.requester_id, email: r.requester_email, name: r.requester_name },
      store: { id: r.store_id, name: r.store_name },
      items: byLoan.get(r.id) ?? [],
      origin: r.origin,
      notes: r.notes,
      checkedInAt: r.checked_in_at ? new Date(r.checked_in_at).toISOString() : null,
      version: r.version,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  });
}
