/**
 * OpenID configuration and the msal-node options that make msal talk to the emulator. msal-node
 * refuses an http authority and validates the issuer of a discovered configuration, but it takes
 * the configuration as `authorityMetadata` (never fetched, so the endpoints may be http) and skips
 * instance discovery for a host in `knownAuthorities` / `cloudDiscoveryMetadata`
 * (GRAPH-FACTS "Entra ID", TOOLCHAIN "Pitfalls").
 */
export interface OpenIdConfiguration {
  issuer: string;
  token_endpoint: string;
  jwks_uri: string;
  authorization_endpoint: string;
  end_session_endpoint: string;
  [key: string]: unknown;
}

export function openIdConfiguration(authorityUrl: string, tenantId: string): OpenIdConfiguration {
  const base = `${authorityUrl}/${tenantId}`;
  return {
    issuer: `${base}/v2.0`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'tid',
      'oid',
      'preferred_username',
      'name',
    ],
    request_uri_parameter_supported: false,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

export interface MsalAuthOptions {
  authority: string;
  knownAuthorities: string[];
  authorityMetadata: string;
  cloudDiscoveryMetadata: string;
}

/**
 * The `auth` options (besides clientId/clientSecret) for `new ConfidentialClientApplication`.
 * The authority is always written https (msal refuses http); nothing is fetched from it because
 * both metadata documents are given.
 */
export function msalAuthOptions(authorityUrl: string, tenantId: string): MsalAuthOptions {
  const host = new URL(authorityUrl).host;
  return {
    authority: `https://${host}/${tenantId}`,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify(openIdConfiguration(authorityUrl, tenantId)),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${authorityUrl}/${tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    }),
  };
}
