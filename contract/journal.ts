/**
 * The sync journal API contract (B4, admin token): every decision of the sync with its reason,
 * plus subscription and room events, newest first.
 *
 * - `GET /api/admin/journal?` JournalFilter → JournalPage (an `eventId` finds the whole meeting's
 *   entries, whichever copy of the event it names). Messages are rendered in `lang` (fr|en), else
 *   in the Accept-Language's, else in English. The next page: the same query with `cursor` =
 *   the answer's `nextCursor` (null on the last page).
 * - `GET /api/admin/integration/journal?` JournalFilter → IntegrationJournalPage (the same entries)
 */

/**
 * Every kind of entry, in the order the admin page offers them. `series`: one pass over a room's
 * series (B3), what its occurrences' decisions added up to; `rooms_import_suspicious`: an import
 * that would have deactivated most rooms held back, waiting for the admin (R1).
 */
export const JOURNAL_KINDS = [
  'created',
  'updated',
  'cancelled',
  'ignored',
  'in_sync',
  'error',
  'gap',
  'subscription',
  'rooms',
  'rooms_import_suspicious',
  'series',
] as const;

export type JournalKind = (typeof JOURNAL_KINDS)[number];

export interface JournalEntry {
  id: string;
  at: string;
  kind: JournalKind;
  /**
   * Written for a person (the add-in shows it as the reason an event has no loan): rendered from
   * `code` and `params` in the language asked for, or the text as written when there is no code.
   */
  message: string;
  /** The message's code (e.g. `reconcile.summary`); null for entries written before codes. */
  code: string | null;
  /** The code's parameters (names, numbers, ISO instants). */
  params: JournalParams | null;
  iCalUId: string | null;
  eventId: string | null;
  roomEmail: string | null;
  loanId: string | null;
  details: Record<string, unknown> | null;
}

export type JournalParams = Record<string, string | number | boolean | null>;

export type JournalLanguage = 'fr' | 'en';

/** The query; every part narrows the entries. */
export interface JournalFilter {
  eventId?: string;
  loanId?: string;
  /** The loan number people quote (#1042), for entries about that loan. */
  loanNumber?: number;
  iCalUId?: string;
  roomEmail?: string;
  /** One kind, or several comma-separated in the URL. */
  kind?: JournalKind | JournalKind[];
  /** Entries at or after this ISO instant (`since` is the older name of `from`). */
  since?: string;
  from?: string;
  /** Entries before this ISO instant. */
  to?: string;
  /** Free text, found in the message, the meeting's and room's ids, case-insensitive. */
  q?: string;
  /** Default 100, at most 1000. */
  limit?: number;
  /** The previous page's `nextCursor`. */
  cursor?: string;
  lang?: JournalLanguage;
}

export interface JournalPage {
  items: JournalEntry[];
  /** Pass as `cursor` for the next (older) entries; null when there are none. */
  nextCursor: string | null;
}

export interface IntegrationJournalPage {
  entries: JournalEntry[];
}
