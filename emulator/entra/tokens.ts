/**
 * Access tokens as Entra ID issues them: app-only tokens for Graph (roles = granted application
 * permissions) and delegated user tokens for the add-in's API (scp = access_as_user).
 * Lifetimes use the REAL clock, not the emulator's: msal-node caches tokens by real time, and a
 * token judged expired by a clock that jumped ahead would never be renewed.
 */
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { GraphError } from '../errors';
import { stableGuid } from '../ids';
import type { AppRegistration } from '../model';
import type { EmulatorState } from '../state';
import type { SigningKey } from './keys';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

export interface UserTokenRequest {
  upn: string;
  /** Defaults to the API app's client id. */
  audience?: string;
  /** Space-separated or a list; defaults to access_as_user. */
  scopes?: string | string[];
  expiresInSeconds?: number;
  tenantId?: string;
}

export interface AppTokenClaims extends JWTPayload {
  appid: string;
  tid: string;
  roles?: string[];
}

export class TokenIssuer {
  constructor(
    private readonly state: EmulatorState,
    private readonly key: SigningKey,
    private readonly authorityUrl: () => string,
  ) {}

  issuer(tenantId = this.state.tenant.id): string {
    return `${this.authorityUrl()}/${tenantId}/v2.0`;
  }

  async appToken(app: AppRegistration): Promise<string> {
    const tid = this.state.tenant.id;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      appid: app.clientId,
      azp: app.clientId,
      app_displayname: app.displayName,
      idtyp: 'app',
      oid: stableGuid(`sp:${app.clientId}`),
      roles: [...app.permissions],
      tid,
      ver: '2.0',
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.key.kid })
      .setIssuer(this.issuer(tid))
      .setAudience(GRAPH_AUDIENCE)
      .setSubject(stableGuid(`sp:${app.clientId}`))
      .setIssuedAt(now)
      .setNotBefore(now - 300)
      .setExpirationTime(now + 3599)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
  }

  async userToken(req: UserTokenRequest): Promise<string> {
    const user = this.state.resolveUser(req.upn);
    if (!user) throw new GraphError(404, 'UserNotFound', `No user '${req.upn}' in the tenant.`);
    const tid = req.tenantId ?? this.state.tenant.id;
    const scopes = Array.isArray(req.scopes) ? req.scopes.join(' ') : (req.scopes ?? this.state.apiApp.scope);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      tid,
      oid: user.user.id,
      scp: scopes,
      preferred_username: user.user.userPrincipalName,
      name: user.user.displayName,
      azp: 'ea5a67f6-b6f3-4338-b240-c655ddc3cc8e', // Office's client id in NAA token requests
      ver: '2.0',
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.key.kid })
      .setIssuer(this.issuer(tid))
      .setAudience(req.audience ?? this.state.apiApp.clientId)
      .setSubject(stableGuid(`sub:${user.user.id}`))
      .setIssuedAt(now)
      .setNotBefore(now - 300)
      .setExpirationTime(now + (req.expiresInSeconds ?? 3600))
      .setJti(randomUUID())
      .sign(this.key.privateKey);
  }

  /** Verifies a Graph bearer token; throws Graph's 401 otherwise. */
  async verifyAppToken(token: string): Promise<AppTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key.publicKey, {
        issuer: this.issuer(),
        audience: GRAPH_AUDIENCE,
        algorithms: ['RS256'],
      });
      return payload as AppTokenClaims;
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
