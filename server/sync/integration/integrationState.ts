import type { Kysely } from 'kysely';
import type { Schema } from '../../store/schema';
import { listSubscriptionRows } from '../subscriptions';

/** One Graph subscription as the admin page lists it. */
export interface SubscriptionView {
  id: string;
  roomEmail: string;
  resource: string;
  expiresAt: string;
  confirmedAt: string;
  createdAt: string;
}

/** One imported room (R1) with what Graph said of it (address, building, capacity, tags…). */
export interface RoomView {
  email: string;
  name: string;
  active: boolean;
  [detail: string]: unknown;
}

/** The subscriptions we hold, by room. */
export async function listSubscriptions(db: Kysely<Schema>): Promise<SubscriptionView[]> {
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
export async function listRooms(db: Kysely<Schema>): Promise<RoomView[]> {
  const rows = await db.selectFrom('integration_rooms').selectAll().orderBy('email').execute();
  return rows.map((r) => ({ email: r.email, name: r.name, active: r.active, ...(r.details as object) }));
}
