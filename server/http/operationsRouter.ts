import { Router, type Response } from 'express';
import { z } from 'zod';
import type {
  AdminStatus,
  DeadLetterList,
  DeadLetterRetried,
  ReconcileRun,
  ReconcileRunStarted,
} from '../../contract/admin';
import { badRequest, notFound } from '../errors';
import { requireAdminToken } from './adminAuth';
import { jsonBody } from './app';

export interface OperationsRouterDeps {
  adminToken: string;
  status(): Promise<AdminStatus>;
  /**
   * Queues a re-sync run (every room, or one) and answers its id. Throws NOT_FOUND for a room that
   * is not synced, INTEGRATION_NOT_CONFIGURED / INTEGRATION_DISABLED as the integration stands.
   */
  startReconcile(roomEmail?: string): Promise<ReconcileRunStarted>;
  reconcileRun(id: string): Promise<ReconcileRun | null>;
  deadLetters(): Promise<DeadLetterList>;
  /** Null when no waiting dead letter has this id. */
  retryDeadLetter(id: string): Promise<DeadLetterRetried | null>;
}

const reconcileRequest = z.strictObject({ roomEmail: z.email().max(320).optional() });
const uuid = z.uuid();

/** Issue 15, admin token: the status page, re-sync runs with their progress, dead letters. */
export function operationsRouter(deps: OperationsRouterDeps): Router {
  const router = Router();
  const admin = requireAdminToken(deps.adminToken);

  router.get('/status', admin, async (_req, res: Response<AdminStatus>) => {
    res.json(await deps.status());
  });

  router.post('/reconcile', admin, jsonBody('4kb'), async (req, res: Response<ReconcileRunStarted>) => {
    const parsed = reconcileRequest.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw badRequest('Invalid re-sync request: send {} or {"roomEmail": "<a synced room>"}.', {
        issues: parsed.error.issues.map((i) => i.message),
      });
    }
    res.status(202).json(await deps.startReconcile(parsed.data.roomEmail?.toLowerCase()));
  });

  router.get('/reconcile/:id', admin, async (req, res: Response<ReconcileRun>) => {
    const id = uuid.safeParse(req.params.id);
    if (!id.success) throw badRequest('A re-sync is named by the id POST /api/admin/reconcile answered.');
    const run = await deps.reconcileRun(id.data);
    if (!run) throw notFound('No re-sync has this id.');
    res.json(run);
  });

  router.get('/dead-letters', admin, async (_req, res: Response<DeadLetterList>) => {
    res.json(await deps.deadLetters());
  });

  router.post('/dead-letters/:id/retry', admin, async (req, res: Response<DeadLetterRetried>) => {
    const id = uuid.safeParse(req.params.id);
    if (!id.success) throw badRequest('A dead letter is named by its id (GET /api/admin/dead-letters).');
    const retried = await deps.retryDeadLetter(id.data);
    if (!retried) throw notFound('No dead letter waits with this id (already retried, or unknown).');
    res.json(retried);
  });

  return router;
}
