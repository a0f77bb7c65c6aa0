import { Router } from 'express';
import { z } from 'zod';
import { AppError, badRequest } from '../errors';
import type { RoomPass } from '../sync/reconcile';
import { requireAdminToken } from './adminAuth';
import { jsonBody } from './app';

export interface ReconcileRouterDeps {
  adminToken: string;
  /** Runs a pass now (every room, or one); null when the integration is off. */
  reconcileNow(roomEmail?: string): Promise<RoomPass[] | null>;
}

const onDemand = z.object({ roomEmail: z.email().max(320).optional() });

/** `POST /api/admin/integration/reconcile {roomEmail?}` → runs the pass now and answers with it (B1, B2). */
export function reconcileRouter(deps: ReconcileRouterDeps): Router {
  const router = Router();
  router.post('/reconcile', requireAdminToken(deps.adminToken), jsonBody('4kb'), async (req, res) => {
    const parsed = onDemand.safeParse(req.body ?? {});
    if (!parsed.success) {
      throw badRequest('Invalid reconcile request.', { issues: parsed.error.issues.map((i) => i.message) });
    }
    const rooms = await deps.reconcileNow(parsed.data.roomEmail);
    if (!rooms) {
      throw new AppError(
        'INTEGRATION_NOT_CONFIGURED',
        'The Outlook integration is not configured or not enabled: save and enable its settings first.',
        409,
      );
    }
    res.json({ rooms });
  });
  return router;
}
