import { Migrator, type MigrationResultSet } from 'kysely';
import type { Database } from './database';
import { migrations } from './migrations';

/**
 * Applies pending migrations. Kysely's Migrator takes a PostgreSQL advisory lock for the
 * duration, so two instances starting at once on one database migrate once, one after the other.
 */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.db,
    provider: { getMigrations: async () => migrations },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied. */
export async function isMigrated(database: Database): Promise<boolean> {
  const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
