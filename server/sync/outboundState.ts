import { sql, type Kysely } from 'kysely';
import type { Schema, Timestamp } from '../store/schema';

/** Table of migration 005_outbound. */
export interface SyncOutboundLoanTable {
  loan_id: string;
  generation: number;
  organizer_email: string | null;
  event_id: string | null;
  ical_uid: string | null;
  pending_since: Timestamp | null;
  /** Migration 008: when a job last finished pushing the loan. */
  pushed_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface OutboundTables {
  sync_outbound_loan: SyncOutboundLoanTable;
}

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
  /** The dispatcher handed these loans' changes to the queue. */
  markPending(loanIds: string[], at: Date): Promise<void>;
  /** A job that started at `startedAt` pushed everything up to then, and finished at `pushedAt`. */
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

    async markPending(loanIds, at) {
      const ids = [...new Set(loanIds)];
      if (ids.length === 0) return;
      await db
        .insertInto('sync_outbound_loan')
        .values(ids.map((id) => ({ loan_id: id, generation: 0, pending_since: at, updated_at: at })))
        .onConflict((oc) =>
          oc.column('loan_id').doUpdateSet({
            // The latest hand-over: a job that started before it has not pushed it.
            pending_since: sql`excluded.pending_since`,
            updated_at: at,
          }),
        )
        .execute();
    },

    async clearPending(loanId, startedAt, pushedAt) {
      await db
        .updateTable('sync_outbound_loan')
        .set({ pushed_at: pushedAt })
        .where('loan_id', '=', loanId)
        .execute();
      await db
        .updateTable('sync_outbound_loan')
        .set({ pending_since: null })
        .where('loan_id', '=', loanId)
        .where('pending_since', '<=', startedAt)
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
