import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../errors';
import type { AddinCaller } from '../sync/addin/addinLoan';

/**
 * Validation of the users' Entra ID tokens for our API (flow 8), as the NAA identity sample does
 * (GRAPH-FACTS "Token validation"): keys from the tenant's jwks_uri, RS256 only, exp/nbf, issuer
 * `{authority}/{tid}/v2.0`, audience = our API (its client id or its `api://…/{clientId}` URI),
 * `tid` = the configured tenant, `scp` holding our scope. The caller is `oid` within `tid`.
 */
export interface TokenVerifierOptions {
  /** e.g. https://login.microsoftonline.com (no trailing slash). */
  authorityUrl: string;
  clientId: string;
  scope: string;
}

export type TokenVerifier = (authorization: string | undefined, tenantId: string) => Promise<AddinCaller>;

const invalidToken = (message: string): AppError => new AppError('INVALID_TOKEN', message);

/** The Bearer token of an Authorization header, or null. */
export function bearerOf(authorization: string | undefined): string | null {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization ?? '');
  return match ? match[1] : null;
}

/** `aud` is our client id, or an application ID URI `api://<anything>/<clientId>`. */
export function isOurAudience(aud: JWTPayload['aud'], clientId: string): boolean {
  const list = Array.isArray(aud) ? aud : aud ? [aud] : [];
  const id = clientId.toLowerCase();
  return list.some((a) => {
    const value = a.toLowerCase();
    return value === id || (value.startsWith('api://') && value.endsWith(`/${id}`));
  });
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  // One key set per tenant; jose caches the keys and refetches on an unknown kid (key rollover).
  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  const keysOf = (tenantId: string) => {
    let keys = keySets.get(tenantId);
    if (!keys) {
      const url = new URL(`${options.authorityUrl}/${encodeURIComponent(tenantId)}/discovery/v2.0/keys`);
      keys = createRemoteJWKSet(url, { timeoutDuration: 5000, cooldownDuration: 30_000 });
      keySets.set(tenantId, keys);
    }
    return keys;
  };

  return async (authorization, tenantId) => {
    const token = bearerOf(authorization);
    if (!token)
      throw invalidToken('Sign-in required: send Authorization: Bearer <your token for this add-in>.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keysOf(tenantId), {
        algorithms: ['RS256'],
        issuer: `${options.authorityUrl}/${tenantId}/v2.0`,
        requiredClaims: ['exp', 'tid', 'oid'],
      }));
    } catch (error) {
      // Our failure to reach the tenant's keys is not the caller's fault: 503, not 401.
      if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError)) {
        throw new AppError(
          'UPSTREAM_ERROR',
          'The signing keys of the tenant could not be read; try again shortly.',
        );
      }
      throw invalidToken(describe(error));
    }
    if (payload.tid !== tenantId) throw invalidToken('The token was issued for another tenant.');
    if (!isOurAudience(payload.aud, options.clientId)) {
      throw invalidToken('The token was issued for another application (wrong audience).');
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(options.scope)) {
      throw invalidToken(`The token does not carry the ${options.scope} scope.`);
    }
    const upn = typeof payload.preferred_username === 'string' ? payload.preferred_username : null;
    return { tenantId, oid: String(payload.oid), upn };
  };
}

/** What went wrong, for a person, without echoing the token. */
function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired: sign in again.';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'The token was issued by another authority or tenant.';
    if (error.claim === 'nbf') return 'The token is not valid yet.';
    return `The token lacks a valid ${error.claim} claim.`;
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey)
    return 'The token is not signed by a key of this tenant.';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The token is not signed with RS256.';
  return 'The token is not a valid signed token of this tenant.';
}
