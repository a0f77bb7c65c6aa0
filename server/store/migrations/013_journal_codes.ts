import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/**
 * The journal in the admin's language (issue 15): an entry may carry a message code and its
 * parameters, rendered in French or English when read; `message` keeps the English text for the
 * entries and readers of before. The (at, id) index serves the newest-first cursor paging and the
 * retention pass.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_journal').addColumn('code', 'text').execute();
  await db.schema.alterTable('sync_journal').addColumn('params', 'jsonb').execute();
  await db.schema
    .createIndex('sync_journal_at_id')
    .on('sync_journal')
    .expression(sql`at desc, id desc`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sync_journal_at_id').execute();
  await db.schema.alterTable('sync_journal').dropColumn('params').execute();
  await db.schema.alterTable('sync_journal').dropColumn('code').execute();
}
