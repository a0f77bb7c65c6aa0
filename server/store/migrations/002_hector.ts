import { sql, type Kysely } from 'kysely';

/**
 * Hector's loans core: stores, places, assets, users, loans with their items, and the outbox of
 * loan changes. Loan numbers come from a sequence starting at 1001. The default store follows
 * K1/K2's advice for rooms: work hours Monday to Friday, automatic check-out and close.
 */
const DEFAULT_SCHEDULE = JSON.stringify(
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ from: '07:00', to: '20:00' }]])),
);

const statements = [
  sql`CREATE TABLE hector_store (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    time_zone text NOT NULL DEFAULT 'Europe/Paris',
    schedule jsonb,
    booking_window_days integer CHECK (booking_window_days > 0),
    max_duration_minutes integer CHECK (max_duration_minutes > 0),
    auto_check_out boolean NOT NULL DEFAULT false,
    auto_close boolean NOT NULL DEFAULT false,
    is_default boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  sql`CREATE UNIQUE INDEX hector_store_one_default ON hector_store (is_default) WHERE is_default`,
  sql`INSERT INTO hector_store
      (name, time_zone, schedule, booking_window_days, max_duration_minutes, auto_check_out, auto_close, is_default)
    VALUES ('Magasin principal', 'Europe/Paris', ${DEFAULT_SCHEDULE}::jsonb, 365, NULL, true, true, true)`,
  sql`CREATE TABLE hector_place (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    email text,
    address text,
    building text,
    capacity integer CHECK (capacity >= 0),
    store_id uuid NOT NULL REFERENCES hector_store (id),
    active boolean NOT NULL DEFAULT true,
    synced boolean NOT NULL DEFAULT false,
    external_key text,
    schedule jsonb,
    max_duration_minutes integer CHECK (max_duration_minutes > 0),
    auto_check_out boolean,
    auto_close boolean,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  sql`CREATE UNIQUE INDEX hector_place_email ON hector_place (lower(email))`,
  sql`CREATE TABLE hector_asset (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    store_id uuid NOT NULL REFERENCES hector_store (id),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  sql`CREATE TABLE hector_user (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL,
    display_name text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    source text NOT NULL CHECK (source IN ('hector', 'outlook')),
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  sql`CREATE UNIQUE INDEX hector_user_email ON hector_user (lower(email))`,
  sql`CREATE SEQUENCE hector_loan_number START WITH 1001`,
  sql`CREATE TABLE hector_loan (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    number integer NOT NULL UNIQUE DEFAULT nextval('hector_loan_number'),
    requester_id uuid NOT NULL REFERENCES hector_user (id),
    store_id uuid NOT NULL REFERENCES hector_store (id),
    start_at timestamptz NOT NULL,
    end_at timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('pending_approval', 'new', 'assigned', 'suspended', 'partially_out',
      'out', 'overdue', 'to_be_inspected', 'returned', 'damaged', 'completed', 'cancelled', 'refused')),
    origin text NOT NULL CHECK (origin IN ('hector', 'outlook')),
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 1,
    CHECK (end_at > start_at)
  )`,
  sql`CREATE INDEX hector_loan_period ON hector_loan (start_at, end_at)`,
  sql`CREATE INDEX hector_loan_status ON hector_loan (status, start_at)`,
  sql`CREATE TABLE hector_loan_item (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    loan_id uuid NOT NULL REFERENCES hector_loan (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('place', 'asset')),
    place_id uuid REFERENCES hector_place (id),
    asset_id uuid REFERENCES hector_asset (id),
    status text NOT NULL CHECK (status IN ('active', 'cancelled')),
    position integer NOT NULL,
    CHECK ((kind = 'place' AND place_id IS NOT NULL AND asset_id IS NULL)
        OR (kind = 'asset' AND asset_id IS NOT NULL AND place_id IS NULL)),
    UNIQUE (loan_id, place_id),
    UNIQUE (loan_id, asset_id)
  )`,
  sql`CREATE INDEX hector_loan_item_place ON hector_loan_item (place_id) WHERE status = 'active'`,
  sql`CREATE INDEX hector_loan_item_asset ON hector_loan_item (asset_id) WHERE status = 'active'`,
  sql`CREATE TABLE hector_outbox (
    id bigserial PRIMARY KEY,
    loan_id uuid NOT NULL REFERENCES hector_loan (id),
    origin text NOT NULL CHECK (origin IN ('hector', 'outlook')),
    change jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    dispatched_at timestamptz
  )`,
  sql`CREATE INDEX hector_outbox_pending ON hector_outbox (id) WHERE dispatched_at IS NULL`,
];

// Migrations take Kysely<unknown>: they describe the schema of their time, not today's types.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'hector_outbox',
    'hector_loan_item',
    'hector_loan',
    'hector_user',
    'hector_asset',
    'hector_place',
  ]) {
    await sql`DROP TABLE ${sql.table(table)}`.execute(db);
  }
  await sql`DROP SEQUENCE hector_loan_number`.execute(db);
  await sql`DROP TABLE hector_store`.execute(db);
}
