/**
 * Access tokens as Entra ID issues them: app-only tokens for Graph (roles = granted application
 * permissions), user tokens for the add-in's API in the format its manifest asks for (v1.0 by
 * default, v2.0 when `requestedAccessTokenVersion` is 2), and delegated Graph tokens obtained
 * on behalf of a user (OBO). Claims per entra-docs access-token-claims-reference.md: v1.0 carries
 * `upn`/`unique_name`/`appid`, v2.0 `preferred_username`/`azp`; Graph's own tokens are v1.0
 * (v2-oauth2-on-behalf-of-flow.md, "This access token is a v1.0-formatted token for Microsoft Graph").
 * Lifetimes use the REAL clock, not the emulator's: msal-node caches tokens by real time, and a
 * token judged expired by a clock that jumped ahead would never be renewed.
 */
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { GraphError } from '../errors';
import { stableGuid } from '../ids';
import type { AppRegistration, UserRecord } from '../model';
import type { EmulatorState } from '../state';
import { createSigningKey, type SigningKey } from './keys';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
/** Office's client id in NAA token requests: the client the user's token was issued to. */
const OFFICE_CLIENT_ID = 'ea5a67f6-b6f3-4338-b240-c655ddc3cc8e';

/** The app id of Graph's change notification publisher (GDC …with-resource-data.md, "How to validate"). */
export const NOTIFICATION_PUBLISHER_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

