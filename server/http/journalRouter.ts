import { Router, type Response } from 'express';
import { z } from 'zod';
import { JOURNAL_KINDS, type JournalPage } from '../../contract/journal';
import { badRequest } from '../errors';
import type { Journal } from '../store/journal';
import { findJournalPage } from '../sync/journalEntries';
import { journalLanguage } from '../sync/journalText/render';
import type { Links } from '../store/links';
import { requireAdminToken } from './adminAuth';

const instant = z.iso.datetime({ offset: true });
/** Text PostgreSQL can compare: it stores no NUL character (SQLSTATE 22021), so refuse it here. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !v.includes('\u0000'), 'must not contain a NUL character');
const query = z
  .object({
    eventId: text(2000).optional(),
    loanId: text(200).optional(),
    loanNumber: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    iCalUId: text(2000).optional(),
    roomEmail: text(320).optional(),
    // One kind, or several comma-separated.
    kind: z
      .string()
      .max(400)
      .transform((v) =>
        v
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(JOURNAL_KINDS, { error: 'is not a journal kind' })).max(JOURNAL_KINDS.length))
      .optional(),
    since: instant.optional(),
    from: instant.optional(),
    to: instant.optional(),
    q: text(200)
      .transform((v) => v.trim())
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    cursor: text(200).optional(),
    lang: z.enum(['fr', 'en']).optional(),
  })
  .refine((q) => !(q.from && q.since) || q.from === q.since, 'give from or since, not both')
  .refine((q) => !(q.from ?? q.since) || !q.to || Date.parse(q.from ?? q.since!) < Date.parse(q.to), {
    message: 'from must be before to',
  });

/**
 * B4, issue 15: `GET /api/admin/journal?eventId&loanId&loanNumber&iCalUId&roomEmail&kind&since|from&to
 * &q&limit&cursor&lang` (admin token) → `{"items":[{id, at, kind, message, code, params, iCalUId,
 * eventId, roomEmail, loanId, details}], "nextCursor"}`, newest first; messages in `lang`, else in
 * the Accept-Language's (French or English).
 */
export function journalRouter(deps: { adminToken: string; journal: Journal; links: Links }): Router {
  const router = Router();
  router.use(requireAdminToken(deps.adminToken));
  router.get('/', async (req, res: Response<JournalPage>) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) =>
        i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message,
      );
      throw badRequest(`Invalid journal query: ${issues[0]}.`, { issues });
    }
    const { since, from, to, q, kind, lang, ...rest } = parsed.data;
    const start = from ?? since;
    const page = await findJournalPage(
      {
        ...rest,
        kind: kind && kind.length > 0 ? kind : undefined,
        since: start ? new Date(start) : undefined,
        until: to ? new Date(to) : undefined,
        text: q || undefined,
      },
      journalLanguage(lang, req.get('accept-language')),
      deps,
    );
    res.setHeader('Vary', 'Accept-Language');
    res.json(page);
  });
  return router;
}
