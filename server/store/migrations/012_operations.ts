import { sql, type Kysely } from 'kysely';

/**
 * Operations (issue 15): the re-sync runs an admin asks for and their progress, one row per change
 * synced in either direction with its lag (kept an hour, for the status page's percentiles), when
 * each room's notifications last arrived, and the client secret's expiry the admin enters.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_reconcile_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('room_email', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('rooms_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rooms_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('items_queued', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('sync_lag')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('written_at', 'timestamptz', (c) => c.notNull())
    .addColumn('lag_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sync_lag_at').on('sync_lag').columns(['direction', 'written_at']).execute();

  await db.schema
    .createTable('sync_room_activity')
    .addColumn('room_email', 'text', (c) => c.primaryKey())
    .addColumn('last_notification_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Outbound lag reads a loan's Hector changes since its last push (store/lagSamples.ts).
  await db.schema
    .createIndex('hector_outbox_loan')
    .on('hector_outbox')
    .columns(['loan_id', 'created_at'])
    .execute();

  await db.schema.alterTable('integration_settings').addColumn('secret_expires_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('hector_outbox_loan').ifExists().execute();
  await db.schema.alterTable('integration_settings').dropColumn('secret_expires_at').execute();
  for (const table of ['sync_room_activity', 'sync_lag', 'sync_reconcile_runs']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
