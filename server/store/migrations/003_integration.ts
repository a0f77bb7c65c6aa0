import { sql, type Kysely } from 'kysely';

/**
 * The Outlook integration: its settings (one row), the rooms it synchronises, one Graph
 * subscription per active room, the gaps in notification coverage (read by reconcile) and the
 * sync journal (every decision, shown to admins and in the add-in).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('integration_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('primary_domain', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('authority_metadata', 'jsonb', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_encrypted', 'text', (c) => c.notNull())
    .addColumn('default_store_id', 'jsonb')
    .addColumn('default_user_email', 'text')
    .addColumn('ignored_tags', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('connection', 'jsonb')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('integration_rooms')
    .addColumn('email', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('active', 'boolean', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('graph_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('room_email', 'text', (c) => c.notNull())
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('client_state_hash', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('confirmed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('graph_subscriptions_room')
    .on('graph_subscriptions')
    .column('room_email')
    .execute();

  await db.schema
    .createTable('sync_gaps')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('room_email', 'text', (c) => c.notNull())
    .addColumn('from_at', 'timestamptz', (c) => c.notNull())
    .addColumn('to_at', 'timestamptz', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('sync_gaps_open')
    .on('sync_gaps')
    .columns(['resolved_at', 'room_email'])
    .execute();

  await db.schema
    .createTable('sync_journal')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('ical_uid', 'text')
    .addColumn('event_id', 'text')
    .addColumn('room_email', 'text')
    .addColumn('loan_id', 'text')
    .addColumn('details', 'jsonb')
    .execute();
  await db.schema.createIndex('sync_journal_event').on('sync_journal').column('event_id').execute();
  await db.schema.createIndex('sync_journal_loan').on('sync_journal').column('loan_id').execute();
  await db.schema.createIndex('sync_journal_ical').on('sync_journal').column('ical_uid').execute();
  await db.schema.createIndex('sync_journal_at').on('sync_journal').column('at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'sync_journal',
    'sync_gaps',
    'graph_subscriptions',
    'integration_rooms',
    'integration_settings',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
