import type { Kysely } from 'kysely';

/**
 * Issue 18: rich notifications. `notification_certificates` holds our encryption key pairs (the
 * private key sealed like the client secret) and their self-signed certificates; a subscription
 * made with resource data names the certificate Graph encrypts its notifications with (null: a
 * plain subscription).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('certificate', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('thumbprint', 'text', (c) => c.notNull())
    .addColumn('not_after', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('superseded_at', 'timestamptz')
    .execute();
  await db.schema.alterTable('graph_subscriptions').addColumn('certificate_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('graph_subscriptions').dropColumn('certificate_id').execute();
  await db.schema.dropTable('notification_certificates').ifExists().execute();
}
