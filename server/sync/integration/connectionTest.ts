import type { ConnectionReport } from '../../../contract/admin';
import { AppError } from '../../errors';
import { createGraphGateway, type GraphGateway } from '../../graph/gateway';
import { mailboxesOutsidePolicy } from '../../graph/mailboxAccess';
import { checkPermissions } from '../../graph/permissions';
import { createTokenSource, tokenRoles, type Credentials } from '../../graph/token';
import type { GatewaySettings } from './graphAccess';

export interface ConnectionTestDeps {
  gateway: GatewaySettings;
  now: () => Date;
}

/**
 * S2: gets a token with these credentials (a refused one throws, with Entra ID's reason), probes
 * each required permission, checks that the default user is a user of the tenant, and names the
 * default user's and the rooms' mailboxes an application access policy keeps the app out of.
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
  const policy = await accessPolicyFindings(graph, defaultUserEmail, report.granted);
  const messages = [
    missing.length === 0
      ? 'Connected: every required permission is granted.'
      : `Connected, but these application permissions are missing: ${missing.join(', ')}. Grant them (with admin consent) in Entra ID.`,
    ...policy.messages,
  ];
  return {
    ok: missing.length === 0 && policy.blocked.length === 0,
    testedAt: deps.now().toISOString(),
    tenantId: credentials.tenantId,
    grantedPermissions: report.granted,
    missingPermissions: report.missing,
    ...(policy.blocked.length ? { outsideAccessPolicy: policy.blocked } : {}),
    message: messages.join(' '),
  };
}

/** Rooms named one by one in the message, then counted. */
const NAMED_ROOMS = 10;

/**
 * README Azure step 7: the policy's group must hold the rooms and the default user. The rooms are
 * those of the Places API (without Place.Read.All, only the default user is checked).
 */
async function accessPolicyFindings(
  graph: GraphGateway,
  defaultUserEmail: string | null,
  granted: string[],
): Promise<{ blocked: string[]; messages: string[] }> {
  const rooms = granted.includes('Place.Read.All')
    ? (await graph.listRoomsFromPlaces().catch(() => [])).map((r) => r.email)
    : [];
  const defaultUser = defaultUserEmail?.toLowerCase() ?? null;
  const blocked = await mailboxesOutsidePolicy(graph, [...(defaultUser ? [defaultUser] : []), ...rooms]);
  const messages: string[] = [];
  if (defaultUser && blocked.includes(defaultUser)) {
    messages.push(
      `The default user's mailbox is outside the app's access policy (${defaultUser}): add it to the policy's group, ` +
        'or loans made in Hector for people outside the policy cannot be written to Outlook.',
    );
  }
  const blockedRooms = blocked.filter((m) => m !== defaultUser);
  if (blockedRooms.length > 0) {
    const named = blockedRooms.slice(0, NAMED_ROOMS).join(', ');
    const more = blockedRooms.length > NAMED_ROOMS ? ` and ${blockedRooms.length - NAMED_ROOMS} more` : '';
    messages.push(
      `${blockedRooms.length === 1 ? 'A room is' : `${blockedRooms.length} rooms are`} outside the app's access policy ` +
        `(${named}${more}): add ${blockedRooms.length === 1 ? 'it' : 'them'} to the policy's group, or ${blockedRooms.length === 1 ? 'its' : 'their'} meetings do not become loans.`,
    );
  }
  return { blocked, messages };
}

export type { ConnectionReport };
