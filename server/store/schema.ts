import type { ColumnType, Generated } from 'kysely';
import type { HectorTables } from './tables/hector';
import type { IntegrationTables } from './tables/integration';
import type { OutboundTables } from './outboundState';
import type { ReconcileTables } from '../sync/reconcile';
import type { SyncTables } from './tables/sync';

/**
 * The database schema as Kysely sees it. Each area declares its own tables in its own file
 * and they are merged here, so one Kysely<Schema> serves the whole service.
 */
export interface AppStateTable {
  key: string;
  value: unknown;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CoreTables {
  app_state: AppStateTable;
}

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Id = Generated<number>;

export interface Schema
  extends CoreTables, HectorTables, IntegrationTables, SyncTables, OutboundTables, ReconcileTables {}
