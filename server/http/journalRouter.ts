import { Router, type Response } from 'express';
import { z } from 'zod';
import type { JournalPage } from '../../contract/journal';
import { badRequest } from '../errors';
import type { Journal, JournalKind } from '../store/journal';
import { findJournalEntries } from '../sync/journalEntries';
import type { Links } from '../store/links';
import { requireAdminToken } from './adminAuth';

const query = z.object({
  eventId: z.string().max(2000).optional(),
  loanId: z.string().max(200).optional(),
  iCalUId: z.string().max(2000).optional(),
  roomEmail: z.string().max(320).optional(),
  kind: z.string().max(40).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/**
 * B4: `GET /api/admin/journal?eventId&loanId&iCalUId&roomEmail&kind&since&limit` (admin token) →
 * `{"items":[{id, at, kind, message, iCalUId, eventId, roomEmail, loanId, details}]}`, newest first.
 */
export function journalRouter(deps: { adminToken: string; journal: Journal; links: Links }): Router {
  const router = Router();
  router.use(requireAdminToken(deps.adminToken));
  router.get('/', async (req, res: Response<JournalPage>) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) {
      throw badRequest('Invalid journal query.', { issues: parsed.error.issues.map((i) => i.message) });
    }
    const q = parsed.data;
    const items = await findJournalEntries(
      { ...q, kind: q.kind as JournalKind | undefined, since: q.since ? new Date(q.since) : undefined },
      deps,
    );
    res.json({ items });
  });
  return router;
}
