import { Router } from 'express';
import { AppError, badRequest, integrationNotConfigured } from '../errors';
import { findAddinLoan, type AddinLoanDeps } from '../sync/addin/addinLoan';
import { languageOf } from '../sync/addin/loanView';
import type { RateLimiter } from './rateLimit';
import type { TokenVerifier } from './userTokens';
import type { Logger } from '../logger';

export interface AddinRouterDeps {
  /** null when ADDIN_CLIENT_ID is not set: every request answers 503. */
  verifyToken: TokenVerifier | null;
  /** The configured tenant (integration settings); null when the integration is not saved. */
  tenantId(): Promise<string | null>;
  rateLimiter: RateLimiter;
  loans: AddinLoanDeps;
  logger: Logger;
}

/** REST item ids are base64url (Office's convertToRestId); no dots or slashes that could reshape a Graph path. */
const ITEM_ID = /^[A-Za-z0-9_=~+-]{1,1024}$/;

/**
 * `GET /api/addin/loan?itemId=…[&lang=fr]` with `Authorization: Bearer <user token>` (flow 8):
 * 200 `{loan}` or `{reason}`; 400 bad itemId; 401 bad token; 404 not in the caller's mailbox;
 * 429 per-user limit (Retry-After); 503 add-in API or integration not configured.
 */
export function addinRouter(deps: AddinRouterDeps): Router {
  const router = Router();
  router.get('/loan', async (req, res) => {
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

    const itemId = typeof req.query.itemId === 'string' ? req.query.itemId.trim() : '';
    if (!itemId || !ITEM_ID.test(itemId)) {
      throw badRequest('itemId must be the REST id of an event of your calendar.');
    }
    const lang = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    const language = languageOf(lang, req.headers['accept-language']);
    const answer = await findAddinLoan(caller, itemId, language, deps.loans);
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
  return router;
}
