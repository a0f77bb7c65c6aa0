import type { MissingPermission } from '../../contract/admin';
import { GraphCallError } from './errors';
import type { GraphGateway } from './gateway';

/** SPEC S2: each application permission and what goes wrong without it, in an admin's words. */
export const REQUIRED_PERMISSIONS: Record<string, string> = {
  'Calendars.Read': 'Room calendars cannot be read: events made in Outlook do not become loans.',
  'Calendars.ReadBasic.All': 'Room calendars cannot be read: subscriptions and availability of rooms fail.',
  'Calendars.ReadWrite':
    'Events cannot be written: loans made in Hector do not appear in Outlook, and cancelled loans do not remove their events.',
  'MailboxSettings.Read':
    'Room mailboxes cannot be told from user mailboxes: the room import through users fails.',
  'Place.Read.All':
    'Rooms cannot be listed through the Places API: the import falls back to users with a room mailbox (no address, building or capacity, no tags).',
  'User.Read.All':
    'Users cannot be read: organizers and the default user are not found, and the room import fallback fails.',
};

export type { MissingPermission };

export interface PermissionReport {
  granted: string[];
  missing: MissingPermission[];
}

/**
 * Which S2 permissions the app lacks: the token's roles name what an admin granted, and a probe
 * per readable permission confirms it (a 403 counts as missing even when the token says otherwise).
 * Calendars.ReadWrite cannot be probed without writing: the token's roles decide it.
 */
export async function checkPermissions(
  graph: GraphGateway,
  roles: string[] | undefined,
  defaultUserEmail: string | null,
): Promise<PermissionReport> {
  const forbidden = new Set<string>();
  const probe = async (permission: string, path: string): Promise<void> => {
    try {
      await graph.probe(path);
    } catch (error) {
      // A mailbox outside the app's access policy is not a missing permission (connectionTest names it).
      if (error instanceof GraphCallError && error.forbidden && !error.accessPolicyDenied)
        forbidden.add(permission);
    }
  };
  const mailbox = defaultUserEmail ? encodeURIComponent(defaultUserEmail) : undefined;
  await Promise.all([
    probe('Place.Read.All', '/places/microsoft.graph.room?$top=1'),
    probe('User.Read.All', '/users?$top=1&$select=id,accountEnabled'),
    ...(mailbox
      ? [
          probe('MailboxSettings.Read', `/users/${mailbox}/mailboxSettings`),
          probe('Calendars.Read', `/users/${mailbox}/events?$top=1`),
        ]
      : []),
  ]);
  const missing: MissingPermission[] = [];
  const granted: string[] = [];
  for (const [permission, breaks] of Object.entries(REQUIRED_PERMISSIONS)) {
    const lacking = forbidden.has(permission) || (roles !== undefined && !roles.includes(permission));
    if (lacking) missing.push({ permission, breaks });
    else granted.push(permission);
  }
  return { granted, missing };
}
