import type { Kysely } from 'kysely';
import type { JournalEntry, JournalKind } from '../../contract/journal';
import type { Schema } from './schema';

/**
 * The sync journal (B4): every decision of the sync — created, updated, cancelled, ignored with
 * its reason — plus subscription and room events, for admins and for the add-in's "why". Entries
 * read back are the journal API's own (contract/journal.ts).
 */
export type { JournalEntry, JournalKind };

export interface JournalEntryInput {
  kind: JournalKind;
  message: string;
  iCalUId?: string | null;
  eventId?: string | null;
  roomEmail?: string | null;
  loanId?: string | null;
  details?: Record<string, unknown> | null;
}

export interface JournalQuery {
  eventId?: string;
  loanId?: string;
  iCalUId?: string;
  roomEmail?: string;
  kind?: JournalKind;
  /** Entries at or after this instant. */
  since?: Date;
  /** Newest first; default 100, at most 1000. */
  limit?: number;
}

export interface Journal {
  record(entry: JournalEntryInput): Promise<void>;
  list(query?: JournalQuery): Promise<JournalEntry[]>;
}

export function createJournal(db: Kysely<Schema>, now: () => Date): Journal {
  return {
    async record(entry) {
      await db
        .insertInto('sync_journal')
        .values({
          at: now(),
          kind: entry.kind,
          message: entry.message,
          ical_uid: entry.iCalUId ?? null,
          event_id: entry.eventId ?? null,
          room_email: entry.roomEmail ?? null,
          loan_id: entry.loanId ?? null,
          details: entry.details ? JSON.stringify(entry.details) : null,
        })
        .execute();
    },

    async list(query = {}) {
      let q = db.selectFrom('sync_journal').selectAll();
      if (query.eventId) q = q.where('event_id', '=', query.eventId);
      if (query.loanId) q = q.where('loan_id', '=', query.loanId);
      if (query.iCalUId) q = q.where('ical_uid', '=', query.iCalUId);
      if (query.roomEmail) q = q.where('room_email', '=', query.roomEmail.toLowerCase());
      if (query.kind) q = q.where('kind', '=', query.kind);
      if (query.since) q = q.where('at', '>=', query.since);
      const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
      const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: String(r.id),
        at: new Date(r.at).toISOString(),
        kind: r.kind as JournalKind,
        message: r.message,
        iCalUId: r.ical_uid,
        eventId: r.event_id,
        roomEmail: r.room_email,
        loanId: r.loan_id,
        details: (r.details as Record<string, unknown> | null) ?? null,
      }));
    },
  };
}
