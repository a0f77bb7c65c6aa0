import { Router, type Response } from 'express';
import { z } from 'zod';
import type {
  ConnectionTest,
  GapList,
  PendingRoomRemoval,
  ReconcileRunStarted,
  RoomList,
  RoomRemovalDecision,
  SavedSettings,
  SettingsView,
  SubscriptionList,
  SyncReport,
} from '../../contract/admin';
import type { IntegrationJournalPage } from '../../contract/journal';
import { badRequest } from '../errors';
import type { IntegrationService } from '../sync/integration/integrationService';
import type { Gaps } from '../store/gaps';
import type { Journal, JournalKind } from '../store/journal';
import { requireAdminToken } from './adminAuth';
import { jsonBody } from './app';

export interface IntegrationRouterDeps {
  adminToken: string;
  service: Pick<
    IntegrationService,
    | 'getSettings'
    | 'saveSettings'
    | 'sync'
    | 'listSubscriptions'
    | 'listRooms'
    | 'pendingRoomRemoval'
    | 'decideRoomRemoval'
    | 'testConnection'
  >;
  journal: Pick<Journal, 'list'>;
  gaps: Pick<Gaps, 'list'>;
  /**
   * Called after each successful save of the settings (B1's backfill): the run it queued, null
   * when none; it never fails the save (a lost backfill is caught by the hourly pass).
   */
  onSettingsSaved?(): Promise<ReconcileRunStarted | null>;
}

const journalQuery = z.object({
  eventId: z.string().max(2000).optional(),
  loanId: z.string().max(200).optional(),
  iCalUId: z.string().max(2000).optional(),
  roomEmail: z.string().max(320).optional(),
  kind: z.string().max(40).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const removalDecision = z.object({
  id: z.coerce.number().int().min(1).max(2_147_483_647),
  decision: z.enum(['confirm', 'dismiss']),
});

/** S1 settings and the integration's state, for admins (admin token). */
export function integrationRouter(deps: IntegrationRouterDeps): Router {
  const router = Router();
  router.use(requireAdminToken(deps.adminToken));

  router.get('/', async (_req, res: Response<SettingsView>) => {
    res.json(await deps.service.getSettings());
  });

  router.put('/', jsonBody('64kb'), async (req, res: Response<SavedSettings>) => {
    const saved = await deps.service.saveSettings(req.body);
    const backfill = deps.onSettingsSaved ? await deps.onSettingsSaved().catch(() => null) : null;
    res.json({ ...saved, backfill });
  });

  /** S2 without saving: the saved settings (empty body) or the ones sent; nothing is written. */
  router.post('/test', jsonBody('64kb'), async (req, res: Response<ConnectionTest>) => {
    res.json(await deps.service.testConnection(req.body ?? {}));
  });

  /** Runs room import and subscription maintenance now (the schedule's work, on demand). */
  router.post('/sync', async (_req, res: Response<SyncReport>) => {
    res.json(await deps.service.sync());
  });

  router.get('/subscriptions', async (_req, res: Response<SubscriptionList>) => {
    res.json({ subscriptions: await deps.service.listSubscriptions() });
  });

  router.get('/rooms', async (_req, res: Response<RoomList>) => {
    res.json({ rooms: await deps.service.listRooms() });
  });

  /** R1 guard: an import that would have deactivated most rooms waits for the admin's decision. */
  router.get('/rooms/pending-removal', async (_req, res: Response<PendingRoomRemoval>) => {
    res.json(await deps.service.pendingRoomRemoval());
  });

  router.post('/rooms/pending-removal/:id/:decision', async (req, res: Response<RoomRemovalDecision>) => {
    const parsed = removalDecision.safeParse(req.params);
    if (!parsed.success)
      throw badRequest('Name a review by its number and a decision: confirm or dismiss.', {
        issues: parsed.error.issues.map((i) => i.message),
      });
    res.json(await deps.service.decideRoomRemoval(parsed.data.id, parsed.data.decision));
  });

  router.get('/gaps', async (_req, res: Response<GapList>) => {
    res.json({ gaps: await deps.gaps.list(500) });
  });

  router.get('/journal', async (req, res: Response<IntegrationJournalPage>) => {
    const parsed = journalQuery.safeParse(req.query);
    if (!parsed.success)
      throw badRequest('Invalid journal query.', { issues: parsed.error.issues.map((i) => i.message) });
    const q = parsed.data;
    res.json({
      entries: await deps.journal.list({
        ...q,
        kind: q.kind as JournalKind | undefined,
        since: q.since ? new Date(q.since) : undefined,
      }),
    });
  });

  return router;
}
