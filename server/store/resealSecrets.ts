import type { Kysely } from 'kysely';
import type { SecretBox } from './secretBox';
import { SecretBox as Box } from './secretBox';
import type { Schema } from './schema';

/**
 * Issue 16: a client secret sealed in the old format (v1, no AAD) is opened once and sealed again
 * as v2 (the column bound as AAD), in place; nothing saved is lost. A value that does not open
 * with this key is left as it is (the admin is told by the integration's own checks).
 * Returns how many values were rewritten.
 */
export async function resealLegacySecrets(db: Kysely<Schema>, box: SecretBox): Promise<number> {
  const rows = await db
    .selectFrom('integration_settings')
    .select(['id', 'client_secret_encrypted'])
    .where('client_secret_encrypted', 'like', 'v1:%')
    .execute();
  let rewritten = 0;
  for (const row of rows) {
    if (!Box.isLegacy(row.client_secret_encrypted)) continue;
    let plain: string;
    try {
      plain = box.open(row.client_secret_encrypted);
    } catch {
      continue;
    }
    const result = await db
      .updateTable('integration_settings')
      .set({ client_secret_encrypted: box.seal(plain) })
      .where('id', '=', row.id)
      // Another instance may have resealed (or an admin saved) meanwhile: only the value we read.
      .where('client_secret_encrypted', '=', row.client_secret_encrypted)
      .executeTakeFirst();
    rewritten += Number(result.numUpdatedRows);
  }
  return rewritten;
}