/** The v1.0 issuer is Entra's legacy STS whatever host issued the token (access-tokens.md). */
export const v1Issuer = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`;

export interface UserTokenRequest {
  upn: string;
  /** Defaults to the API app's Application ID URI (v1.0) or client id (v2.0). */
  audience?: string;
  /** Space-separated or a list; defaults to access_as_user. */
  scopes?: string | string[];
  expiresInSeconds?: number;
  tenantId?: string;
}

export interface GraphTokenClaims extends JWTPayload {
  appid?: string;
  azp?: string;
  tid: string;
  roles?: string[];
  scp?: string;
  oid?: string;
  idtyp?: string;
}

/** Why an OBO assertion is refused, as Entra's AADSTS code says it. */
export class AssertionError extends Error {
  constructor(
    readonly aadsts: number,
    message: string,
  ) {
    super(message);
    this.name = 'AssertionError';
  }
}

export class TokenIssuer {
  constructor(
    private readonly state: EmulatorState,
    private readonly key: SigningKey,
    private readonly authorityUrl: () => string,
  ) {}

  /** The v2.0 issuer: `{authority}/{tid}/v2.0`. */
  issuer(tenantId = this.state.tenant.id): string {
    return `${this.authorityUrl()}/${tenantId}/v2.0`;
  }

  private sign(
    claims: JWTPayload,
    audience: string,
    lifetimeSeconds: number,
    subject: string,
    signer: SigningKey = this.key,
  ) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.key.kid })
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt(now)
      .setNotBefore(now - 300)
      .setExpirationTime(now + lifetimeSeconds)
      .setJti(randomUUID())
      .sign(signer.privateKey);
  }

  async appToken(app: AppRegistration): Promise<string> {
    const tid = this.state.tenant.id;
    return this.sign(
      {
        iss: this.issuer(tid),
        appid: app.clientId,
        azp: app.clientId,
        app_displayname: app.displayName,
        idtyp: 'app',
        oid: stableGuid(`sp:${app.clientId}`),
        roles: [...app.permissions],
        tid,
        ver: '2.0',
      },
      GRAPH_AUDIENCE,
      3599,
      stableGuid(`sp:${app.clientId}`),
    );
  }

  /** A user's token for the add-in's API, in the version the API app asks for. */
  async userToken(req: UserTokenRequest): Promise<string> {
    const user = this.state.resolveUser(req.upn);
    if (!user) throw new GraphError(404, 'UserNotFound', `No user '${req.upn}' in the tenant.`);
    const api = this.state.apiApp;
    const tid = req.tenantId ?? this.state.tenant.id;
    const scp = Array.isArray(req.scopes) ? req.scopes.join(' ') : (req.scopes ?? api.scope);
    const common = { tid, oid: user.user.id, scp, name: user.user.displayName };
    const upn = user.user.userPrincipalName;
    const claims =
      api.accessTokenVersion === 1
        ? {
            ...common,
            iss: v1Issuer(tid),
            upn,
            unique_name: upn,
            appid: OFFICE_CLIENT_ID,
            appidacr: '0',
            amr: ['pwd'],
            acr: '1',
            ver: '1.0',
          }
        : {
            ...common,
            iss: this.issuer(tid),
            preferred_username: upn,
            azp: OFFICE_CLIENT_ID,
            azpacr: '0',
            ver: '2.0',
          };
    const audience = req.audience ?? (api.accessTokenVersion === 1 ? api.applicationIdUri : api.clientId);
    return this.sign(claims, audience, req.expiresInSeconds ?? 3600, stableGuid(`sub:${user.user.id}`));
  }

  /**
   * Checks an OBO assertion: a user's token of this tenant whose audience is the API app making
   * the request (its client id or Application ID URI). Throws the AADSTS reason otherwise.
   */
  async verifyAssertion(
    assertion: string,
    clientId: string,
  ): Promise<{ user: UserRecord; scopes: string[] }> {
    const api = this.state.apiApp;
    const expected = clientId === api.clientId ? [api.clientId, api.applicationIdUri] : [clientId];
    const tid = this.state.tenant.id;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(assertion, this.key.publicKey, {
        issuer: [v1Issuer(tid), this.issuer(tid)],
        algorithms: ['RS256'],
      }));
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_JWT_EXPIRED')
        throw new AssertionError(
          500133,
          'Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token.',
        );
      throw new AssertionError(50013, 'Assertion failed signature validation.');
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud ?? ''];
    if (!audiences.some((a) => expected.includes(a)))
      throw new AssertionError(
        500131,
        `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${audiences.join(',')}' and the expected audience is '${clientId}' or one of the Application Uris of this application with App ID '${clientId}'.`,
      );
    const user = typeof payload.oid === 'string' ? this.state.users.get(payload.oid) : undefined;
    if (!user || typeof payload.scp !== 'string')
      throw new AssertionError(50013, 'Assertion is not a user token of this tenant.');
    return { user, scopes: payload.scp.split(' ') };
  }

  /** A delegated Graph token (v1.0, as Graph's are) for the user, issued to the API app. */
  async delegatedGraphToken(user: UserRecord, scopes: string[], clientId: string): Promise<string> {
    const tid = this.state.tenant.id;
    const upn = user.user.userPrincipalName;
    return this.sign(
      {
        iss: v1Issuer(tid),
        appid: clientId,
        appidacr: '1',
        idtyp: 'user',
        oid: user.user.id,
        scp: scopes.join(' '),
        tid,
        upn,
        unique_name: upn,
        name: user.user.displayName,
        ver: '1.0',
      },
      GRAPH_AUDIENCE,
      3599,
      stableGuid(`graph-sub:${user.user.id}`),
    );
  }

  /**
   * A `validationTokens` entry of a rich notification POST: one per app and tenant in the batch,
   * `aud` = the subscribing app, `iss` = the tenant's v1.0 STS, `appid` = Graph's change
   * notification publisher (GDC concepts/change-notifications-with-resource-data.md, "Example JWT
   * token"; about 8 hours of life as in that example).
   */
  async notificationValidationToken(
    appId: string,
    tenantId = this.state.tenant.id,
    forged = false,
  ): Promise<string> {
    // A forger's token: the same claims and kid, signed by a key the tenant never published.
    const signer = forged ? createSigningKey() : this.key;
    return this.sign(
      {
        iss: v1Issuer(tenantId),
        idp: v1Issuer(tenantId),
        appid: NOTIFICATION_PUBLISHER_APP_ID,
        appidacr: '2',
        tid: tenantId,
        ver: '1.0',
      },
      appId,
      8 * 3600,
      stableGuid(`sp:${NOTIFICATION_PUBLISHER_APP_ID}`),
      signer,
    );
  }

  /** Verifies a Graph bearer token (app-only or delegated); throws Graph's 401 otherwise. */
  async verifyGraphToken(token: string): Promise<GraphTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key.publicKey, {
        issuer: [this.issuer(), v1Issuer(this.state.tenant.id)],
        audience: GRAPH_AUDIENCE,
        algorithms: ['RS256'],
      });
      return payload as GraphTokenClaims;
    } catch (err) {
      const expired = (err as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw new GraphError(
        401,
        'InvalidAuthenticationToken',
        expired
          ? 'Lifetime validation failed, the token is expired.'
          : 'Access token validation failure. Invalid audience, issuer or signature.',
      );
    }
  }
}
