import type { Mount } from '../http/app';
import { journalRouter } from '../http/journalRouter';
import type { HectorPort } from '../hector/port';
import type { GraphGateway } from '../graph/gateway';
import type { Logger } from '../logger';
import type { Database } from '../store/database';
import type { JobQueue } from '../store/queue';
import { DEFERRAL_DELAYS_MS, syncRoomEvent, type InboundDeps } from '../sync/inbound';
import type { Journal } from '../store/journal';
import { createLinks, type Links } from '../store/links';
import { createKeyedChain } from '../sync/keyedChain';
import { createMeetingLock } from '../sync/meetingLock';
import { createOrganizerDirectory } from '../sync/organizers';
import { createOutboundState } from '../store/outboundState';
import type { IntegrationSettingsFacts } from '../sync/rules';
import { ROOM_EVENT_QUEUE, type RoomEventJob } from '../sync/jobs';

export interface InboundAreaDeps {
  database: Database;
  queue: JobQueue;
  logger: Logger;
  now: () => Date;
  adminToken: string;
  hector: InboundDeps['hector'] & Pick<HectorPort, 'getLoan'>;
  journal: Journal;
  /** The integration's gateway for its saved settings (null when not configured). */
  graph: () => Promise<GraphGateway | null>;
  /** Run this instance's workers (false for an enqueue-only instance in tests). */
  workers?: boolean;
  /** Jobs run at once by this instance (each holds at most one lock connection on PostgreSQL). */
  concurrency?: number;
}

export interface InboundArea {
  links: Links;
  deps: InboundDeps;
  mounts: Mount[];
}

/**
 * Outlook → Hector (flow 4): the worker of the room-event queue that the webhook intake fills,
 * and the admin journal route. Built by server/main.ts only.
 */
export async function buildInboundArea(deps: InboundAreaDeps): Promise<InboundArea> {
  const db = deps.database.db;
  const links = createLinks(db, deps.now);
  const inbound: InboundDeps = {
    graph: deps.graph,
    hector: deps.hector,
    links,
    journal: deps.journal,
    settings: () => readSettings(deps.database),
    organizers: createOrganizerDirectory(deps.now),
    lock: createMeetingLock(deps.database),
    hectorChanges: createOutboundState(db, deps.now),
    copyGate: createKeyedChain(),
    wallClock: () => new Date(),
    logger: deps.logger,
  };

  if (deps.workers !== false) {
    // 2 workers × 4 jobs in flight: each job may hold a lock connection on PostgreSQL, so stay
    // well under the pool size (server/store/postgresDatabase.ts).
    const concurrency = deps.concurrency ?? 2;
    await deps.queue.work<RoomEventJob>(ROOM_EVENT_QUEUE, { concurrency, batchSize: 4 }, async (job) => {
      const outcome = await syncRoomEvent(job, inbound);
      if (outcome.skipped === 'deferred') {
        // Read again once outbound has pushed; a newer job for this copy, if queued, does it instead.
        const deferrals = job.deferrals ?? 0;
        await deps.queue.send<RoomEventJob>(ROOM_EVENT_QUEUE, {
          data: { ...job, deferrals: deferrals + 1 },
          singletonKey: `${job.roomEmail}:${job.eventId}`,
          startAfter: new Date(Date.now() + DEFERRAL_DELAYS_MS[deferrals]),
        });
      }
    });
  }

  return {
    links,
    deps: inbound,
    mounts: [
      {
        path: '/api/admin/journal',
        router: journalRouter({ adminToken: deps.adminToken, journal: deps.journal, links }),
      },
    ],
  };
}

/** The integration's settings the rules need (read-only; the integration area owns the table). */
async function readSettings(
  database: Database,
): Promise<(IntegrationSettingsFacts & { enabled: boolean }) | null> {
  const row = await database.db
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
