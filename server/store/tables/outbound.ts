import type { ColumnType } from 'kysely';
import type { Timestamp } from './columns';

/**
 * The parts of an event a Hector change can touch. Outbound writes only the parts Hector changed
 * since the last push, so an organizer's concurrent edit of another part survives (inbound then
 * brings it into the loan). The organizer is never patched: a new organizer moves the event.
 */
export const EVENT_FIELDS = ['subject', 'body', 'dates', 'rooms', 'organizer'] as const;
export type EventField = (typeof EVENT_FIELDS)[number];

/** The fields to compare, or null when not known (a change of unknown shape): compare them all. */
export type PendingFields = ReadonlySet<EventField> | null;

/** Each event field Hector changed and not pushed yet → when its change was handed to the queue (ISO). */
export type FieldStamps = Partial<Record<EventField, string>>;

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
  /**
   * Migration 009: the event fields Hector changed and no job has pushed yet; null when not known
   * (a row from before 009, a change of unknown shape): the next job compares every field.
   */
  pending_fields: ColumnType<FieldStamps | null, string | null | undefined, string | null>;
  updated_at: Timestamp;
}

export interface OutboundTables {
  sync_outbound_loan: SyncOutboundLoanTable;
}
