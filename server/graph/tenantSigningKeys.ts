import { createRemoteJWKSet } from 'jose';

export type TenantSigningKeys = ReturnType<typeof createRemoteJWKSet>;

/**
 * Entra ID's signing keys of each tenant (`{authority}/{tenant}/discovery/v2.0/keys`), one key set
 * per tenant: jose caches the keys and refetches on an unknown kid (key rollover). Users' tokens
 * and Graph's validation tokens are both signed with them.
 */
export function tenantSigningKeys(authorityUrl: string): (tenantId: string) => TenantSigningKeys {
  const keySets = new Map<string, TenantSigningKeys>();
  return (tenantId) => {
    let keys = keySets.get(tenantId);
    if (!keys) {
      const url = new URL(`${authorityUrl}/${encodeURIComponent(tenantId)}/discovery/v2.0/keys`);
      keys = createRemoteJWKSet(url, { timeoutDuration: 5000, cooldownDuration: 30_000 });
      keySets.set(tenantId, keys);
    }
    return keys;
  };
}
