/**
 * The on-behalf-of grant (entra-docs v2-oauth2-on-behalf-of-flow.md): the add-in's API, a
 * confidential client, trades the user's token it received (`assertion`, whose audience must be
 * that API) for a delegated Graph token carrying only the Graph permissions an admin consented to.
 * Refusals are `invalid_grant` with the AADSTS code Entra ID gives: 500131 audience, 500133
 * expired, 50013 signature, 65001 no consent (AzureAD msal issues #389, azure-docs #16399).
 */
import type { Response } from 'express';
import type { Stats } from '../faults';
import type { EmulatorState } from '../state';
import { entraError, unknownClient } from './entraError';
import { AssertionError, GRAPH_AUDIENCE, type TokenIssuer } from './tokens';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Scopes every OBO request may carry besides the resource's (msal-node adds them). */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

interface OboDeps {
  state: EmulatorState;
  tokens: TokenIssuer;
  stats: Stats;
}

interface OboRequest {
  clientId: string | undefined;
  secret: string | undefined;
  body: Record<string, string | undefined>;
}

export async function obo(deps: OboDeps, req: OboRequest, res: Response): Promise<void> {
  const { state } = deps;
  const api = state.apiApp;
  const { body } = req;
  if (body.requested_token_use !== 'on_behalf_of' || !body.assertion) {
    entraError(
      res,
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'assertion' and requested_token_use=on_behalf_of.",
    );
    return;
  }
  // The middle tier: the add-in's API, or any registered app (then only a token for it will do).
  const app = state.apps.get(req.clientId ?? '');
  if (req.clientId !== api.clientId && !app) {
    unknownClient(res, req.clientId, state.tenant.displayName);
    return;
  }
  const clientId = req.clientId!;
  // One registration may be both the add-in's API and the Graph app: its one secret then.
  const secret = app?.clientSecret ?? api.clientSecret;
  if (!req.secret || req.secret !== secret) {
    entraError(
      res,
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    );
    return;
  }
  let asserted;
  try {
    asserted = await deps.tokens.verifyAssertion(body.assertion, clientId);
  } catch (err) {
    if (!(err instanceof AssertionError)) throw err;
    entraError(res, 400, 'invalid_grant', err.aadsts, err.message);
    return;
  }
  const requested = (body.scope ?? '').split(' ').filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase()));
  const graphScopes = requested.map((s) =>
    s.toLowerCase().startsWith(`${GRAPH_AUDIENCE}/`) ? s.slice(GRAPH_AUDIENCE.length + 1) : null,
  );
  if (!graphScopes.length || graphScopes.some((s) => s === null)) {
    entraError(
      res,
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid: '${body.scope ?? ''}' (this emulator issues OBO tokens for Microsoft Graph only).`,
    );
    return;
  }
  const consented = clientId === api.clientId ? api.delegatedPermissions : [];
  const granted = graphScopes.includes('.default')
    ? [...consented]
    : graphScopes.map((s) => consented.find((c) => c.toLowerCase() === s!.toLowerCase()));
  if (!granted.length || granted.some((g) => g === undefined)) {
    entraError(
      res,
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`,
    );
    return;
  }
  const scopes = granted as string[];
  deps.stats.oboTokens++;
  const clientInfo = Buffer.from(
    JSON.stringify({ uid: asserted.user.user.id, utid: state.tenant.id }),
  ).toString('base64url');
  res.json({
    token_type: 'Bearer',
    scope: scopes.map((s) => `${GRAPH_AUDIENCE}/${s}`).join(' '),
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: await deps.tokens.delegatedGraphToken(asserted.user, scopes, clientId),
    ...(body.client_info === '1' ? { client_info: clientInfo } : {}),
  });
}
