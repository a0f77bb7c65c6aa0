import { Router } from 'express';
import { z } from 'zod';
import { badRequest, integrationDisabled, integrationNotConfigured } from '../errors';
import type { RoomPass } from '../sync/reconcile';
import { requireAdminToken } from './adminAuth';
import { jsonBody } from './app';

export interface ReconcileRouterDeps {
  adminToken: string;
  /** Runs a pass now (every room, or one); null when the integration is off. */
  reconcileNow(roomEmail?: string): Promise<RoomPass[] | null>;
  /** Whether settings are saved (a refusal then means they are switched off). */
  isConfigured(): Promise<boolean>;
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
    // No pass: either nothing is saved (no gateway) or the saved settings are switched off.
    if (!rooms) throw (await deps.isConfigured()) ? integrationDisabled() : integrationNotConfigured();
    res.json({ rooms });
  });
  return router;
}
