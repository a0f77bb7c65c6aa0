import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema';
import { EVENT_FIELDS, type EventField, type PendingFields } from './tables/outbound';

/** The event outbound sync made for a Hector-made loan, and the transactionId generation. */
export interface OutboundEvent {
  loanId: string;
  generation: number;
  organizerEmail: string | null;
  eventId: string | null;
  iCalUId: string | null;
}

export interface OutboundState {
  get(loanId: string): Promise<OutboundEvent | null>;
  /** Remembers the event (after a create) or forgets it (null ids, after a delete). */
  saveEvent(
    loanId: string,
    event: { organizerEmail: string | null; eventId: string | null; iCalUId: string | null },
  ): Promise<void>;
  /** A new transactionId generation: the next create is a new event, not a replay of the last. */
  nextGeneration(loanId: string): Promise<number>;
  /**
   * The dispatcher handed these loans' changes to the queue, each with the event fields they
   * touch (null: not known), added to the fields already pending.
   */
  markPending(loans: Map<string, readonly EventField[] | null>, at: Date): Promise<void>;
  /** The event fields Hector changed since the last push; null: not known, compare them all. */
  pendingFields(loanId: string): Promise<PendingFields>;
  /**
   * A job that started at `startedAt` pushed everything up to then (the fields pending then among
   * them), and finished at `pushedAt`. What was handed over after `startedAt` stays pending.
   */
  clearPending(loanId: string, startedAt: Date, pushedAt: Date): Promise<void>;
  /**
   * Whether Outlook may not show the loan's Hector-side changes to a room copy read at `readAt`:
   * a change not dispatched yet, dispatched and not pushed, or pushed after that read.
   */
  unpushed(loanId: string, readAt: Date): Promise<boolean>;
  /** Loans handed to the queue before `before` and not pushed yet (for the sweep). */
  pendingBefore(before: Date, limit: number): Promise<string[]>;
}

export function createOutboundState(db: Kysely<Schema>, now: () => Date): OutboundState {
  const ensure = async (loanId: string): Promise<void> => {
    await db
      .insertInto('sync_outbound_loan')
      .values({ loan_id: loanId, generation: 0, updated_at: now() })
      .onConflict((oc) => oc.column('loan_id').doNothing())
      .execute();
  };
  return {
    async get(loanId) {
      const row = await db
        .selectFrom('sync_outbound_loan')
        .selectAll()
        .where('loan_id', '=', loanId)
        .executeTakeFirst();
      if (!row) return null;
      return {
        loanId: row.loan_id,
        generation: row.generation,
        organizerEmail: row.organizer_email,
        eventId: row.event_id,
        iCalUId: row.ical_uid,
      };
    },

    async saveEvent(loanId, event) {
      await ensure(loanId);
      await db
        .updateTable('sync_outbound_loan')
        .set({
          organizer_email: event.organizerEmail?.toLowerCase() ?? null,
          event_id: event.eventId,
          ical_uid: event.iCalUId,
          updated_at: now(),
        })
        .where('loan_id', '=', loanId)
        .execute();
    },

    async nextGeneration(loanId) {
      await ensure(loanId);
      const row = await db
        .updateTable('sync_outbound_loan')
        .set({ generation: sql<number>`generation + 1`, updated_at: now() })
        .where('loan_id', '=', loanId)
        .returning('generation')
        .executeTakeFirstOrThrow();
      return row.generation;
    },

    async markPending(loans, at) {
      if (loans.size === 0) return;
      const stamp = at.toISOString();
      await db
        .insertInto('sync_outbound_loan')
        .values(
          [...loans].map(([id, fields]) => ({
            loan_id: id,
            generation: 0,
            pending_since: at,
            pending_fields: fields ? JSON.stringify(Object.fromEntries(fields.map((f) => [f, stamp]))) : null,
            updated_at: at,
          })),
        )
        .onConflict((oc) =>
          oc.column('loan_id').doUpdateSet({
            // The latest hand-over: a job that started before it has not pushed it.
            pending_since: sql`excluded.pending_since`,
            // Added to what is pending; once one pending change is not known, none is.
            pending_fields: sql`CASE
              WHEN excluded.pending_fields IS NULL THEN NULL
              WHEN sync_outbound_loan.pending_fields IS NULL
                AND sync_outbound_loan.pending_since IS NOT NULL THEN NULL
              ELSE coalesce(sync_outbound_loan.pending_fields, '{}'::jsonb) || excluded.pending_fields
            END`,
            updated_at: at,
          }),
        )
        .execute();
    },

    async pendingFields(loanId) {
      const row = await db
        .selectFrom('sync_outbound_loan')
        .select('pending_fields')
        .where('loan_id', '=', loanId)
        .executeTakeFirst();
      const stamps = row?.pending_fields;
      if (!stamps || typeof stamps !== 'object') return null;
      return new Set(EVENT_FIELDS.filter((f) => Object.prototype.hasOwnProperty.call(stamps, f)));
    },

    async clearPending(loanId, startedAt, pushedAt) {
      // One statement, so a hand-over committed meanwhile is either before it (and kept, being
      // later than startedAt) or after it (and merged into what this leaves).
      await db
        .updateTable('sync_outbound_loan')
        .set({
          pushed_at: pushedAt,
          pending_fields: sql`CASE
            WHEN pending_fields IS NULL THEN
              CASE WHEN pending_since IS NULL OR pending_since <= ${startedAt}::timestamptz
                THEN '{}'::jsonb END
            ELSE (
              SELECT coalesce(jsonb_object_agg(f.key, f.value), '{}'::jsonb)
              FROM jsonb_each(pending_fields) AS f
              WHERE (f.value #>> '{}')::timestamptz > ${startedAt}::timestamptz
            )
          END`,
          pending_since: sql`CASE WHEN pending_since <= ${startedAt}::timestamptz THEN NULL ELSE pending_since END`,
        })
        .where('loan_id', '=', loanId)
        .execute();
    },

    async unpushed(loanId, readAt) {
      const undispatched = await db
        .selectFrom('hector_outbox')
        .select('id')
        .where('loan_id', '=', loanId)
        .where('dispatched_at', 'is', null)
        .where('origin', '=', 'hector')
        .limit(1)
        .executeTakeFirst();
      if (undispatched) return true;
      const row = await db
        .selectFrom('sync_outbound_loan')
        .select(['pending_since', 'pushed_at'])
        .where('loan_id', '=', loanId)
        .executeTakeFirst();
      if (!row) return false;
      if (row.pending_since !== null) return true;
      return row.pushed_at !== null && new Date(row.pushed_at).getTime() > readAt.getTime();
    },

    async pendingBefore(before, limit) {
      const rows = await db
        .selectFrom('sync_outbound_loan')
        .select('loan_id')
        .where('pending_since', 'is not', null)
        .where('pending_since', '<', before)
        .orderBy('pending_since')
        .limit(limit)
        .execute();
      return rows.map((r) => r.loan_id);
    },
  };
}
