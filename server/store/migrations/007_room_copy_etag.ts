import type { Kysely } from 'kysely';

// The version (@odata.etag) of the room copy a job last applied: a notification carrying the same
// etag is a duplicate of a change already read, and needs no Graph GET.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_room_copy').addColumn('last_etag', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('sync_room_copy').dropColumn('last_etag').execute();
}
