import type { ColumnType } from 'kysely';
import type { Timestamp } from './columns';

/** Tables of the inbound sync's links (migration 004_sync). */
export interface SyncMeetingLinkTable {
  ical_uid: string;
  loan_id: string | null;
  organizer_event_id: string | null;
  organizer_email: string | null;
  meeting_modified_at: Timestamp | null;
  /** The series' iCalUId (its master's) when this meeting is one occurrence of it (014_series). */
  series_ical_uid: string | null;
  /** The occurrence's original start (its slot in the pattern). */
  occurrence_start: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SyncRoomCopyTable {
  room_email: string;
  event_id: string;
  ical_uid: string | null;
  state: string;
  last_read_at: Timestamp | null;
  /** @odata.etag of the copy the last applied read saw. */
  last_etag: string | null;
  /** 'single' | 'series' (a series master) | 'occurrence' (014_series). */
  kind: ColumnType<string, string | undefined, string>;
  /** An occurrence's master copy in the same room. */
  series_master_id: string | null;
  updated_at: Timestamp;
}

export interface SyncTables {
  sync_meeting_link: SyncMeetingLinkTable;
  sync_room_copy: SyncRoomCopyTable;
}
