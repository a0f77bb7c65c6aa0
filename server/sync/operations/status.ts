import type { Kysely } from 'kysely';
import type { AdminStatus, QueueStatus } from '../../../contract/admin';
import type { Clock } from '../../clock';
import { LAG_WINDOW_MS, type LagSamples } from '../../store/lagSamples';
import type { JobQueue } from '../../store/queue';
import { readRoomHealth } from '../../store/roomHealth';
import type { RoomActivity } from '../../store/roomActivity';
import type { Schema } from '../../store/schema';
import type { SettingsStore } from '../../store/settings';
import { credentialsStatus, subscriptionState } from './credentials';
import type { SecretExpiryReader } from './secretExpiry';

export interface StatusDeps {
  db: Kysely<Schema>;
  queue: Pick<JobQueue, 'counts'>;
  lag: LagSamples;
  activity: Pick<RoomActivity, 'lastNotifications'>;
  settings: Pick<SettingsStore, 'read'>;
  /** The secret's expiry: from Graph when the app may read it, else the settings' (secretExpiry.ts). */
  secretExpiry: SecretExpiryReader;
  /** Business clock: subscription expiries and the secret's are business dates. */
  now: Clock;
  /** Real time: the lag samples are stamped with it. */
  wallClock: Clock;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `GET /api/admin/status` (issue 15): per room health, the queues, the lag, the credentials. */
export async function readStatus(deps: StatusDeps): Promise<AdminStatus> {
  const now = deps.now();
  const lagSince = new Date(deps.wallClock().getTime() - LAG_WINDOW_MS);
  const [rooms, notifications, counts, inbound, outbound, saved] = await Promise.all([
    readRoomHealth(deps.db, new Date(now.getTime() - DAY_MS)),
    deps.activity.lastNotifications(),
    deps.queue.counts(),
    deps.lag.figures('inbound', lagSince),
    deps.lag.figures('outbound', lagSince),
    deps.settings.read(),
  ]);
  const secret = await deps.secretExpiry.read(saved);
  const queue: QueueStatus = { depth: 0, deadLetters: 0, byQueue: counts };
  for (const c of Object.values(counts)) {
    queue.depth += c.depth;
    queue.deadLetters += c.deadLetters;
  }
  return {
    rooms: rooms.map((r) => ({
      email: r.email,
      name: r.name,
      active: r.active,
      subscription: {
        id: r.subscriptionId,
        state: subscriptionState(r.expiresAt, now),
        expiresAt: r.expiresAt?.toISOString() ?? null,
      },
      lastNotificationAt: notifications.get(r.email)?.toISOString() ?? null,
      lastReconcileAt: r.lastReconcileAt?.toISOString() ?? null,
      errors: r.errors,
    })),
    queue,
    lag: { inbound, outbound },
    credentials: credentialsStatus(secret.expiresAt, now, secret.source),
    checkedAt: now.toISOString(),
  };
}
