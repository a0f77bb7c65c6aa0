import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema';

/** When each room's change notifications last reached the service (table of migration 012). */
export interface RoomActivity {
  noteNotification(roomEmail: string, receivedAt: Date): Promise<void>;
  lastNotifications(): Promise<Map<string, Date>>;
}

/**
 * Written by the inbound worker, not the intake (the webhook answers without extra writes), and at
 * most every `everyMs` per room from one process: a burst of notifications costs one write.
 */
export function createRoomActivity(db: Kysely<Schema>, everyMs = 10_000): RoomActivity {
  const written = new Map<string, number>();
  return {
    async noteNotification(roomEmail, receivedAt) {
      const room = roomEmail.toLowerCase();
      const last = written.get(room);
      if (last !== undefined && receivedAt.getTime() - last < everyMs) return;
      written.set(room, receivedAt.getTime());
      await db
        .insertInto('sync_room_activity')
        .values({ room_email: room, last_notification_at: receivedAt })
        .onConflict((oc) =>
          oc.column('room_email').doUpdateSet({
            last_notification_at: sql`greatest(sync_room_activity.last_notification_at, excluded.last_notification_at)`,
          }),
        )
        .execute();
    },
    async lastNotifications() {
      const rows = await db.selectFrom('sync_room_activity').selectAll().execute();
      return new Map(rows.map((r) => [r.room_email, new Date(r.last_notification_at)]));
    },
  };
}
