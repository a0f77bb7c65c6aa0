import { Router, type Response } from 'express';
import { z } from 'zod';
import type {
  AdminStatus,
  DeadLetterList,
  DeadLetterRetried,
  DriftFixQueued,
  DriftFixRequest,
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
  /** Null when the run's drift does not name this meeting (event id) or loan. */
  fixDrift(runId: string, fix: DriftFixRequest): Promise<DriftFixQueued | null>;
  deadLetters(): Promise<DeadLetterList>;
  /** Null when no waiting dead letter has this id. */
  retryDeadLetter(id: string): Promise<DeadLetterRetried | null>;
}

const reconcileRequest = z.strictObject({ roomEmail: z.email().max(320).optional() });
const uuid = z.uuid();
const fixRequest = z.strictObject({
  kind: z.enum(['meeting', 'loan']),
  id: z.string().trim().min(1).max(2000),
}) satisfies z.ZodType<DriftFixRequest>;

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

  router.post('/reconcile/:id/fix', admin, jsonBody('4kb'), async (req, res: Response<DriftFixQueued>) => {
    const id = uuid.safeParse(req.params.id);
    if (!id.success) throw badRequest('A re-sync is named by the id POST /api/admin/reconcile answered.');
    const fix = fixRequest.safeParse(req.body ?? {});
    if (!fix.success) {
      throw badRequest(
        'Invalid fix: send {"kind": "meeting", "id": "<eventId>"} or {"kind": "loan", "id": "<loanId>"} from the run\'s drift.',
        { issues: fix.error.issues.map((i) => i.message) },
      );
    }
    const queued = await deps.fixDrift(id.data, fix.data);
    if (!queued) throw notFound("This re-sync's drift report does not name it (or the run is not finished).");
    res.status(202).json(queued);
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
