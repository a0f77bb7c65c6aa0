import { sql, type Kysely } from 'kysely';

/**
 * Issue 17 (B7, B9): assets get an optional category; stores say when people check in (minutes
 * before and after the start, a place may override them) and whether rooms nobody checked in are
 * released after N minutes (null: off, the default); a loan remembers when it was checked in.
 */
const statements = [
  sql`ALTER TABLE hector_asset ADD COLUMN category text`,
  sql`ALTER TABLE hector_store ADD COLUMN auto_release_minutes integer CHECK (auto_release_minutes > 0)`,
  sql`ALTER TABLE hector_store ADD COLUMN check_in_before_minutes integer NOT NULL DEFAULT 10 CHECK (check_in_before_minutes >= 0)`,
  sql`ALTER TABLE hector_store ADD COLUMN check_in_after_minutes integer NOT NULL DEFAULT 10 CHECK (check_in_after_minutes >= 0)`,
  sql`ALTER TABLE hector_place ADD COLUMN check_in_before_minutes integer CHECK (check_in_before_minutes >= 0)`,
  sql`ALTER TABLE hector_place ADD COLUMN check_in_after_minutes integer CHECK (check_in_after_minutes >= 0)`,
  sql`ALTER TABLE hector_loan ADD COLUMN checked_in_at timestamptz`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE hector_loan DROP COLUMN checked_in_at`.execute(db);
  await sql`ALTER TABLE hector_place DROP COLUMN check_in_after_minutes, DROP COLUMN check_in_before_minutes`.execute(
    db,
  );
  await sql`ALTER TABLE hector_store DROP COLUMN check_in_after_minutes, DROP COLUMN check_in_before_minutes, DROP COLUMN auto_release_minutes`.execute(
    db,
  );
  await sql`ALTER TABLE hector_asset DROP COLUMN category`.execute(db);
}
