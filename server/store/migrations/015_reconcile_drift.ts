import type { Kysely } from 'kysely';

/**
 * Issue 15: a re-sync run says why it ran (an admin's, or the backfill after a save) and keeps
 * its drift report (meetings without a loan, loans without a meeting, per room) once finished.
 * Numbered after 014 of main so that the names never collide when the branches meet.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sync_reconcile_runs')
    .addColumn('reason', 'text')
    .addColumn('drift', 'jsonb')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_reconcile_runs').dropColumn('drift').dropColumn('reason').execute();
}
