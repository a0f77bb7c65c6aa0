import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema';

/** What the status page shows of a room, as the tables hold it. */
export interface RoomHealthRow {
  email: string;
  name: string;
  active: boolean;
  subscriptionId: string | null;
  expiresAt: Date | null;
  lastReconcileAt: Date | null;
  errors: number;
}

/**
 * Every imported room with its newest subscription, its last reconcile pass and the number of
 * `error` journal entries since `errorsSince` — one query, read-only.
 */
export async function readRoomHealth(db: Kysely<Schema>, errorsSince: Date): Promise<RoomHealthRow[]> {
  const rows = await db
    .selectFrom('integration_rooms as r')
    .leftJoin('sync_reconcile_room as p', 'p.room_email', 'r.email')
    .select([
      'r.email',
      'r.name',
      'r.active',
      'p.last_pass_at',
      sql<string | null>`(SELECT s.id FROM graph_subscriptions s WHERE s.room_email = r.email
        ORDER BY s.created_at DESC LIMIT 1)`.as('subscription_id'),
      sql<Date | string | null>`(SELECT s.expires_at FROM graph_subscriptions s WHERE s.room_email = r.email
        ORDER BY s.created_at DESC LIMIT 1)`.as('expires_at'),
      sql<string>`(SELECT count(*) FROM sync_journal j WHERE j.room_email = r.email
        AND j.kind = 'error' AND j.at >= ${errorsSince})`.as('errors'),
    ])
    .orderBy('r.active', 'desc')
    .orderBy('r.email')
    .execute();
  return rows.map((r) => ({
    email: r.email,
    name: r.name,
    active: r.active,
    subscriptionId: r.subscription_id,
    expiresAt: r.expires_at ? new Date(r.expires_at) : null,
    lastReconcileAt: r.last_pass_at ? new Date(r.last_pass_at) : null,
    errors: Number(r.errors),
  }));
}
