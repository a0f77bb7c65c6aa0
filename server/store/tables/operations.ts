import type { ColumnType, Generated } from 'kysely';
import type { RoomDrift } from '../../../contract/admin';
import type { Timestamp } from './columns';

type Json<T> = ColumnType<T, string | T, string | T>;

/** Tables of migration 012_operations. */
export interface SyncReconcileRunsTable {
  id: string;
  room_email: string | null;
  state: string;
  rooms_done: ColumnType<number, number | undefined, number>;
  rooms_total: ColumnType<number, number | undefined, number>;
  items_queued: ColumnType<number, number | undefined, number>;
  errors: Json<Array<{ roomEmail: string | null; message: string }>>;
  /** 'on demand' | 'activation' (migration 015); null for runs made before it. */
  reason: ColumnType<string | null, string | null | undefined, string | null>;
  /** The drift report once finished (migration 015). */
  drift: ColumnType<RoomDrift[] | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface SyncLagTable {
  id: Generated<string>;
  direction: 'inbound' | 'outbound';
  written_at: Timestamp;
  lag_ms: number;
}

export interface SyncRoomActivityTable {
  room_email: string;
  last_notification_at: Timestamp;
}

export interface OperationsTables {
  sync_reconcile_runs: SyncReconcileRunsTable;
  sync_lag: SyncLagTable;
  sync_room_activity: SyncRoomActivityTable;
}
