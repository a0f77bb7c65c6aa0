import { sql, type Kysely } from 'kysely';

/**
 * Recurring meetings (issue 14, B3). Each occurrence is a meeting of its own, keyed by its own
 * iCalUId (Exchange derives it from the series' GlobalObjectId and the occurrence's original
 * date, the same in every mailbox — GRAPH-FACTS "Recurring meetings"); its link remembers the
 * series it belongs to and its original start. A room copy is a single, a series master or an
 * occurrence (whose master copy in that room is `series_master_id`): occurrence changes are
 * notified on the master, so the master is what a job reads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('sync_meeting_link')
    .addColumn('series_ical_uid', 'text')
    .addColumn('occurrence_start', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('sync_meeting_link_series')
    .on('sync_meeting_link')
    .column('series_ical_uid')
    .where(sql.ref('series_ical_uid'), 'is not', null)
    .execute();
  await db.schema
    .alterTable('sync_room_copy')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('single'))
    .addColumn('series_master_id', 'text')
    .execute();
  await db.schema
    .createIndex('sync_room_copy_series')
    .on('sync_room_copy')
    .columns(['room_email', 'series_master_id'])
    .where(sql.ref('series_master_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sync_room_copy_series').execute();
  await db.schema.alterTable('sync_room_copy').dropColumn('series_master_id').dropColumn('kind').execute();
  await db.schema.dropIndex('sync_meeting_link_series').execute();
  await db.schema
    .alterTable('sync_meeting_link')
    .dropColumn('occurrence_start')
    .dropColumn('series_ical_uid')
    .execute();
}
