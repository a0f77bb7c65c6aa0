import type { Kysely } from 'kysely';
import type { Schema } from './schema';

/** Resolved mailbox ids of one tenant (server/graph/mailboxIds.ts says why). */
export interface MailboxIds {
  find(address: string): Promise<string | null>;
  save(address: string, objectId: string): Promise<void>;
}

export function createMailboxIds(db: Kysely<Schema>, tenantId: string): MailboxIds {
  return {
    async find(address) {
      const row = await db
        .selectFrom('graph_mailbox_ids')
        .select('object_id')
        .where('tenant_id', '=', tenantId)
        .where('address', '=', address.toLowerCase())
        .executeTakeFirst();
      return row?.object_id ?? null;
    },
    async save(address, objectId) {
      const values = { tenant_id: tenantId, address: address.toLowerCase(), object_id: objectId };
      await db
        .insertInto('graph_mailbox_ids')
        .values(values)
        .onConflict((oc) => oc.columns(['tenant_id', 'address']).doUpdateSet({ object_id: objectId }))
        .execute();
    },
  };
}
