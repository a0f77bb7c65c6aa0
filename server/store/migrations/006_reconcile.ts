import { type Kysely } from 'kysely';

/**
 * Reconcile's own state (flow 7), one row per room: the calendarView delta link of its last
 * pass, the window that link was opened on, and when the last full pass ran (a delta link keeps
 * its first window, so a periodic full pass moves the window forward with time).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_reconcile_room')
    .addColumn('room_email', 'text', (c) => c.primaryKey())
    .addColumn('delta_link', 'text')
    .addColumn('window_start', 'timestamptz')
    .addColumn('window_end', 'timestamptz')
    .addColumn('full_pass_at', 'timestamptz')
    .addColumn('last_pass_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_changes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sync_reconcile_room').ifExists().execute();
}
