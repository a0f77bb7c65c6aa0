import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AppError, badRequest, integrationNotConfigured } from '../errors';
import { findAddinLoan, type AddinCaller, type AddinLoanDeps } from '../sync/addin/addinLoan';
import { addMeetingAsset, listMeetingAssets, removeMeetingAsset } from '../sync/addin/loanAssets';
import { checkInMeeting } from '../sync/addin/meetingCheckIn';
import { meetingLoans, type AddinActionDeps } from '../sync/addin/meetingLoans';
import { roomAvailability } from '../sync/addin/roomAvailability';
import { languageOf, type Language } from '../sync/addin/loanView';
import { jsonBody } from './app';
import { isoInstant, parse } from './hectorSchemas';
import type { RateLimiter } from './rateLimit';
import type { TokenVerifier } from './userTokens';
import type { Logger } from '../logger';
import type {
  AddinAssetsResponse,
  AvailabilityResponse,
  CheckInResponse,
  LoanItemsChanged,
} from '../../contract/addin';

export interface AddinRouterDeps {
  /** null when ADDIN_CLIENT_ID is not set: every request answers 503. */
  verifyToken: TokenVerifier | null;
  /** The configured tenant (integration settings); null when the integration is not saved. */
  tenantId(): Promise<string | null>;
  rateLimiter: RateLimiter;
  loans: AddinLoanDeps;
  /** Issue 17: what the pane's actions need (Hector's writes). */
  actions: AddinActionDeps;
  logger: Logger;
}

/** REST item ids are base64url (Office's convertToRestId); no dots or slashes that could reshape a Graph path. */
const ITEM_ID = /^[A-Za-z0-9_=~+-]{1,1024}$/;
const itemId = z.string().trim().regex(ITEM_ID, 'must be the REST id of an event of your calendar');
const assetId = z.string().trim().min(1).max(100);
const scope = z.enum(['occurrence', 'upcoming']).optional();

const addItemBody = z.object({ itemId, assetId, scope }).strict();
const checkInBody = z.object({ itemId }).strict();
const availabilityBody = z
  .object({
    start: isoInstant,
    end: isoInstant,
    rooms: z.array(z.email()).max(20),
    itemId: itemId.optional(),
  })
  .strict();

/**
 * `/api/addin` with `Authorization: Bearer <user token>` (flow 8, issue 17): the loan of the
 * caller's event, its assets (B7), check-in (B9) and availability while composing (B8). 400 bad
 * input; 401 bad token; 403 not the organizer (changes); 404 not in the caller's mailbox; 409 a
 * conflict or a closed check-in; 429 per-user limit (Retry-After); 503 not configured.
 */
export function addinRouter(deps: AddinRouterDeps): Router {
  const router = Router();

  /** The caller of a request, once the token and the rate limit let it through. */
  const callerOf = async (req: Request, res: Response): Promise<AddinCaller> => {
    res.setHeader('Cache-Control', 'no-store');
    if (!deps.verifyToken) {
      throw new AppError(
        'ADDIN_NOT_CONFIGURED',
        'The add-in API is not configured on this server: set ADDIN_CLIENT_ID to the Entra ID client id of the add-in API.',
      );
    }
    const tenantId = await deps.tenantId();
    if (!tenantId) throw integrationNotConfigured();
    const caller = await deps.verifyToken(req.headers.authorization, tenantId);
    const retryAfter = deps.rateLimiter.take(`${caller.tenantId}:${caller.oid}`);
    if (retryAfter !== null) {
      res.setHeader('Retry-After', String(retryAfter));
      throw new AppError('RATE_LIMITED', `Too many requests: try again in ${retryAfter} s.`);
    }
    return caller;
  };
  const languageOfRequest = (req: Request): Language =>
    languageOf(
      typeof req.query.lang === 'string' ? req.query.lang : undefined,
      req.headers['accept-language'],
    );
  const itemIdOf = (req: Request): string => {
    const value = typeof req.query.itemId === 'string' ? req.query.itemId.trim() : '';
    if (!value || !ITEM_ID.test(value))
      throw badRequest('itemId must be the REST id of an event of your calendar.');
    return value;
  };

  router.get('/loan', async (req, res) => {
    const caller = await callerOf(req, res);
    const id = itemIdOf(req);
    const answer = await findAddinLoan(caller, id, languageOfRequest(req), deps.loans);
    deps.logger.debug(
      {
        event: 'addin.loan',
        user: caller.oid,
        ...('loan' in answer ? { loanId: answer.loan.id } : { reason: answer.reason.code }),
      },
      'add-in loan lookup',
    );
    res.json(answer);
  });

  router.get('/assets', async (req, res: Response<AddinAssetsResponse>) => {
    const caller = await callerOf(req, res);
    res.json(await listMeetingAssets(caller, itemIdOf(req), languageOfRequest(req), deps.actions));
  });

  router.post('/loan/items', jsonBody('4kb'), async (req, res: Response<LoanItemsChanged>) => {
    const caller = await callerOf(req, res);
    const body = parse(addItemBody, req.body);
    const changed = await addMeetingAsset(caller, body, languageOfRequest(req), deps.actions);
    deps.logger.info(
      {
        event: 'addin.asset_added',
        user: caller.oid,
        assetId: body.assetId,
        loans: changed.loans.map((l) => l.id),
      },
      'asset added to the meeting loan',
    );
    res.status(201).json(changed);
  });

  router.delete('/loan/items/:assetId', async (req, res) => {
    const caller = await callerOf(req, res);
    const query = parse(
      z.object({ assetId, scope }),
      { assetId: req.params.assetId, scope: req.query.scope },
      'request',
    );
    await removeMeetingAsset(caller, { itemId: itemIdOf(req), ...query }, deps.actions);
    deps.logger.info(
      { event: 'addin.asset_removed', user: caller.oid, assetId: query.assetId },
      'asset removed from the meeting loan',
    );
    res.status(204).end();
  });

  router.post('/loan/checkin', jsonBody('4kb'), async (req, res: Response<CheckInResponse>) => {
    const caller = await callerOf(req, res);
    const body = parse(checkInBody, req.body);
    const answer = await checkInMeeting(caller, body.itemId, languageOfRequest(req), deps.actions);
    deps.logger.info({ event: 'addin.checked_in', user: caller.oid, loanId: answer.loan.id }, 'checked in');
    res.json(answer);
  });

  router.post('/availability', jsonBody('8kb'), async (req, res: Response<AvailabilityResponse>) => {
    const caller = await callerOf(req, res);
    const body = parse(availabilityBody, req.body);
    // A saved meeting being edited: its own loan(s) hold its rooms, which is no conflict.
    const own = body.itemId ? (await meetingLoans(caller, body.itemId, undefined, deps.actions)).loans : [];
    res.json(
      await roomAvailability(
        { ...body, excludeLoanIds: own.map((l) => l.id) },
        languageOfRequest(req),
        deps.actions,
      ),
    );
  });
  return router;
}
