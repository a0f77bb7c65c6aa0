import type { Kysely, Selectable } from 'kysely';
import type { IntegrationSettingsTable } from './tables/integration';
import type { Schema } from './schema';

/**
 * The integration's settings (S1), one row: the only code that reads or writes
 * `integration_settings`. The client secret stays sealed here (SecretBox); JSON columns are
 * (de)serialised here, so callers see plain values.
 */
export interface SavedSettings {
  primaryDomain: string;
  tenantId: string;
  /** The tenant's OpenID configuration, as resolved when the settings were saved. */
  authorityMetadata: Record<string, unknown>;
  clientId: string;
  /** The client secret as SecretBox sealed it: opened only to get a token. */
  clientSecretSealed: string;
  defaultStoreId: string | number | null;
  defaultUserEmail: string | null;
  ignoredTags: string;
  enabled: boolean;
  /** The last connection test's report, as it was saved. */
  connection: unknown;
  updatedAt: Date;
  /** The client secret's expiry as the admin entered it; null: not known. */
  secretExpiresAt: Date | null;
}

/** What the sync rules need of the settings, read on every inbound and outbound job. */
export interface SyncSettings {
  primaryDomain: string;
  defaultUserEmail: string | null;
  defaultStoreId: string | null;
  enabled: boolean;
}

export interface SettingsStore {
  /** The saved settings; null when none are saved yet. */
  read(): Promise<SavedSettings | null>;
  /** Saves (inserts or replaces) the one row. */
  save(settings: SavedSettings): Promise<void>;
}

type Row = Selectable<IntegrationSettingsTable>;

const toSaved = (row: Row): SavedSettings => ({
  primaryDomain: row.primary_domain,
  tenantId: row.tenant_id,
  authorityMetadata: row.authority_metadata,
  clientId: row.client_id,
  clientSecretSealed: row.client_secret_encrypted,
  defaultStoreId: (row.default_store_id as string | number | null) ?? null,
  defaultUserEmail: row.default_user_email,
  ignoredTags: row.ignored_tags,
  enabled: row.enabled,
  connection: row.connection ?? null,
  updatedAt: new Date(row.updated_at),
  secretExpiresAt: row.secret_expires_at ? new Date(row.secret_expires_at) : null,
});

export function createSettingsStore(db: Kysely<Schema>): SettingsStore {
  return {
    async read() {
      const row = await db
        .selectFrom('integration_settings')
        .selectAll()
        .where('id', '=', 1)
        .executeTakeFirst();
      return row ? toSaved(row) : null;
    },

    async save(settings) {
      const values = {
        primary_domain: settings.primaryDomain,
        tenant_id: settings.tenantId,
        authority_metadata: JSON.stringify(settings.authorityMetadata),
        client_id: settings.clientId,
        client_secret_encrypted: settings.clientSecretSealed,
        default_store_id: settings.defaultStoreId === null ? null : JSON.stringify(settings.defaultStoreId),
        default_user_email: settings.defaultUserEmail,
        ignored_tags: settings.ignoredTags,
        enabled: settings.enabled,
        connection: JSON.stringify(settings.connection),
        updated_at: settings.updatedAt,
        secret_expires_at: settings.secretExpiresAt,
      };
      await db
        .insertInto('integration_settings')
        .values({ id: 1, ...values })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
    },
  };
}

/** The settings the sync rules need (null when none are saved): four columns, no secret. */
export async function readSyncSettings(db: Kysely<Schema>): Promise<SyncSettings | null> {
  const row = await db
    .selectFrom('integration_settings')
    .select(['primary_domain', 'default_user_email', 'default_store_id', 'enabled'])
    .where('id', '=', 1)
    .executeTakeFirst();
  if (!row) return null;
  const store = row.default_store_id as string | number | null;
  return {
    primaryDomain: row.primary_domain,
    defaultUserEmail: row.default_user_email,
    defaultStoreId: store === null || store === undefined ? null : String(store),
    enabled: row.enabled,
  };
}

/** Whether settings are saved and the integration is switched on. */
export async function isIntegrationEnabled(db: Kysely<Schema>): Promise<boolean> {
  const row = await db
    .selectFrom('integration_settings')
    .select('enabled')
    .where('id', '=', 1)
    .executeTakeFirst();
  return Boolean(row?.enabled);
}
