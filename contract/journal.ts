/**
 * The sync journal API contract (B4, admin token): every decision of the sync with its reason,
 * plus subscription and room events, newest first.
 *
 * - `GET /api/admin/journal?` JournalFilter → JournalPage (an `eventId` finds the whole meeting's
 *   entries, whichever copy of the event it names)
 * - `GET /api/admin/integration/journal?` JournalFilter → IntegrationJournalPage (the same entries)
 */

export type JournalKind =
  | 'created'
  | 'updated'
  | 'cancelled'
  | 'ignored'
  | 'in_sync'
  | 'error'
  | 'gap'
  | 'subscription'
  | 'rooms'
  /** One pass over a room's series (B3): what its occurrences' decisions added up to. */
  | 'series'
  /** An import that would have deactivated most rooms held back, waiting for the admin (R1). */
  | 'rooms_import_suspicious';

export interface JournalEntry {
  id: string;
  at: string;
  kind: JournalKind;
  /** Written for a person (the add-in shows it as the reason an event has no loan). */
  message: string;
  iCalUId: string | null;
  eventId: string | null;
  roomEmail: string | null;
  loanId: string | null;
  details: Record<string, unknown> | null;
}

/** The query; every part narrows the entries. */
export interface JournalFilter {
  eventId?: string;
  loanId?: string;
  iCalUId?: string;
  roomEmail?: string;
  kind?: JournalKind;
  /** Entries at or after this ISO instant. */
  since?: string;
  /** Default 100, at most 1000. */
  limit?: number;
}

export interface JournalPage {
  items: JournalEntry[];
}

export interface IntegrationJournalPage {
  entries: JournalEntry[];
}
