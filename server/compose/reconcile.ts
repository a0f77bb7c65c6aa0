import { Router } from 'express';
import { z } from 'zod';
import { badRequest, integrationDisabled, integrationNotConfigured } from '../errors';
import type { GraphGateway } from '../graph/gateway';
import { requireAdminToken } from '../http/adminAuth';
import { jsonBody, type Mount } from '../http/app';
import type { Logger } from '../logger';
import type { Database } from '../store/database';
import type { JobQueue } from '../store/queue';
import type { Gaps } from '../store/gaps';
import type { Journal } from '../store/journal';
import { RECONCILE_QUEUE, reconcileRooms, type ReconcileDeps, type ReconcileJob } from '../sync/reconcile';
import { ROOM_EVENT_QUEUE, type RoomEventJob } from '../sync/jobs';

export interface ReconcileAreaDeps {
  database: Database;
  queue: JobQueue;
  logger: Logger;
  now: () => Date;
  adminToken: string;
  journal: Journal;
  /** The integration's gap table; each gap it records triggers a pass of its room (B2). */
  gaps: Gaps;
  graph: () => Promise<GraphGateway | null>;
  workers?: boolean;
}

export interface ReconcileArea {
  /** Queues a pass (every room, or one): what a save, a gap and the schedule do. */
  request(job: ReconcileJob): Promise<void>;
  mounts: Mount[];
}

const onDemand = z.object({ roomEmail: z.email().max(320).optional() });

/**
 * Reconcile / backfill (flow 7): the 'reconcile-rooms' queue and its hourly schedule, the
 * triggers (settings saved, gap recorded, service started) and the admin's on-demand route.
 * Built by server/main.ts only.
 */
export async function buildReconcileArea(deps: ReconcileAreaDeps): Promise<ReconcileArea> {
  const { queue, logger } = deps;
  const reconcile: ReconcileDeps = {
    db: deps.database.db,
    graph: deps.graph,
    gaps: deps.gaps,
    journal: deps.journal,
    enqueue: (jobs) => queue.sendMany<RoomEventJob>(ROOM_EVENT_QUEUE, jobs),
    now: deps.now,
    logger,
  };

  // 'short': while a pass of the same scope waits, more requests for it are the same request.
  await queue.define({
    name: RECONCILE_QUEUE,
    policy: 'short',
    retryLimit: 5,
    retryDelaySeconds: 30,
    retryBackoff: true,
  });
  // Safety net (GRAPH-FACTS: subscriptions also stop silently); pg-boss cron fires once per cluster.
  await queue.schedule(RECONCILE_QUEUE, '7 * * * *', { reason: 'schedule' } satisfies ReconcileJob);

  const request = async (job: ReconcileJob): Promise<void> => {
    await queue.send<ReconcileJob>(RECONCILE_QUEUE, { data: job, singletonKey: job.roomEmail ?? '*' });
  };
  const requestQuietly = (job: ReconcileJob): void => {
    // A lost request is caught by the hourly pass; never fail the caller's own work for it.
    request(job).catch((err: unknown) =>
      logger.warn({ event: 'reconcile.request_failed', err, ...job }, 'could not queue a reconcile pass'),
    );
  };

  // B2: the integration records a gap on `missed`, `subscriptionRemoved` and recreated
  // subscriptions; each one asks for a pass of its room. Decorating the injected Gaps keeps the
  // integration area free of any reference to reconcile.
  const record = deps.gaps.record.bind(deps.gaps);
  deps.gaps.record = async (gap) => {
    const saved = await record(gap);
    requestQuietly({ roomEmail: saved.roomEmail, reason: 'gap' });
    return saved;
  };

  if (deps.workers !== false) {
    await queue.work<ReconcileJob>(RECONCILE_QUEUE, { concurrency: 1 }, async (job) => {
      await reconcileRooms(reconcile, job.roomEmail);
    });
    // After downtime (DESIGN flow 7): one pass at start; a no-op while the integration is off.
    requestQuietly({ reason: 'startup' });
  }

  const router = Router();
  // B1: a successful save of the settings (activation included) is followed by a full backfill.
  router.put('/', (_req, res, next) => {
    res.on('finish', () => {
      if (res.statusCode === 200) requestQuietly({ reason: 'activation' });
    });
    next();
  });
  // `POST /api/admin/integration/reconcile {roomEmail?}` → runs the pass now and answers with it.
  router.post('/reconcile', requireAdminToken(deps.adminToken), jsonBody('4kb'), async (req, res) => {
    const parsed = onDemand.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw badRequest('Invalid reconcile request.', { issues: parsed.error.issues.map((i) => i.message) });
    }
    const rooms = await reconcileRooms(reconcile, parsed.data.roomEmail);
    // No pass: either nothing is saved (no gateway) or the saved settings are switched off.
    if (!rooms) throw (await deps.graph()) ? integrationDisabled() : integrationNotConfigured();
    res.json({ rooms });
  });

  return {
    request,
    // Mounted before the integration's own router so that its PUT passes through here first.
    mounts: [{ path: '/api/admin/integration', router }],
  };
}
