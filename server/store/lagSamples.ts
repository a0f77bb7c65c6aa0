import { sql, type Kysely } from 'kysely';
import type { LagFigures } from '../../contract/admin';
import type { Schema } from './schema';

export type LagDirection = 'inbound' | 'outbound';

/** Kept this long: the status page reports the last hour. */
export const LAG_WINDOW_MS = 60 * 60 * 1000;

/** One row per change synced, with its lag (table of migration 012), shared by every instance. */
export interface LagSamples {
  record(direction: LagDirection, lagMs: number, writtenAt: Date): Promise<void>;
  /** p50 / p95 of the changes written since `since`. */
  figures(direction: LagDirection, since: Date): Promise<LagFigures>;
  /** Drops the samples older than `before`. */
  prune(before: Date): Promise<void>;
}

export function createLagSamples(db: Kysely<Schema>): LagSamples {
  return {
    async record(direction, lagMs, writtenAt) {
      await db
        .insertInto('sync_lag')
        .values({ direction, lag_ms: Math.max(0, Math.round(lagMs)), written_at: writtenAt })
        .execute();
    },
    async figures(direction, since) {
      const row = await db
        .selectFrom('sync_lag')
        .select([
          sql<string>`count(*)`.as('count'),
          sql<number | null>`percentile_cont(0.5) WITHIN GROUP (ORDER BY lag_ms)`.as('p50'),
          sql<number | null>`percentile_cont(0.95) WITHIN GROUP (ORDER BY lag_ms)`.as('p95'),
        ])
        .where('direction', '=', direction)
        .where('written_at', '>=', since)
        .executeTakeFirstOrThrow();
      const round = (v: number | string | null) => (v === null ? null : Math.round(Number(v)));
      return { p50Ms: round(row.p50), p95Ms: round(row.p95), count: Number(row.count) };
    },
    async prune(before) {
      await db.deleteFrom('sync_lag').where('written_at', '<', before).execute();
    },
  };
}

/**
 * When the oldest Hector-side change of a loan not pushed yet was committed (its outbox row, written
 * in the change's transaction); null when there is none. Read before a push: the outbound lag.
 */
export async function oldestUnpushedChange(db: Kysely<Schema>, loanId: string): Promise<Date | null> {
  const { rows } = await sql<{ at: Date | string | null }>`
    SELECT min(o.created_at) AS at FROM hector_outbox o
     WHERE o.loan_id = ${loanId}::uuid AND o.origin = 'hector'
       AND o.created_at > coalesce(
         (SELECT s.pushed_at FROM sync_outbound_loan s WHERE s.loan_id = ${loanId}), '-infinity'::timestamptz)`.execute(
    db,
  );
  const at = rows[0]?.at;
  return at ? new Date(at) : null;
}
