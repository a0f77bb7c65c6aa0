import { type Kysely } from 'kysely';

/**
 * Outbound sync's own state (flow 5), one row per loan that has Hector-side work: the event we
 * made (mailbox, id, iCalUId), the generation of its transactionId (bumped when the event moves to
 * another mailbox), and `pending_since` — set when a change is handed to the queue, cleared when a
 * job has pushed it — so a sweep can re-enqueue work lost with a killed process.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_outbound_loan')
    .addColumn('loan_id', 'text', (c) => c.primaryKey())
    .addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('organizer_email', 'text')
    .addColumn('event_id', 'text')
    .addColumn('ical_uid', 'text')
    .addColumn('pending_since', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sync_outbound_loan_pending')
    .on('sync_outbound_loan')
    .column('pending_since')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sync_outbound_loan').ifExists().execute();
}
