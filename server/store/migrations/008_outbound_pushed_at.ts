import type { Kysely } from 'kysely';

// When outbound sync last finished pushing a loan to Outlook: a room copy read before then may
// predate our own write, so inbound reads it again rather than move the loan back.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_outbound_loan').addColumn('pushed_at', 'timestamptz').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_outbound_loan').dropColumn('pushed_at').execute();
}
