import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './columns';

/** A mailbox's object id, resolved once from its address (migration 010). */
export interface GraphMailboxIdsTable {
  tenant_id: string;
  /** Lower-case e-mail address. */
  address: string;
  object_id: string;
  resolved_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type RoomRemovalStatus = 'pending' | 'confirmed' | 'dismissed' | 'superseded';

/** An import that would have deactivated too many rooms, waiting for the admin (migration 010). */
export interface RoomRemovalReviewsTable {
  id: Generated<number>;
  detected_at: Timestamp;
  source: string;
  /** Rooms the import saw (after ignored tags). */
  seen: number;
  /** Active synced rooms before it. */
  active_before: number;
  /** The rooms it would deactivate, lower-case e-mails. */
  emails: ColumnType<string[], string, string>;
  status: RoomRemovalStatus;
  decided_at: Timestamp | null;
}

export interface DirectoryTables {
  graph_mailbox_ids: GraphMailboxIdsTable;
  room_removal_reviews: RoomRemovalReviewsTable;
}
