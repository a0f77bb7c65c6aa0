/**
 * B5, rooms that need a delegate's approval: a request waits on the room's calendar as
 * `tentativelyAccepted` until a delegate accepts (the loan goes from pending approval to new) or
 * declines (the room's copy goes: the room leaves the loan). No I/O here.
 *
 * A room's answer is read from its own copy or from the organizer's copy only: every other copy
 * shows `none` for everyone (docs#5281, docs#4579).
 */
import type { Loan } from '../../hector/port';
import type { RoomCopy } from './roomCopy';
import type { SyncedRoom } from './syncedRoom';

export type Approval = 'pending' | 'approved';

/** A room's own copy, or the organizer's copy for that room, waiting for a delegate. */
const TENTATIVE = 'tentativelyAccepted';

export interface ApprovalFacts {
  /** The room whose copy was read, and that copy (null: the room left). */
  roomEmail: string;
  copy: RoomCopy | null;
  /** The rooms the loan is to keep. */
  rooms: SyncedRoom[];
  loan: Loan | null;
  /** The organizer's copy, when read (undefined: not read; null: not found). */
  organizerMeeting?: RoomCopy | null;
}

/**
 * Only loans made from meetings follow their rooms' approval: a loan made in Hector keeps the
 * status its people gave it (Hector's own approval is theirs to give).
 */
const followsRooms = (loan: Loan | null): boolean => !loan || loan.origin === 'outlook';

/** Whether the other rooms' answers are needed: the loan waits and this room is not what keeps it waiting. */
export function needsOrganizerForApproval(f: ApprovalFacts): boolean {
  if (!f.loan || !followsRooms(f.loan) || f.loan.status !== 'pending_approval') return false;
  if (isPendingHere(f)) return false;
  return f.rooms.some((r) => r.email !== f.roomEmail);
}

/** B5: pending while any room of the loan waits for its delegate; undefined = leave the status as it is. */
export function approvalOf(f: ApprovalFacts): Approval | undefined {
  if (!followsRooms(f.loan) || f.rooms.length === 0) return undefined;
  if (isPendingHere(f)) return 'pending';
  const others = f.rooms.filter((r) => r.email !== f.roomEmail);
  if (f.organizerMeeting) {
    const waiting = new Set(
      f.organizerMeeting.attendees.filter((a) => a.response === TENTATIVE).map((a) => a.email),
    );
    return others.some((r) => waiting.has(r.email)) ? 'pending' : 'approved';
  }
  if (others.length === 0) return f.copy ? 'approved' : undefined;
  // Other rooms' answers unknown: a loan that waits keeps waiting; a new one is new, and a room
  // still waiting makes it pending when its own copy is read.
  return f.loan?.status === 'pending_approval' ? undefined : 'approved';
}

function isPendingHere(f: ApprovalFacts): boolean {
  return f.copy !== null && f.copy.response === TENTATIVE && f.rooms.some((r) => r.email === f.roomEmail);
}
