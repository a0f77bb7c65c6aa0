import { sql, type Kysely } from 'kysely';

/**
 * GRAPH-FACTS "Real tenants". `graph_mailbox_ids`: the object id of each mailbox the service calls,
 * resolved once from its e-mail address (Graph keys mailboxes by id or UPN, and a mail is not
 * always the UPN). `room_removal_reviews`: an import that would deactivate most rooms at once
 * (Places can lag Exchange by two days) waits for an admin's confirmation instead.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('graph_mailbox_ids')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('graph_mailbox_ids_pk', ['tenant_id', 'address'])
    .execute();
  await db.schema
    .createTable('room_removal_reviews')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('detected_at', 'timestamptz', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('seen', 'integer', (c) => c.notNull())
    .addColumn('active_before', 'integer', (c) => c.notNull())
    .addColumn('emails', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('room_removal_reviews').ifExists().execute();
  await db.schema.dropTable('graph_mailbox_ids').ifExists().execute();
}
