/**
 * Outlook → Hector, the plan (flow 4): what the loan should be, as this room's copy and the other
 * copies we know say — before V4 availability, which needs Hector. No I/O here.
 */
import type { Loan } from '../../hector/port';
import { roundEndUp, roundStartDown } from '../../hector/time';
import { approvalOf, type Approval } from './approval';
import {
  chooseRequester,
  type IntegrationSettingsFacts,
  type OrganizerStanding,
  type RequesterChoice,
} from './requester';
import type { RoomCopy } from './roomCopy';
import type { SyncedRoom } from './syncedRoom';
import { joinReasons } from './wording';

export interface InboundFacts {
  /** The room whose copy changed, and the copy's id. */
  roomEmail: string;
  eventId: string;
  /** The room's copy as read now; null when Graph answered 404 (the room left, or the meeting is gone). */
  copy: RoomCopy | null;
  /** Rooms whose copies of this meeting we know to be live, other than this one (lower case). */
  otherLiveRooms: string[];
  /** Rooms whose copies of this meeting we have seen leave (deleted, declined, cancelled), none live. */
  goneRooms?: string[];
  /** The linked loan, if any. */
  loan: Loan | null;
  /** lastModifiedDateTime of the copy the loan's dates and requester currently follow. */
  meetingModifiedAt: string | null;
  syncedRooms: SyncedRoom[];
  /** The organizer's standing in the tenant (null when not looked up). */
  organizer: OrganizerStanding | null;
  /**
   * The organizer's own copy of the meeting, read only when this room left and no room of the
   * loan is left, or when a loan waiting for approval needs the other rooms' answers (B5)
   * (undefined: not read; null: the organizer has no such meeting any more).
   */
  organizerMeeting?: RoomCopy | null;
  settings: IntegrationSettingsFacts;
}

export interface DesiredLoan {
  requester: { email: string; name?: string };
  start: Date;
  end: Date;
  rooms: SyncedRoom[];
  storeId: string | null;
  /** Whether the dates and requester come from this copy (false: a stale copy, the loan's kept). */
  followsCopy: boolean;
  /** The linked loan was cancelled or refused, and the meeting changed since: a new booking. */
  rebooked?: boolean;
  /** B5: a room waits for its delegate (pending approval) or none does (new); absent: as it is. */
  approval?: Approval;
}

export type Plan =
  | { kind: 'want'; desired: DesiredLoan; reasons: string[] }
  | { kind: 'cancel'; reason: string }
  | { kind: 'ignore'; reason: string }
  /** Not yet: rooms the meeting moved to have not answered; read again later, else `cancel`. */
  | { kind: 'wait'; reason: string; cancel: string };

/** A series master holds no loan: each of its occurrences does (B3). */
export const SERIES_MASTER_REASON = 'a series is synced occurrence by occurrence';

const nameOf = (rooms: SyncedRoom[], email: string): string =>
  rooms.find((r) => r.email === email)?.name ?? email;

