import type { ColumnType } from 'kysely';
import type { DirectoryTables } from './tables/directory';
import type { HectorTables } from './tables/hector';
import type { IntegrationTables } from './tables/integration';
import type { OperationsTables } from './tables/operations';
import type { OutboundTables } from './tables/outbound';
import type { ReconcileTables } from './tables/reconcile';
import type { SyncTables } from './tables/sync';

/**
 * The database schema as Kysely sees it. Each area's tables are declared in store/tables/ (leaf files)
 * and merged here, so one Kysely<Schema> serves the whole service.
 */
export interface AppStateTable {
  key: string;
  value: unknown;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CoreTables {
  app_state: AppStateTable;
}

export type { Id, Timestamp } from './tables/columns';

export interface Schema
  extends
    CoreTables,
    HectorTables,
    IntegrationTables,
    SyncTables,
    OutboundTables,
    ReconcileTables,
    DirectoryTables,
    OperationsTables {}
