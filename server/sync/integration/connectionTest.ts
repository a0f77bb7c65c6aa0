import type { ConnectionReport } from '../../../contract/admin';
import { AppError } from '../../errors';
import { createGraphGateway } from '../../graph/gateway';
import { checkPermissions } from '../../graph/permissions';
import { createTokenSource, tokenRoles, type Credentials } from '../../graph/token';
import type { GatewaySettings } from './graphAccess';

export interface ConnectionTestDeps {
  gateway: GatewaySettings;
  now: () => Date;
}

/**
 * S2: gets a token with these credentials (a refused one throws, with Entra ID's reason), probes
 * each required permission, and checks that the default user is a user of the tenant.
 */
export async function testConnection(
  credentials: Credentials,
  defaultUserEmail: string | null,
  deps: ConnectionTestDeps,
): Promise<ConnectionReport> {
  // A fresh msal client: a cached token would carry the permissions of an earlier consent.
  const token = await createTokenSource(credentials).getToken();
  const graph = createGraphGateway({ ...deps.gateway, tokens: { getToken: async () => token } });
  const report = await checkPermissions(graph, tokenRoles(token), defaultUserEmail);
  if (defaultUserEmail && report.granted.includes('User.Read.All')) {
    const user = await graph.getUser(defaultUserEmail).catch(() => undefined);
    if (user === null) {
      throw new AppError(
        'DEFAULT_USER_NOT_FOUND',
        `The default user ${defaultUserEmail} is not a user of the tenant of ${credentials.tenantId}.`,
      );
    }
  }
  const missing = report.missing.map((m) => m.permission);
  return {
    ok: missing.length === 0,
    testedAt: deps.now().toISOString(),
    tenantId: credentials.tenantId,
    grantedPermissions: report.granted,
    missingPermissions: report.missing,
    message:
      missing.length === 0
        ? 'Connected: every required permission is granted.'
        : `Connected, but these application permissions are missing: ${missing.join(', ')}. Grant them (with admin consent) in Entra ID.`,
  };
}

export type { ConnectionReport };
