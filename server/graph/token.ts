import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import { EntraError } from './errors';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** The tenant's OpenID configuration, as `{authority}/{tenant}/v2.0/.well-known/openid-configuration` serves it. */
export interface AuthorityMetadata {
  issuer: string;
  token_endpoint: string;
  authorization_endpoint: string;
  jwks_uri: string;
  [key: string]: unknown;
}

export interface TenantInfo {
  tenantId: string;
  metadata: AuthorityMetadata;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The tenant id behind a domain, from its OpenID configuration (the issuer names the tenant):
 * what an admin types is the domain, Entra ID wants the id.
 */
export async function resolveTenant(
  authorityUrl: string,
  domain: string,
  fetchImpl: typeof fetch = fetch,
): Promise<TenantInfo> {
  const url = `${authorityUrl}/${encodeURIComponent(domain)}/v2.0/.well-known/openid-configuration`;
  let response: Response;
  try {
    response = await fetchImpl(url, { signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new EntraError(
      'AUTHORITY_UNREACHABLE',
      `Entra ID (${new URL(authorityUrl).host}) could not be reached to look up the domain "${domain}".`,
    );
  }
  if (!response.ok) {
    throw new EntraError(
      'TENANT_NOT_FOUND',
      `No Microsoft 365 tenant was found for the domain "${domain}": check the primary domain.`,
    );
  }
  const metadata = (await response.json()) as AuthorityMetadata;
  const tenantId = GUID.exec(String(metadata.issuer ?? metadata.token_endpoint ?? ''))?.[0];
  if (!tenantId || !metadata.token_endpoint) {
    throw new EntraError(
      'TENANT_NOT_FOUND',
      `The OpenID configuration of "${domain}" does not name a tenant.`,
    );
  }
  return { tenantId: tenantId.toLowerCase(), metadata };
}

export interface Credentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  metadata: AuthorityMetadata;
}

export interface TokenSource {
  getToken(): Promise<string>;
}

/**
 * msal-node's options for a tenant whose configuration we already hold. msal refuses an http
 * authority and validates instance discovery, but never fetches `authorityMetadata` nor
 * `cloudDiscoveryMetadata` when given: so the authority is written https (only its host is used)
 * while the token endpoint inside the metadata may be http (the emulator) — TOOLCHAIN pitfalls.
 */
export function msalConfiguration(credentials: Credentials): Configuration {
  const host = new URL(credentials.metadata.token_endpoint).host;
  return {
    auth: {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      authority: `https://${host}/${credentials.tenantId}`,
      knownAuthorities: [host],
      authorityMetadata: JSON.stringify(credentials.metadata),
      cloudDiscoveryMetadata: JSON.stringify({
        tenant_discovery_endpoint: `https://${host}/${credentials.tenantId}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      }),
    },
    system: { disableInternalRetries: false },
  };
}

/** AADSTS codes an admin can act on, in words. */
function explain(error: unknown): EntraError {
  const e = error as { errorCode?: string; errorMessage?: string; message?: string };
  const text = `${e?.errorCode ?? ''} ${e?.errorMessage ?? e?.message ?? ''}`;
  if (/7000215|7000222|invalid_client/.test(text)) {
    return new EntraError(
      'INVALID_CLIENT_SECRET',
      'Entra ID refused the client secret: enter the secret value (not its id) of a secret that has not expired.',
    );
  }
  if (/700016|unauthorized_client/.test(text)) {
    return new EntraError(
      'UNKNOWN_CLIENT_ID',
      'Entra ID does not know this client (application) id in the tenant of the primary domain.',
    );
  }
  if (/90002|invalid_tenant/.test(text)) {
    return new EntraError(
      'TENANT_NOT_FOUND',
      'Entra ID does not know this tenant: check the primary domain.',
    );
  }
  if (/network|fetch failed|ECONNREFUSED|ENOTFOUND|timed out/i.test(text)) {
    return new EntraError('AUTHORITY_UNREACHABLE', 'Entra ID could not be reached to get a token.');
  }
  return new EntraError('TOKEN_REFUSED', 'Entra ID did not issue a token for these settings.');
}

/** Client-credentials tokens for Graph; msal caches them until shortly before they expire. */
export function createTokenSource(credentials: Credentials): TokenSource {
  const msal = new ConfidentialClientApplication(msalConfiguration(credentials));
  return {
    async getToken() {
      let result;
      try {
        result = await msal.acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
      } catch (error) {
        throw explain(error);
      }
      if (!result?.accessToken) throw new EntraError('TOKEN_REFUSED', 'Entra ID returned no access token.');
      return result.accessToken;
    },
  };
}

/** The application permissions (`roles`) an app-only token carries; undefined when it is opaque. */
export function tokenRoles(accessToken: string): string[] | undefined {
  const parts = accessToken.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { roles?: unknown };
    return Array.isArray(payload.roles) ? payload.roles.map(String) : [];
  } catch {
    return undefined;
  }
}
