import type { Timestamp } from './columns';

/** Table of migration 006_reconcile. */
export interface SyncReconcileRoomTable {
  room_email: string;
  delta_link: string | null;
  window_start: Timestamp | null;
  window_end: Timestamp | null;
  full_pass_at: Timestamp | null;
  last_pass_at: Timestamp;
  last_changes: number;
}

export interface ReconcileTables {
  sync_reconcile_room: SyncReconcileRoomTable;
}
