import type { Kysely } from 'kysely';
import type { Room, Subscription } from '../../../contract/admin';
import type { Schema } from '../../store/schema';
import { listSubscriptionRows } from '../subscriptions';

/** The subscriptions we hold, by room. */
export async function listSubscriptions(db: Kysely<Schema>): Promise<Subscription[]> {
  const rows = await listSubscriptionRows(db);
  return rows.map((r) => ({
    id: r.id,
    roomEmail: r.room_email,
    resource: r.resource,
    expiresAt: new Date(r.expires_at).toISOString(),
    confirmedAt: new Date(r.confirmed_at).toISOString(),
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** Every room ever imported, active or not, by e-mail. */
export async function listRooms(db: Kysely<Schema>): Promise<Room[]> {
  const rows = await db.selectFrom('integration_rooms').selectAll().orderBy('email').execute();
  return rows.map((r) => ({ email: r.email, name: r.name, active: r.active, ...r.details }));
}
