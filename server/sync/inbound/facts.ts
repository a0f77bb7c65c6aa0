import type { Loan } from '../../hector/port';
import type { MeetingLink } from '../../store/links';
import type { InboundFacts } from '../rules/plan';
import { needsOrganizerLookup, type OrganizerStanding } from '../rules/requester';
import type { SyncedRoom } from '../rules/syncedRoom';
import { listSyncedRooms } from '../syncedRooms';
import type { CopyRead, InboundDeps } from './deps';

/** What the rules decide from, and what the later steps need of it. */
export interface GatheredFacts {
  facts: InboundFacts;
  link: MeetingLink | null;
  /** The loan the meeting is linked to (or whose id its copy carries), found or not. */
  loanId: string | null;
  loan: Loan | null;
  syncedRooms: SyncedRoom[];
}

/** The meeting's link and loan, the copies we know of it, the synced rooms, the organizer (V1). */
export async function gatherFacts(read: CopyRead, deps: InboundDeps): Promise<GatheredFacts> {
  const { room, copy, copyId, iCalUId } = read;
  const link = await deps.links.findMeetingLink(iCalUId);
  // A loan made by outbound sync carries its id on the event; a link usually exists already.
  // (Only without a link: outbound unlinks a meeting it moved away from, whose copies still carry it.)
  const loanId = link ? link.loanId : (copy?.hectorLoanId ?? null);
  const loan = loanId ? await deps.hector.getLoan(loanId) : null;
  const copies = await deps.links.listRoomCopies(iCalUId);
  const syncedRooms = await listSyncedRooms(deps.hector);

  const facts: InboundFacts = {
    roomEmail: room,
    eventId: copyId,
    copy,
    otherLiveRooms: copies
      .filter((c) => c.state === 'live' && !(c.roomEmail === room && c.eventId === copyId))
      .map((c) => c.roomEmail),
    goneRooms: copies
      .filter(
        (c) => c.state === 'gone' && !copies.some((l) => l.roomEmail === c.roomEmail && l.state === 'live'),
      )
      .map((c) => c.roomEmail),
    loan,
    meetingModifiedAt: link?.meetingModifiedAt ?? null,
    syncedRooms,
    organizer: await organizerStanding(read, loan, deps),
    settings: read.settings,
  };
  return { facts, link, loanId, loan, syncedRooms };
}

/** V1: looked up only for primary-domain organizers, and not again for the loan's own requester. */
async function organizerStanding(
  read: CopyRead,
  loan: Loan | null,
  deps: InboundDeps,
): Promise<OrganizerStanding | null> {
  const email = read.copy?.organizer.email ?? null;
  if (!read.copy || read.copy.isCancelled || read.copy.type === 'seriesMaster') return null;
  if (!needsOrganizerLookup(email, read.settings.primaryDomain)) return null;
  if (loan && loan.requester.email.toLowerCase() === email) return 'member';
  return deps.organizers.standing(read.graph, email!);
}