/** The loan as this copy says it should be (before V4 availability, which needs Hector). */
export function planLoan(f: InboundFacts): Plan {
  const synced = new Map(f.syncedRooms.map((r) => [r.email, r]));
  const roomName = nameOf(f.syncedRooms, f.roomEmail);

  if (!f.copy) {
    // OX1 / OU1: this room no longer holds the meeting; the others stay as they are.
    if (!f.loan)
      return { kind: 'ignore', reason: `${roomName} no longer holds the meeting and no loan is linked` };
    // A room invited again holds a new copy (a new id): the old copy's late 404 is not its leaving.
    const stillHere = f.otherLiveRooms.includes(f.roomEmail);
    const rooms = activePlaceEmails(f.loan)
      .filter((e) => e !== f.roomEmail || stillHere)
      .map((e) => synced.get(e))
      .filter((r): r is SyncedRoom => Boolean(r));
    if (stillHere) return { kind: 'want', desired: keepLoan(f.loan, rooms), reasons: [] };
    const reason = `${roomName} left the meeting (its copy is gone: removed, declined or cancelled)`;
    if (rooms.length > 0) {
      // B5: the room that left may have been the one the loan waited for.
      const approval = approvalOf({ ...f, rooms, copy: null });
      return { kind: 'want', desired: { ...keepLoan(f.loan, rooms), approval }, reasons: [reason] };
    }
    return afterLastRoomLeft(f, synced, reason);
  }

  const copy = f.copy;
  // B3: a series is decided occurrence by occurrence (each copy here is a single or one occurrence).
  if (copy.type === 'seriesMaster') return { kind: 'ignore', reason: SERIES_MASTER_REASON };
  if (copy.isCancelled) return { kind: 'cancel', reason: 'the meeting was cancelled' };

  const reasons: string[] = [];
  // V3: a room that declined keeps no copy; only the organizer's copy says so (a room's copy shows
  // `none` for the others: docs#5281), read when a new loan's meeting invites rooms not seen yet.
  const declined = new Set(
    [...copy.attendees, ...(f.organizerMeeting?.attendees ?? [])]
      .filter((a) => a.response === 'declined' && synced.has(a.email))
      .map((a) => a.email),
  );
  for (const email of [...declined].sort()) reasons.push(`${synced.get(email)!.name} a refusé l'invitation`);
  // A copy older than the one the loan follows must not move the loan back (reordered jobs).
  const followsCopy =
    !f.loan || !f.meetingModifiedAt || !copy.lastModified || copy.lastModified >= f.meetingModifiedAt;
  // OC3 / V3: the synced rooms whose copies exist and are not cancelled. A current copy's
  // attendees also say which rooms are still invited: a room dropped from the meeting may keep
  // its copy a moment longer (its own notification is on its way) and must not come back.
  const invitedNow = new Set(copy.attendees.filter((a) => !declined.has(a.email)).map((a) => a.email));
  const stillInvited = (email: string) =>
    !followsCopy || copy.attendees.length === 0 || invitedNow.has(email);
  const live = new Set([...f.otherLiveRooms.filter(stillInvited), f.roomEmail]);
  if (f.loan) {
    // A room of the loan that is still invited and has not declined, whose copy we have not read
    // yet, stays: its own notification is on its way. Without this, the first copy of a meeting
    // made by outbound sync would drop the loan's other rooms until their copies are read.
    const gone = new Set(f.goneRooms ?? []);
    const invited = new Set(copy.attendees.map((a) => a.email));
    for (const email of activePlaceEmails(f.loan)) {
      if (!live.has(email) && !gone.has(email) && invited.has(email) && !declined.has(email)) live.add(email);
    }
  }
  const rooms = [...live]
    .map((e) => synced.get(e))
    .filter((r): r is SyncedRoom => Boolean(r))
    .sort((a, b) => a.email.localeCompare(b.email));
  if (rooms.length === 0) {
    // E2
    return { kind: 'ignore', reason: joinReasons(['the meeting has no synced room', ...reasons]) };
  }

  if (!followsCopy && f.loan) {
    return { kind: 'want', desired: keepLoan(f.loan, rooms), reasons };
  }

  // V2
  if (!copy.start || !copy.end) return { kind: 'ignore', reason: "the meeting's dates cannot be read" };
  if (copy.end.getTime() <= copy.start.getTime()) {
    return { kind: 'ignore', reason: "the meeting's end is not after its start" };
  }
  // The default user stands in for requesters without a mailbox (V1, HC1): a meeting it organizes
  // for an existing loan says nothing about who that loan's requester is.
  const standIn =
    f.loan && copy.organizer.email && copy.organizer.email === f.settings.defaultUserEmail?.toLowerCase();
  const choice: RequesterChoice = standIn
    ? { requester: { email: f.loan!.requester.email, name: f.loan!.requester.name }, reason: null }
    : chooseRequester(copy.organizer, f.organizer, f.settings);
  if (!choice.requester) return { kind: 'ignore', reason: choice.reason! };
  if (choice.reason) reasons.unshift(choice.reason);
  return {
    kind: 'want',
    desired: {
      requester: choice.requester,
      // OC2: Hector's 15-minute blocks, outward.
      start: roundStartDown(copy.start),
      end: roundEndUp(copy.end),
      rooms,
      storeId: f.settings.defaultStoreId,
      followsCopy: true,
      approval: approvalOf({ ...f, rooms }),
      rebooked: Boolean(
        f.loan &&
        (f.loan.status === 'cancelled' || f.loan.status === 'refused') &&
        copy.lastModified &&
        f.loan.updatedAt &&
        new Date(copy.lastModified).getTime() > new Date(f.loan.updatedAt).getTime(),
      ),
    },
    reasons,
  };
}

/**
 * V3 for a new loan: the meeting invites synced rooms whose copies we have not read — only the
 * organizer's copy tells whether they declined (room copies show `none` for the others, docs#5281).
 * Once per meeting: later copies find the loan.
 */
export function needsOrganizerAnswers(f: InboundFacts, plan: Plan): boolean {
  if (plan.kind !== 'want' || !f.copy || f.loan || f.organizerMeeting !== undefined) return false;
  const planned = new Set(plan.desired.rooms.map((r) => r.email));
  const synced = new Set(f.syncedRooms.map((r) => r.email));
  return f.copy.attendees.some((a) => synced.has(a.email) && !planned.has(a.email));
}

/**
 * No room of the loan holds the meeting any more. When the organizer replaced the rooms, the
 * new rooms' copies may not have been read yet (or the rooms not answered): the organizer's own
 * copy tells a meeting that moved from one that lost its rooms.
 */
function afterLastRoomLeft(f: InboundFacts, synced: Map<string, SyncedRoom>, reason: string): Plan {
  const cancel = `${reason}; no synced room is left`;
  const meeting = f.organizerMeeting;
  if (!f.loan || !meeting || meeting.isCancelled) return { kind: 'cancel', reason: cancel };
  const invited = meeting.attendees.filter(
    (a) => a.email !== f.roomEmail && a.response !== 'declined' && synced.has(a.email),
  );
  // A room the organizer's copy shows accepted holds the meeting (only that copy knows answers,
  // docs#5281), even before its own copy is read: a lost notification must not cancel the loan.
  const live = invited
    .filter((a) => f.otherLiveRooms.includes(a.email) || a.response === 'accepted')
    .map((a) => synced.get(a.email)!);
  if (live.length > 0) {
    const names = live.map((r) => r.name).join(', ');
    return {
      kind: 'want',
      desired: keepLoan(f.loan, live),
      reasons: [`${reason}; the meeting is now in ${names}`],
    };
  }
  if (invited.length > 0) {
    const names = invited.map((a) => synced.get(a.email)!.name).join(', ');
    return { kind: 'wait', reason: `${reason}; waiting for the answer of ${names}`, cancel };
  }
  return { kind: 'cancel', reason: cancel };
}

function keepLoan(loan: Loan, rooms: SyncedRoom[]): DesiredLoan {
  return {
    requester: { email: loan.requester.email, name: loan.requester.name },
    start: new Date(loan.start),
    end: new Date(loan.end),
    rooms,
    storeId: null,
    followsCopy: false,
  };
}

/** Room e-mails of the loan's active place items. */
export function activePlaceEmails(loan: Loan): string[] {
  return loan.items
    .filter((i) => i.kind === 'place' && i.status === 'active' && i.email)
    .map((i) => i.email!.toLowerCase());
}
