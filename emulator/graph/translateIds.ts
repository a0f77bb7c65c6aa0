/**
 * `POST /users/{id | userPrincipalName}/translateExchangeIds` (GDC api/user-translateexchangeids.md,
 * resources/convertidresult.md): `{inputIds, sourceIdType, targetIdType}` → `{value: [{sourceId,
 * targetId} | {sourceId, errorDetails}]}`. At most 1,000 ids, all of one mailbox. The emulator
 * models the two REST formats only (restId ↔ restImmutableEntryId); the binary and EWS formats
 * are refused with a 400 rather than answered with made-up ids. An id that names no item of the
 * mailbox gets errorDetails (Graph answers "NotFound" per id: docs-contrib#4823), not a 400.
 *
 * Permissions: the v1.0 page lists User.Read.All / User.ReadWrite.All for application calls (the
 * page at microsoft-graph-docs-contrib 008316a); the current Learn page says "Application: not
 * supported". The emulator follows the first; the service falls back to reading each event with
 * the Prefer header when the call is refused (server/sync/immutableIds.ts).
 */
import express from 'express';
import type { EmulatorContext } from '../context';
import { badRequest } from '../errors';
import { requirePermission } from './auth';
import { mailboxOf } from './events';

const MAX_IDS = 1000;
/** The application permissions the v1.0 page names for this call. */
const TRANSLATE_PERMISSIONS = ['User.Read.All', 'User.ReadWrite.All'];
const FORMATS = ['entryId', 'ewsId', 'immutableEntryId', 'restId', 'restImmutableEntryId'] as const;
type Format = (typeof FORMATS)[number];
const MODELLED = new Set<Format>(['restId', 'restImmutableEntryId']);

function format(value: unknown, name: string): Format {
  const found = FORMATS.find((f) => typeof value === 'string' && f.toLowerCase() === value.toLowerCase());
  if (!found) {
    throw badRequest(
      `${name} must be one of ${FORMATS.join(', ')}; got '${String(value ?? '')}'.`,
      'ErrorInvalidParameter',
    );
  }
  if (!MODELLED.has(found)) {
    throw badRequest(
      `${name} '${found}' is not modelled by the emulator (restId and restImmutableEntryId only).`,
      'ErrorInvalidParameter',
    );
  }
  return found;
}

export function translateIdsRouter(ctx: EmulatorContext): express.Router {
  const router = express.Router();
  const { state } = ctx;

  router.post('/users/:user/translateExchangeIds', (req, res) => {
    requirePermission(res, TRANSLATE_PERMISSIONS, 'directory');
    const user = mailboxOf(ctx, req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const inputIds = body.inputIds;
    if (
      !Array.isArray(inputIds) ||
      !inputIds.length ||
      inputIds.some((id) => typeof id !== 'string' || !id)
    ) {
      throw badRequest('inputIds must be a non-empty collection of identifiers.', 'ErrorInvalidParameter');
    }
    if (inputIds.length > MAX_IDS)
      throw badRequest(`inputIds holds at most ${MAX_IDS} identifiers.`, 'ErrorInvalidParameter');
    const source = format(body.sourceIdType, 'sourceIdType');
    const target = format(body.targetIdType, 'targetIdType');
    const mailboxId = user.user.id!;
    const mailbox = state.mailbox(mailboxId);
    const value = (inputIds as string[]).map((sourceId) => {
      // The regular id of the item the source id names in this mailbox, if it does.
      const regular =
        source === 'restId'
          ? mailbox.events.has(sourceId)
            ? sourceId
            : undefined
          : mailbox.immutableIds.get(sourceId);
      if (!regular) {
        return {
          sourceId,
          errorDetails: { code: 'NotFound', message: 'The specified object was not found in the store.' },
        };
      }
      const targetId = target === 'restId' ? regular : mailbox.events.get(regular)!.immutableId;
      return { sourceId, targetId };
    });
    res.json({
      '@odata.context': `${ctx.graphUrl()}/$metadata#Collection(microsoft.graph.convertIdResult)`,
      value,
    });
  });

  return router;
}
