import path from 'node:path';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { addinRouter } from '../http/addinRouter';
import { adminAuthLimit } from '../http/adminAuthLimit';
import { addinStaticRouter, findRoot } from '../http/addinStatic';
import type { Mount } from '../http/app';
import { healthRouter } from '../http/healthRouter';
import { hectorRouter } from '../http/hectorRouter';
import { integrationRouter } from '../http/integrationRouter';
import { journalRouter } from '../http/journalRouter';
import { createRateLimiter } from '../http/rateLimit';
import { operationsRouter } from '../http/operationsRouter';
import { reconcileRouter } from '../http/reconcileRouter';
import { createTokenVerifier } from '../http/userTokens';
import type { IntakeTimeline } from '../http/intakeTimeline';
import { webhookRouter } from '../http/webhooks';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { withTimeout } from '../store/database';
import { GroupCommit } from '../store/groupCommit';
import type { JobQueue } from '../store/queue';
import { LIFECYCLE_QUEUE, ROOM_EVENT_QUEUE, type RoomEventJob } from '../sync/jobs';
import { reconcileRooms } from '../sync/reconcile';
import { harnessRouter } from '../testMode/harness';
import type { UseCases } from './useCases';

export interface RouteInputs {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  queue: JobQueue;
  now: Clock;
  wallClock: Clock;
  adminToken: string;
  publicUrl: () => string;
  checkReady(): Promise<void>;
  /** Each webhook request's timeline (ServiceOptions.onIntakeTimeline). */
  onIntakeTimeline?: (timeline: IntakeTimeline) => void;
}

/** Requests per user per minute on the add-in API. */
const ADDIN_REQUESTS_PER_MINUTE = 60;

/**
 * Every HTTP surface, in mounting order. `hot` are Graph's webhooks, served ahead of the
 * per-request logger (see createApp); the harness exists only in test mode.
 */
export function buildRoutes(u: UseCases, inputs: RouteInputs): { hot: Mount[]; mounts: Mount[] } {
  const { config, metrics, queue } = inputs;

  const roomEvents = new GroupCommit<RoomEventJob>({
    write: (jobs) => queue.sendMany(ROOM_EVENT_QUEUE, jobs),
    windowMs: config.timings.intakeGroupCommitMs,
    metrics,
  });
  const webhooks = webhookRouter({
    directory: u.directory,
    roomEvents,
    lifecycle: (jobs) =>
      withTimeout(queue.sendMany(LIFECYCLE_QUEUE, jobs), 2500, 'The job queue did not answer in time.'),
    metrics,
    wallClock: inputs.wallClock,
    onTimeline: inputs.onIntakeTimeline,
    logger: inputs.logger,
  });

  const verifyToken = config.addinClientId
    ? createTokenVerifier({
        authorityUrl: config.authorityUrl,
        clientId: config.addinClientId,
        appIdUri: config.addinAppIdUri ?? `api://${new URL(config.publicUrl).host}/${config.addinClientId}`,
        scope: config.addinScope,
      })
    : null;

  // One count of failed admin authentications for every admin-token API (issue 16).
  const adminFailures = adminAuthLimit({ now: inputs.now, logger: inputs.logger });

  const mounts: Mount[] = [
    { path: '/api/admin', router: adminFailures },
    { path: '/api/hector', router: adminFailures },
    {
      path: '/',
      router: healthRouter({
        metrics,
        checkReady: inputs.checkReady,
        logger: inputs.logger,
        beforeScrape: () => queue.refreshDepth(),
      }),
    },
    {
      path: '/api/admin/integration',
      router: reconcileRouter({
        adminToken: inputs.adminToken,
        reconcileNow: (roomEmail) => reconcileRooms(u.reconcile, roomEmail),
        isConfigured: async () => (await u.integration.graph()) !== null,
      }),
    },
    {
      path: '/api/admin/integration',
      router: integrationRouter({
        adminToken: inputs.adminToken,
        service: u.integration,
        journal: u.journal,
        gaps: u.gaps,
        // B1: a successful save (activation included) is followed by a full backfill, a run whose
        // progress and drift the Status tab shows like an admin's re-sync.
        onSettingsSaved: () =>
          u.operations.startBackfill().catch((err: unknown) => {
            inputs.logger.warn({ event: 'reconcile.request_failed', err }, 'could not queue the backfill');
            return null;
          }),
      }),
    },
    {
      path: '/api/admin',
      router: operationsRouter({
        adminToken: inputs.adminToken,
        status: () => u.operations.status(),
        startReconcile: (roomEmail) => u.operations.startReconcile(roomEmail),
        reconcileRun: (id) => u.operations.reconcileRun(id),
        fixDrift: (id, fix) => u.operations.fixDrift(id, fix),
        deadLetters: () => u.operations.deadLetters(),
        retryDeadLetter: (id) => u.operations.retryDeadLetter(id),
      }),
    },
    {
      path: '/api/admin/journal',
      router: journalRouter({ adminToken: inputs.adminToken, journal: u.journal, links: u.links }),
    },
    {
      path: '/api/addin',
      router: addinRouter({
        verifyToken,
        tenantId: async () => (await u.integration.getSettings()).tenantId,
        rateLimiter: createRateLimiter({
          limit: ADDIN_REQUESTS_PER_MINUTE,
          windowMs: 60_000,
          now: inputs.now,
        }),
        loans: u.addin,
        actions: u.addinActions,
        logger: inputs.logger,
      }),
    },
    ...(config.testMode
      ? [
          {
            path: '/',
            router: harnessRouter({
              graph: () => u.integration.graph(),
              authorityUrl: config.authorityUrl,
              apiClientId: config.addinClientId,
              webDir: path.join(findRoot(__dirname), 'dist', 'web'),
            }),
          },
        ]
      : []),
    {
      path: '/api/hector',
      router: hectorRouter({
        hector: u.hector,
        adminToken: inputs.adminToken,
        jsonBodyLimit: config.jsonBodyLimit,
      }),
    },
    // The add-in's pages, icons and manifests (PUBLIC_URL substituted).
    {
      path: '/',
      router: addinStaticRouter({
        publicUrl: inputs.publicUrl,
        apiClientId: config.addinClientId,
        apiAppIdUri: config.addinSsoResource,
        authorityUrl: config.authorityUrl,
      }),
    },
  ];
  return { hot: [{ path: '/webhooks', router: webhooks }], mounts };
}
