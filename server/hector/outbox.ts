import { sql } from 'kysely';
import type { Db } from './db';
import type { LoanChange, Origin, OutboxEntry } from './port';

/**
 * The outbox of loan changes. Every write to a loan records its change here in the same
 * transaction, with its origin, so the outbound sync sees each change exactly once and can
 * skip the ones that came from Outlook (no echo).
 */
export async function recordChange(
  trx: Db,
  loanId: string,
  origin: Origin,
  change: LoanChange,
): Promise<void> {
  await trx
    .insertInto('hector_outbox')
    .values({ loan_id: loanId, origin, change: JSON.stringify(change) })
    .execute();
}

export async function pendingOutbox(db: Db, limit: number): Promise<OutboxEntry[]> {
  const rows = await db
    .selectFrom('hector_outbox')
    .select(['loan_id', 'origin', 'change', 'created_at', sql<string>`id::text`.as('id')])
    .where('dispatched_at', 'is', null)
    .orderBy('hector_outbox.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    loanId: r.loan_id,
    origin: r.origin,
    change: r.change as LoanChange,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function markDispatched(db: Db, ids: string[], now: Date): Promise<void> {
  const valid = ids.filter((id) => /^\d+$/.test(id));
  if (valid.length === 0) return;
  await db
    .updateTable('hector_outbox')
    .set({ dispatched_at: now })
    .where('id', 'in', valid)
    .where('dispatched_at', 'is', null)
    .execute();
}
