/**
 * Entra ID endpoints: OpenID configuration (v2.0 and v1.0), JWKS and the token endpoint —
 * client credentials, and the on-behalf-of grant (entra-docs v2-oauth2-on-behalf-of-flow.md) —
 * with Entra's error bodies (`{error, error_description: "AADSTS…"}`).
 */
import express, { type Request, type Response } from 'express';
import type { Stats } from '../faults';
import type { EmulatorState } from '../state';
import { entraError, unknownClient } from './entraError';
import type { SigningKey } from './keys';
import { openIdConfiguration } from './metadata';
import { obo, JWT_BEARER } from './obo';
import { v1Issuer, type TokenIssuer } from './tokens';

const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

export function entraRouter(deps: {
  state: EmulatorState;
  key: SigningKey;
  tokens: TokenIssuer;
  authorityUrl: () => string;
  stats: Stats;
}): express.Router {
  const { state } = deps;
  const router = express.Router();

  /** The tenant segment may be the tenant id or its primary domain, as with Entra ID. */
  const tenantOf = (req: Request, res: Response): string | null => {
    const seg = String(req.params.tenant).toLowerCase();
    if (seg === state.tenant.id || seg === state.tenant.primaryDomain.toLowerCase()) return state.tenant.id;
    entraError(
      res,
      400,
      'invalid_tenant',
      90002,
      `Tenant '${req.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
    return null;
  };

  router.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const tid = tenantOf(req, res);
    if (tid) res.json(openIdConfiguration(deps.authorityUrl(), tid));
  });

  router.get('/:tenant/discovery/v2.0/keys', (req, res) => {
    if (tenantOf(req, res)) res.json({ keys: [deps.key.jwk] });
  });

  // v1.0 tokens are validated against the v1.0 document (access-tokens.md "v1.0 and v2.0 tokens"):
  // same keys, issuer https://sts.windows.net/{tid}/.
  router.get('/:tenant/.well-known/openid-configuration', (req, res) => {
    const tid = tenantOf(req, res);
    if (!tid) return;
    const base = `${deps.authorityUrl()}/${tid}`;
    res.json({
      ...openIdConfiguration(deps.authorityUrl(), tid),
      issuer: v1Issuer(tid),
      token_endpoint: `${base}/oauth2/token`,
      authorization_endpoint: `${base}/oauth2/authorize`,
      end_session_endpoint: `${base}/oauth2/logout`,
      jwks_uri: `${deps.authorityUrl()}/common/discovery/keys`,
    });
  });
  router.get('/:tenant/discovery/keys', (req, res) => {
    if (req.params.tenant === 'common' || tenantOf(req, res)) res.json({ keys: [deps.key.jwk] });
  });

  router.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false }), async (req, res) => {
    if (!tenantOf(req, res)) return;
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    // client_secret_basic is accepted as well as form fields.
    let clientId = body.client_id;
    let secret = body.client_secret;
    const basic = /^Basic (.+)$/i.exec(req.header('authorization') ?? '');
    if (basic) {
      const [id, s] = Buffer.from(basic[1], 'base64').toString().split(':');
      clientId = decodeURIComponent(id);
      secret = decodeURIComponent(s ?? '');
    }
    if (body.grant_type === JWT_BEARER) {
      await obo({ state, tokens: deps.tokens, stats: deps.stats }, { clientId, secret, body }, res);
      return;
    }
    if (body.grant_type !== 'client_credentials') {
      entraError(
        res,
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${body.grant_type ?? ''}'.`,
      );
      return;
    }
    const app = clientId ? state.apps.get(clientId) : undefined;
    if (!app) {
      unknownClient(res, clientId, state.tenant.displayName);
      return;
    }
    if (!secret || secret !== app.clientSecret) {
      entraError(
        res,
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app ' +
          `'${app.clientId}'.`,
      );
      return;
    }
    const scopes = (body.scope ?? '').split(' ').filter(Boolean);
    if (!scopes.includes(GRAPH_DEFAULT_SCOPE)) {
      entraError(
        res,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${body.scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
      return;
    }
    res.json({
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: await deps.tokens.appToken(app),
    });
  });

  return router;
}
