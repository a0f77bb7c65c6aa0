import type { EmulatorControl } from '../../emulator/control/control';

/**
 * Whether an emulator subscription is the one on this room's calendar. The service names mailboxes
 * by object id (Graph does not find a mail that is not the UPN, GRAPH-FACTS "Real tenants"), so the
 * resource holds the room's id, not its e-mail; either matches here.
 */
export function isRoomSubscription(
  control: EmulatorControl,
  roomEmail: string,
): (s: { resource?: string | null }) => boolean {
  const email = roomEmail.toLowerCase();
  const id = control
    .state()
    .users.find((u) => u.mail?.toLowerCase() === email)
    ?.id?.toLowerCase();
  return (s) => {
    const resource = s.resource?.toLowerCase() ?? '';
    return resource.includes(email) || (!!id && resource.includes(id));
  };
}
