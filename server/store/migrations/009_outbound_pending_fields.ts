import type { Kysely } from 'kysely';

// The event fields Hector changed and no job has pushed yet, each with when it was handed to the
// queue: outbound writes only those, so an organizer's concurrent edit of another field survives.
// Null (rows from before this migration) means "not known": the next job compares every field.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_outbound_loan').addColumn('pending_fields', 'jsonb').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_outbound_loan').dropColumn('pending_fields').execute();
}
