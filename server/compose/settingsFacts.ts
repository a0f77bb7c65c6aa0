import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema';
import type { IntegrationSettingsFacts } from '../sync/rules';

/** The integration's settings the rules need (read-only; the integration area owns the table). */
export async function readSyncSettings(
  db: Kysely<Schema>,
): Promise<(IntegrationSettingsFacts & { enabled: boolean }) | null> {
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
