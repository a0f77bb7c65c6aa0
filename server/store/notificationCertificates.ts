import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Schema } from './schema';
import type { SecretBox } from './secretBox';

/** One of our rich-notification certificates, as subscriptions and the decryption need it. */
export interface NotificationCertificate {
  id: string;
  /** base64 DER: the `encryptionCertificate` of a subscription. */
  certificate: string;
  thumbprint: string;
  notAfter: Date;
}

/**
 * Our encryption key pairs (issue 18). The private key is sealed at rest like the client secret
 * (SecretBox, AES-256-GCM) and opened only to decrypt; it is never logged nor returned by an API.
 */
export interface NotificationCertificates {
  /** The newest certificate not superseded, or null. */
  newest(): Promise<NotificationCertificate | null>;
  add(input: NotificationCertificate & { privateKeyPem: string; createdAt: Date }): Promise<void>;
  /** Marks every other certificate superseded (it stays while subscriptions use it). */
  supersedeAllBut(id: string, at: Date): Promise<void>;
  /** The private key of a certificate we still hold, or null. */
  privateKey(id: string): Promise<KeyObject | null>;
  thumbprint(id: string): Promise<string | null>;
  /** Deletes superseded certificates no subscription names, superseded before `before`. */
  removeUnused(before: Date): Promise<string[]>;
}

export function createNotificationCertificates(
  db: Kysely<Schema>,
  secrets: SecretBox,
): NotificationCertificates {
  const keys = new Map<string, KeyObject>();
  return {
    async newest() {
      const row = await db
        .selectFrom('notification_certificates')
        .select(['id', 'certificate', 'thumbprint', 'not_after'])
        .where('superseded_at', 'is', null)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      return row
        ? {
            id: row.id,
            certificate: row.certificate,
            thumbprint: row.thumbprint,
            notAfter: new Date(row.not_after),
          }
        : null;
    },
    async add(input) {
      await db
        .insertInto('notification_certificates')
        .values({
          id: input.id,
          certificate: input.certificate,
          private_key: secrets.seal(input.privateKeyPem),
          thumbprint: input.thumbprint,
          not_after: input.notAfter,
          created_at: input.createdAt,
        })
        .execute();
    },
    async supersedeAllBut(id, at) {
      await db
        .updateTable('notification_certificates')
        .set({ superseded_at: at })
        .where('id', '!=', id)
        .where('superseded_at', 'is', null)
        .execute();
    },
    async privateKey(id) {
      const cached = keys.get(id);
      if (cached) return cached;
      const row = await db
        .selectFrom('notification_certificates')
        .select('private_key')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return null;
      const key = createPrivateKey(secrets.open(row.private_key));
      keys.set(id, key);
      return key;
    },
    async thumbprint(id) {
      const row = await db
        .selectFrom('notification_certificates')
        .select('thumbprint')
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.thumbprint ?? null;
    },
    async removeUnused(before) {
      const rows = await db
        .deleteFrom('notification_certificates')
        .where('superseded_at', 'is not', null)
        .where('superseded_at', '<', before)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('graph_subscriptions')
                .select('graph_subscriptions.id')
                .whereRef('graph_subscriptions.certificate_id', '=', 'notification_certificates.id'),
            ),
          ),
        )
        .returning('id')
        .execute();
      for (const r of rows) keys.delete(r.id);
      return rows.map((r) => r.id);
    },
  };
}
