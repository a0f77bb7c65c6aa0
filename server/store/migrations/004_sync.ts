import { sql, type Kysely } from 'kysely';

/**
 * The sync's links (flow 4): one row per meeting (iCalUId → loan), and one row per copy of it
 * that we have read (a room's copy, or the organizer's event made by outbound sync), so a
 * notification for any copy finds the loan. A copy row also remembers when it was last read, so
 * late duplicates of a notification need no second Graph GET and stale reads never win.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_meeting_link')
    .addColumn('ical_uid', 'text', (c) => c.primaryKey())
    .addColumn('loan_id', 'text')
    .addColumn('organizer_event_id', 'text')
    .addColumn('organizer_email', 'text')
    // lastModifiedDateTime of the newest copy whose dates and organizer the loan follows.
    .addColumn('meeting_modified_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('sync_meeting_link_loan').on('sync_meeting_link').column('loan_id').execute();
  await db.schema
    .createIndex('sync_meeting_link_organizer_event')
    .on('sync_meeting_link')
    .column('organizer_event_id')
    .execute();

  await db.schema
    .createTable('sync_room_copy')
    .addColumn('room_email', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('ical_uid', 'text')
    // 'live': the room holds the meeting; 'gone': its copy was deleted or cancelled.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('last_read_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('sync_room_copy_pk', ['room_email', 'event_id'])
    .execute();
  await db.schema.createIndex('sync_room_copy_ical').on('sync_room_copy').column('ical_uid').execute();
  await db.schema.createIndex('sync_room_copy_event').on('sync_room_copy').column('event_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sync_room_copy').ifExists().execute();
  await db.schema.dropTable('sync_meeting_link').ifExists().execute();
}
