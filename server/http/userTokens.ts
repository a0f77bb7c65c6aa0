import { errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { tenantSigningKeys } from '../graph/tenantSigningKeys';
import { AppError } from '../errors';
import type { AddinCaller } from '../sync/addin/addinLoan';

/**
 * Validation of the users' Entra ID tokens for our API (flow 8), as the NAA identity sample does
 * (GRAPH-FACTS "Token validation"): keys from the tenant's jwks_uri, RS256 only, exp/nbf,
 * `tid` = the configured tenant, `scp` holding our scope. The caller is `oid` within `tid`.
 *
 * Both token versions (entra-docs access-tokens.md: an API gets v1.0 unless its manifest sets
 * `requestedAccessTokenVersion` to 2), each with its own issuer: v1.0 `https://sts.windows.net/{tid}/`,
 * v2.0 `{authority}/{tid}/v2.0`. Both are signed by the same tenant keys. The audience must be
 * exactly our client id or our Application ID URI (v1.0 carries the URI the client asked for).
 * The user's name is `upn` (v1.0) or `preferred_username` (v2.0).
 */
export interface TokenVerifierOptions {
  /** e.g. https://login.microsoftonline.com (no trailing slash). */
  authorityUrl: string;
  clientId: string;
  /** The Application ID URI, e.g. api://hector.example.org/<clientId>. */
  appIdUri: string;
  scope: string;
}

/** Entra's v1.0 issuer is its legacy STS host whatever the authority (access-tokens.md). */
export const v1Issuer = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`;

export type TokenVerifier = (authorization: string | undefined, tenantId: string) => Promise<AddinCaller>;

const invalidToken = (message: string): AppError => new AppError('INVALID_TOKEN', message);

/** The Bearer token of an Authorization header, or null. */
export function bearerOf(authorization: string | undefined): string | null {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(authorization ?? '');
  return match ? match[1] : null;
}

/**
 * `aud` is exactly our client id or our Application ID URI (case aside: Entra ID compares App ID
 * URIs in lower case, AzureAD issue OfficeDev/microsoft-teams-apps-company-communicator#214).
 */
export function isOurAudience(aud: JWTPayload['aud'], clientId: string, appIdUri: string): boolean {
  const list = Array.isArray(aud) ? aud : aud ? [aud] : [];
  const ours = new Set([clientId.toLowerCase(), appIdUri.toLowerCase()]);
  return list.some((a) => ours.has(a.toLowerCase()));
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keysOf = tenantSigningKeys(options.authorityUrl);

  return async (authorization, tenantId) => {
    const token = bearerOf(authorization);
    if (!token)
      throw invalidToken('Sign-in required: send Authorization: Bearer <your token for this add-in>.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keysOf(tenantId), {
        algorithms: ['RS256'],
        issuer: [v1Issuer(tenantId), `${options.authorityUrl}/${tenantId}/v2.0`],
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
    // Each version comes from its own issuer; a token whose ver and iss disagree is not Entra's.
    const v1 = payload.iss === v1Issuer(tenantId);
    if (payload.ver !== (v1 ? '1.0' : '2.0'))
      throw invalidToken(
        'The token was issued by another authority or tenant (version and issuer disagree).',
      );
    if (!isOurAudience(payload.aud, options.clientId, options.appIdUri)) {
      throw invalidToken('The token was issued for another application (wrong audience).');
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(options.scope)) {
      throw invalidToken(`The token does not carry the ${options.scope} scope.`);
    }
    const name = v1 ? (payload.upn ?? payload.unique_name) : payload.preferred_username;
    const upn = typeof name === 'string' ? name : null;
    return { tenantId, oid: String(payload.oid), upn, assertion: token };
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
