import type { Config } from '../config';
import type { Mount } from '../http/app';
import { integrationRouter } from '../http/integrationRouter';
import { webhookRouter } from '../http/webhooks';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { withTimeout, type Database } from '../store/database';
import type { JobQueue } from '../store/queue';
import { createGaps, type Gaps } from '../store/gaps';
import { createJournal, type Journal } from '../store/journal';
import type { RoomPlaces } from '../sync/rooms';
import { SubscriptionDirectory } from '../store/subscriptionDirectory';
import {
  LIFECYCLE_QUEUE,
  ROOM_EVENT_QUEUE,
  ROOM_IMPORT_QUEUE,
  SUBSCRIPTION_MAINTENANCE_QUEUE,
  type LifecycleJob,
  type RoomEventJob,
} from '../sync/jobs';
import { GroupCommit } from '../store/groupCommit';
import { SecretBox } from '../store/secretBox';
import { IntegrationService } from '../sync/integration/integrationService';

export interface IntegrationAreaDeps {
  config: Config;
  database: Database;
  queue: JobQueue;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  adminToken: string;
  /** PUBLIC_URL as known once the server listens (see main.ts). */
  publicUrl: () => string;
  /** Hector's places (R1); room import records its rooms without them when absent. */
  places?: RoomPlaces;
  /** Run this instance's workers (false for an enqueue-only instance in tests). */
  workers?: boolean;
}

export interface IntegrationArea {
  service: IntegrationService;
  journal: Journal;
  gaps: Gaps;
  directory: SubscriptionDirectory;
  mounts: Mount[];
  /** Graph's webhooks: mounted ahead of the per-request logger (see createApp's hotMounts). */
  webhookMounts: Mount[];
}

/** Every N minutes as cron (N ≤ 1440): "*\/15 * * * *", "0 *\/2 * * *"… */
export function everyMinutesCron(minutes: number): string {
  if (minutes < 60) return `*/${minutes} * * * *`;
  const hours = Math.max(1, Math.round(minutes / 60));
  return hours >= 24 ? '0 0 * * *' : `0 */${hours} * * *`;
}

/**
 * The integration area: settings, room import, subscriptions and the webhook intake, with its
 * queues and schedules. Built by server/main.ts only.
 */
export async function buildIntegrationArea(deps: IntegrationAreaDeps): Promise<IntegrationArea> {
  const { config, database, queue, logger, metrics, now } = deps;
  const db = database.db;
  const journal = createJournal(db, now);
  const gaps = createGaps(db);
  const directory = new SubscriptionDirectory(db);
  const service = new IntegrationService({
    config,
    publicUrl: deps.publicUrl,
    db,
    secrets: SecretBox.fromConfig(config.secretKey, config.dataDir),
    journal,
    gaps,
    directory,
    places: deps.places,
    logger,
    metrics,
    now,
  });

  // The inbound handler of ROOM_EVENT_QUEUE belongs to the inbound sync; the queue is defined here.
  await queue.define({
    name: ROOM_EVENT_QUEUE,
    policy: 'short',
    retryLimit: 10,
    retryDelaySeconds: 5,
    retryBackoff: true,
  });
  await queue.define({ name: LIFECYCLE_QUEUE, retryLimit: 10, retryDelaySeconds: 10, retryBackoff: true });
  await queue.define({ name: ROOM_IMPORT_QUEUE, policy: 'short', retryLimit: 2, retryDelaySeconds: 60 });
  await queue.define({
    name: SUBSCRIPTION_MAINTENANCE_QUEUE,
    policy: 'short',
    retryLimit: 2,
    retryDelaySeconds: 60,
  });
  // pg-boss cron: fires once per cluster whatever the number of instances.
  await queue.schedule(ROOM_IMPORT_QUEUE, everyMinutesCron(config.roomImportIntervalMinutes));
  await queue.schedule(SUBSCRIPTION_MAINTENANCE_QUEUE, '*/15 * * * *');
  await directory.warm();

  if (deps.workers !== false) {
    const failOn = (report: { error?: { message: string } }): void => {
      if (report.error) throw new Error(report.error.message);
    };
    await queue.work(ROOM_IMPORT_QUEUE, {}, async () => failOn(await service.importRooms()));
    await queue.work(SUBSCRIPTION_MAINTENANCE_QUEUE, {}, async () =>
      failOn(await service.maintainSubscriptions()),
    );
    await queue.work<LifecycleJob>(LIFECYCLE_QUEUE, {}, async (job) => {
      await service.handleLifecycle(job);
    });
  }

  const roomEvents = new GroupCommit<RoomEventJob>({
    write: (jobs) => queue.sendMany(ROOM_EVENT_QUEUE, jobs),
    windowMs: 2,
    metrics,
  });
  const webhooks = webhookRouter({
    directory,
    roomEvents,
    lifecycle: (jobs) =>
      withTimeout(queue.sendMany(LIFECYCLE_QUEUE, jobs), 2500, 'The job queue did not answer in time.'),
    metrics,
  });

  return {
    service,
    journal,
    gaps,
    directory,
    webhookMounts: [{ path: '/webhooks', router: webhooks }],
    mounts: [
      {
        path: '/api/admin/integration',
        router: integrationRouter({ adminToken: deps.adminToken, service, journal, gaps, db }),
      },
    ],
  };
}
