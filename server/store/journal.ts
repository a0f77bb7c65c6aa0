import { sql, type Kysely } from 'kysely';
import type { JournalEntry, JournalKind, JournalParams } from '../../contract/journal';
import type { Schema } from './schema';

/**
 * The sync journal (B4): every decision of the sync — created, updated, cancelled, ignored with
 * its reason — plus subscription and room events, for admins and for the add-in's "why". Entries
 * read back are the journal API's own (contract/journal.ts), with `message` as written (English);
 * rendering a code in the admin's language is the reader's (server/sync/journalEntries.ts).
 */
export type { JournalEntry, JournalKind, JournalParams };

export interface JournalEntryInput {
  kind: JournalKind;
  /** The text as written (English): what readers of before and the free-text search read. */
  message: string;
  /** A code of server/sync/journalText with its parameters, rendered per language when read. */
  code?: string | null;
  params?: JournalParams | null;
  iCalUId?: string | null;
  eventId?: string | null;
  roomEmail?: string | null;
  loanId?: string | null;
  details?: Record<string, unknown> | null;
}

export interface JournalQuery {
  eventId?: string;
  loanId?: string;
  /** Entries about the loan with this number (by its id, or the number they recorded). */
  loanNumber?: number;
  iCalUId?: string;
  /** One meeting, whichever way an entry names it: this copy's id or the meeting's iCalUId. */
  meeting?: { eventId: string; iCalUId: string };
  roomEmail?: string;
  kind?: JournalKind | JournalKind[];
  /** Entries at or after this instant. */
  since?: Date;
  /** Entries before this instant. */
  until?: Date;
  /** Free text in the message, parameters, meeting ids or room, case-insensitive. */
  text?: string;
  /** Newest first; default 100, at most 1000. */
  limit?: number;
  /** Entries older than this position (a page's last entry). */
  after?: JournalPosition;
}

/** Where an entry sits in the newest-first order: entries share instants, never ids. */
export interface JournalPosition {
  at: Date;
  id: string;
}

export interface JournalPageRows {
  items: JournalEntry[];
  /** The last entry's position when older entries match too. */
  next: JournalPosition | null;
}

export interface Journal {
  record(entry: JournalEntryInput): Promise<void>;
  list(query?: JournalQuery): Promise<JournalEntry[]>;
  page(query?: JournalQuery): Promise<JournalPageRows>;
  /** Deletes the entries older than `before`; returns how many went. */
  prune(before: Date): Promise<number>;
}

const MAX_LIMIT = 1000;
/** One DELETE per batch: a long first pass on a big journal never holds one huge transaction. */
const PRUNE_BATCH = 5000;

/** `%`, `_` and `\` taken literally in an ILIKE pattern. */
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createJournal(db: Kysely<Schema>, now: () => Date): Journal {
  const select = (query: JournalQuery, limit: number) => {
    let q = db.selectFrom('sync_journal').selectAll();
    if (query.eventId) q = q.where('event_id', '=', query.eventId);
    if (query.loanId) q = q.where('loan_id', '=', query.loanId);
    if (query.iCalUId) q = q.where('ical_uid', '=', query.iCalUId);
    if (query.meeting) {
      const { eventId, iCalUId } = query.meeting;
      q = q.where((eb) => eb.or([eb('event_id', '=', eventId), eb('ical_uid', '=', iCalUId)]));
    }
    if (query.loanNumber !== undefined) {
      const n = query.loanNumber;
      // Entries name a loan by id; some (a loan left unchanged) only by the number they recorded.
      q = q.where((eb) =>
        eb.or([
          eb(
            'loan_id',
            'in',
            eb
              .selectFrom('hector_loan')
              .select(sql<string>`id::text`.as('id'))
              .where('number', '=', n),
          ),
          eb(sql`details->>'loanNumber'`, '=', String(n)),
        ]),
      );
    }
    if (query.roomEmail) q = q.where('room_email', '=', query.roomEmail.toLowerCase());
    const kinds = query.kind === undefined ? [] : Array.isArray(query.kind) ? query.kind : [query.kind];
    if (kinds.length > 0) q = q.where('kind', 'in', kinds);
    if (query.since) q = q.where('at', '>=', query.since);
    if (query.until) q = q.where('at', '<', query.until);
    if (query.text) {
      const pattern = likePattern(query.text);
      q = q.where((eb) =>
        eb.or([
          eb('message', 'ilike', pattern),
          eb(sql`coalesce(params::text, '')`, 'ilike', pattern),
          eb('ical_uid', 'ilike', pattern),
          eb('event_id', 'ilike', pattern),
          eb('room_email', 'ilike', pattern),
        ]),
      );
    }
    if (query.after) {
      const { at, id } = query.after;
      q = q.where(sql<boolean>`(at, id) < (${at}, ${id}::bigint)`);
    }
    return q.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit);
  };

  const toEntry = (r: {
    id: string;
    at: Date | string;
    kind: string;
    message: string;
    code: string | null;
    params: unknown;
    ical_uid: string | null;
    event_id: string | null;
    room_email: string | null;
    loan_id: string | null;
    details: unknown;
  }): JournalEntry => ({
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    kind: r.kind as JournalKind,
    message: r.message,
    code: r.code ?? null,
    params: (r.params as JournalParams | null) ?? null,
    iCalUId: r.ical_uid,
    eventId: r.event_id,
    roomEmail: r.room_email,
    loanId: r.loan_id,
    details: (r.details as Record<string, unknown> | null) ?? null,
  });

  const limitOf = (query: JournalQuery) => Math.min(Math.max(query.limit ?? 100, 1), MAX_LIMIT);

  return {
    async record(entry) {
      await db
        .insertInto('sync_journal')
        .values({
          at: now(),
          kind: entry.kind,
          message: entry.message,
          code: entry.code ?? null,
          params: entry.params ? JSON.stringify(entry.params) : null,
          ical_uid: entry.iCalUId ?? null,
          event_id: entry.eventId ?? null,
          room_email: entry.roomEmail ?? null,
          loan_id: entry.loanId ?? null,
          details: entry.details ? JSON.stringify(entry.details) : null,
        })
        .execute();
    },

    async list(query = {}) {
      return (await select(query, limitOf(query)).execute()).map(toEntry);
    },

    async page(query = {}) {
      const limit = limitOf(query);
      // One more than asked: whether an older entry exists, without a count.
      const rows = (await select(query, limit + 1).execute()).map(toEntry);
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items,
        next: rows.length > limit && last ? { at: new Date(last.at), id: last.id } : null,
      };
    },

    async prune(before) {
      let total = 0;
      for (;;) {
        const result = await db
          .deleteFrom('sync_journal')
          .where(
            'id',
            'in',
            db.selectFrom('sync_journal').select('id').where('at', '<', before).limit(PRUNE_BATCH),
          )
          .executeTakeFirst();
        const n = Number(result.numDeletedRows);
        total += n;
        if (n < PRUNE_BATCH) return total;
      }
    },
  };
}
