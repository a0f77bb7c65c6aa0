import type { Config } from '../config';
import type { Database } from './database';
import { openPgliteDatabase, pgliteDir } from './pgliteDatabase';
import { openPostgresDatabase } from './postgresDatabase';

/** PostgreSQL when DATABASE_URL is set (several instances may share it), else PGlite in DATA_DIR. */
export function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbConnectTimeoutMs'>,
): Promise<Database> {
  if (config.databaseUrl) {
    return openPostgresDatabase(config.databaseUrl, { connectTimeoutMs: config.dbConnectTimeoutMs });
  }
  return openPgliteDatabase(pgliteDir(config.dataDir));
}
