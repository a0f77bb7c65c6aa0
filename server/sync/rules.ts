/**
 * Outlook → Hector rules (flow 4), as functions of plain data: no I/O here. The inbound job reads
 * a room's copy and the linked loan, asks `planLoan` what the loan should be, checks V4 in
 * Hector, then asks `decideLoan` what to write. Reasons are sentences an admin understands; they
 * go to the journal as they are.
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Conflict, ItemRef, Loan, LoanPatch, NewLoan } from '../hector/port';
import { canTransition, isEditable } from '../hector/statuses';
import { roundEndUp, roundStartDown } from '../hector/time';

// ── the room's copy, as plain data ──────────────────────────────────────────────────────────

export type EventType = 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';

export interface Attendee {
  email: string;
  name: string | null;
  type: string;
  response: string;
}

export interface RoomCopy {
  eventId: string;
  iCalUId: string;
  type: EventType;
  isCancelled: boolean;
  /** null when Graph's date is missing or cannot be read (V2). */
  start: Date | null;
  end: Date | null;
  organizer: { email: string | null; name: string | null };
  attendees: Attendee[];
  lastModified: string | null;
  /** The HectorLoanId extended property, when outbound sync made the event and Graph returned it. */
  hectorLoanId: string | null;
}

/** The extended property outbound sync writes on the events it creates (GRAPH-FACTS "Rooms"). */
export const HECTOR_LOAN_ID_PROPERTY = 'Name HectorLoanId';

/** A Graph event (asked in UTC) → the facts the rules need. */
export function readRoomCopy(event: MSGraph.Event): RoomCopy {
  const property = (event.singleValueExtendedProperties ?? []).find((p) =>
    (p.id ?? '').toLowerCase().endsWith(HECTOR_LOAN_ID_PROPERTY.toLowerCase()),
  );
  return {
    eventId: event.id ?? '',
    iCalUId: event.iCalUId ?? '',
    type: (event.type as EventType | undefined) ?? 'singleInstance',
    isCancelled: event.isCancelled === true,
    start: parseGraphDateTime(event.start),
    end: parseGraphDateTime(event.end),
    organizer: {
      email: event.organizer?.emailAddress?.address?.toLowerCase() ?? null,
      name: event.organizer?.emailAddress?.name ?? null,
    },
    attendees: (event.attendees ?? [])
      .filter((a) => a.emailAddress?.address)
      .map((a) => ({
        email: a.emailAddress!.address!.toLowerCase(),
        name: a.emailAddress?.name ?? null,
        type: a.type ?? 'required',
        response: a.status?.response ?? 'none',
      })),
    lastModified: event.lastModifiedDateTime ?? null,
    hectorLoanId: property?.value ?? null,
  };
}

const UTC_NAMES = new Set(['utc', 'etc/utc', 'gmt', 'etc/gmt', 'z', 'coordinated universal time']);

/**
 * V2: Graph's `{dateTime, timeZone}` → an instant. We ask Graph for UTC; an IANA zone is honoured
 * too (its offset at that local time). Anything unreadable → null.
 */
export function parseGraphDateTime(value: MSGraph.DateTimeTimeZone | null | undefined): Date | null {
  if (!value?.dateTime) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/.exec(
    value.dateTime.trim(),
  );
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', frac = '0', suffix] = m;
  const local = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.round(Number(`0.${frac}`) * 1000));
  if (Number.isNaN(local)) return null;
  if (suffix) {
    const date = new Date(`${value.dateTime.trim()}`);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  const zone = (value.timeZone ?? 'UTC').trim();
  if (UTC_NAMES.has(zone.toLowerCase())) return new Date(local);
  const offset = zoneOffsetMs(zone, local);
  if (offset === null) return null;
  // The offset at the guessed instant, then once more at the corrected one (DST edges).
  const first = local - offset;
  const second = zoneOffsetMs(zone, first);
  return new Date(second === null ? first : local - second);
}

function zoneOffsetMs(zone: string, instant: number): number | null {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return null;
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(
    +parts.year,
    +parts.month - 1,
    +parts.day,
    +parts.hour,
    +parts.minute,
    +parts.second,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

// ── V1 / OC1: the requester ────────────────────────────────────────────────────────────────

/** What the tenant says about the organizer (looked up by the job, cached). */
export type OrganizerStanding = 'member' | 'unknown' | 'disabled';

export interface IntegrationSettingsFacts {
  primaryDomain: string;
  defaultUserEmail: string | null;
  defaultStoreId: string | null;
}

export const isInDomain = (email: string, domain: string): boolean =>
  email.toLowerCase().endsWith(`@${domain.toLowerCase()}`);

export interface RequesterChoice {
  requester: { email: string; name?: string } | null;
  /** Why the default user stands in, or why nobody can (null when the organizer is the requester). */
  reason: string | null;
}

/** V1, OC1: the organizer when a user of the primary domain exists and is enabled, else the default user. */
export function chooseRequester(
  organizer: { email: string | null; name: string | null },
  standing: OrganizerStanding | null,
  settings: Pick<IntegrationSettingsFacts, 'primaryDomain' | 'defaultUserEmail'>,
): RequesterChoice {
  const domain = settings.primaryDomain;
  let why: string;
  if (!organizer.email) why = 'the meeting has no organizer';
  else if (!isInDomain(organizer.email, domain)) why = `organizer outside ${domain}`;
  else if (standing === 'member') {
    return { requester: { email: organizer.email, name: organizer.name ?? undefined }, reason: null };
  } else if (standing === 'disabled') why = `organizer ${organizer.email} is a disabled account of ${domain}`;
  else why = `organizer ${organizer.email} is not a user of ${domain}`;
  if (!settings.defaultUserEmail) {
    return { requester: null, reason: `${why} and no default user is configured: no loan` };
  }
  return { requester: { email: settings.defaultUserEmail }, reason: `${why}: booked for the default user` };
}

/** Whether the organizer must be looked up in the tenant at all (only primary-domain addresses). */
export const needsOrganizerLookup = (organizerEmail: string | null, primaryDomain: string): boolean =>
  Boolean(organizerEmail && isInDomain(organizerEmail, primaryDomain));

// ── the plan: what the loan should be ──────────────────────────────────────────────────────

export interface SyncedRoom {
  email: string;
  placeId: string;
  name: string;
}

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
   * loan is left (undefined: not read; null: the organizer has no such meeting any more).
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
}

export type Plan =
  | { kind: 'want'; desired: DesiredLoan; reasons: string[] }
  | { kind: 'cancel'; reason: string }
  | { kind: 'ignore'; reason: string }
  /** Not yet: rooms the meeting moved to have not answered; read again later, else `cancel`. */
  | { kind: 'wait'; reason: string; cancel: string };

export const RECURRING_REASON = 'recurring meetings are not synced yet';

const nameOf = (rooms: SyncedRoom[], email: string): string =>
  rooms.find((r) => r.email === email)?.name ?? email;

const isLoanLive = (loan: Loan | null): loan is Loan =>
  Boolean(loan && loan.status !== 'cancelled' && loan.status !== 'refused' && isEditable(loan.status));

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
    if (rooms.length > 0) return { kind: 'want', desired: keepLoan(f.loan, rooms), reasons: [reason] };
    return afterLastRoomLeft(f, synced, reason);
  }

  const copy = f.copy;
  if (copy.type !== 'singleInstance') {
    // Never a loan for the first occurrence of a series (a later issue syncs each occurrence).
    return f.loan && isLoanLive(f.loan)
      ? { kind: 'cancel', reason: `the meeting became recurring: ${RECURRING_REASON}` }
      : { kind: 'ignore', reason: RECURRING_REASON };
  }
  if (copy.isCancelled) return { kind: 'cancel', reason: 'the meeting was cancelled' };

  const reasons: string[] = [];
  // V3: a room that declined keeps no copy; the organizer's copy (and others' copies) say so.
  for (const a of copy.attendees) {
    if (a.response === 'declined' && synced.has(a.email)) {
      reasons.push(`${synced.get(a.email)!.name} a refusé l'invitation`);
    }
  }
  // A copy older than the one the loan follows must not move the loan back (reordered jobs).
  const followsCopy =
    !f.loan || !f.meetingModifiedAt || !copy.lastModified || copy.lastModified >= f.meetingModifiedAt;
  // OC3 / V3: the synced rooms whose copies exist and are not cancelled. A current copy's
  // attendees also say which rooms are still invited: a room dropped from the meeting may keep
  // its copy a moment longer (its own notification is on its way) and must not come back.
  const invitedNow = new Set(copy.attendees.filter((a) => a.response !== 'declined').map((a) => a.email));
  const stillInvited = (email: string) =>
    !followsCopy || copy.attendees.length === 0 || invitedNow.has(email);
  const live = new Set([...f.otherLiveRooms.filter(stillInvited), f.roomEmail]);
  if (f.loan) {
    // A room of the loan that is still invited and has not declined, whose copy we have not read
    // yet, stays: its own notification is on its way. Without this, the first copy of a meeting
    // made by outbound sync would drop the loan's other rooms until their copies are read.
    const gone = new Set(f.goneRooms ?? []);
    const invited = new Map(copy.attendees.map((a) => [a.email, a.response]));
    for (const email of activePlaceEmails(f.loan)) {
      const response = invited.get(email);
      if (!live.has(email) && !gone.has(email) && response && response !== 'declined') live.add(email);
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
 * No room of the loan holds the meeting any more. When the organizer replaced the rooms, the
 * new rooms' copies may not have been read yet (or the rooms not answered): the organizer's own
 * copy tells a meeting that moved from one that lost its rooms.
 */
function afterLastRoomLeft(f: InboundFacts, synced: Map<string, SyncedRoom>, reason: string): Plan {
  const cancel = `${reason}; no synced room is left`;
  const meeting = f.organizerMeeting;
  if (!f.loan || !meeting || meeting.isCancelled) return { kind: 'cancel', reason: cancel };
  const invited = meeting.attendees
    .filter((a) => a.email !== f.roomEmail && a.response !== 'declined' && synced.has(a.email))
    .map((a) => synced.get(a.email)!);
  const live = invited.filter((r) => f.otherLiveRooms.includes(r.email));
  if (live.length > 0) {
    const names = live.map((r) => r.name).join(', ');
    return {
      kind: 'want',
      desired: keepLoan(f.loan, live),
      reasons: [`${reason}; the meeting is now in ${names}`],
    };
  }
  if (invited.length > 0) {
    const names = invited.map((r) => r.name).join(', ');
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

// ── the decision: what to write ─────────────────────────────────────────────────────────────

export type DecisionKind = 'created' | 'updated' | 'cancelled' | 'ignored' | 'in_sync';

export type Decision =
  | { kind: 'created'; loan: NewLoan; reasons: string[] }
  | { kind: 'updated'; loanId: string; patch: LoanPatch; changed: string[]; reasons: string[] }
  | { kind: 'cancelled'; loanId: string; reasons: string[] }
  | { kind: 'ignored'; loanId: string | null; reasons: string[] }
  | { kind: 'in_sync'; loanId: string; reasons: string[] };

/** "Salle B-204 is taken by loan #1042" (one line per room). */
export function takenReasons(conflicts: Conflict[], rooms: SyncedRoom[]): string[] {
  const byItem = new Map<string, Set<number>>();
  for (const c of conflicts) {
    const numbers = byItem.get(c.itemId) ?? new Set<number>();
    numbers.add(c.loanNumber);
    byItem.set(c.itemId, numbers);
  }
  return [...byItem].map(([itemId, numbers]) => {
    const name =
      rooms.find((r) => r.placeId === itemId)?.name ?? conflicts.find((c) => c.itemId === itemId)!.itemName;
    const list = [...numbers].sort((a, b) => a - b).map((n) => `#${n}`);
    return `${name} is taken by loan ${list.join(', ')}`;
  });
}

/**
 * The difference between the desired loan and the current one, given Hector's conflicts for the
 * desired rooms over the desired dates (V4). Rooms taken in Hector are left out (OU2); when no
 * room is left there is no loan (or the loan is cancelled).
 */
export function decideLoan(plan: Plan, current: Loan | null, conflicts: Conflict[] = []): Decision {
  const loanId = current?.id ?? null;
  if (plan.kind === 'ignore') return { kind: 'ignored', loanId, reasons: [plan.reason] };
  // The caller reads the copy again later; when it may wait no longer, the meeting lost its rooms.
  if (plan.kind === 'wait') plan = { kind: 'cancel', reason: plan.cancel };
  if (plan.kind === 'cancel') {
    if (!current) return { kind: 'ignored', loanId: null, reasons: [plan.reason] };
    if (current.status === 'cancelled')
      return { kind: 'in_sync', loanId: current.id, reasons: [plan.reason] };
    if (!canTransition(current.status, 'cancelled')) {
      return {
        kind: 'ignored',
        loanId: current.id,
        reasons: [
          `${plan.reason}, but loan #${current.number} is ${current.statusLabel.en.toLowerCase()} and cannot be cancelled`,
        ],
      };
    }
    return { kind: 'cancelled', loanId: current.id, reasons: [plan.reason] };
  }

  const { desired } = plan;
  const taken = new Set(conflicts.map((c) => c.itemId));
  const rooms = desired.rooms.filter((r) => !taken.has(r.placeId));
  const reasons = [...plan.reasons, ...takenReasons(conflicts, desired.rooms)];
  const items: ItemRef[] = rooms.map((r) => ({ kind: 'place', id: r.placeId }));

  const withdrawn = current && (current.status === 'cancelled' || current.status === 'refused');
  if (!current || (withdrawn && desired.rebooked)) {
    if (rooms.length === 0) return { kind: 'ignored', loanId, reasons };
    if (current) {
      const verb = current.status === 'refused' ? 'refused' : 'cancelled';
      reasons.push(`the meeting changed after loan #${current.number} was ${verb}: a new booking`);
    }
    return {
      kind: 'created',
      loan: {
        requester: desired.requester,
        start: desired.start.toISOString(),
        end: desired.end.toISOString(),
        items,
        ...(desired.storeId ? { storeId: desired.storeId } : {}),
        status: 'new', // OC4
      },
      reasons,
    };
  }

  if (current.status === 'cancelled' || current.status === 'refused') {
    return {
      kind: 'ignored',
      loanId: current.id,
      reasons: [...reasons, `loan #${current.number} is ${current.statusLabel.en.toLowerCase()} in Hector`],
    };
  }
  if (rooms.length === 0) {
    return canTransition(current.status, 'cancelled')
      ? {
          kind: 'cancelled',
          loanId: current.id,
          reasons: [...reasons, 'no synced room of the meeting is available'],
        }
      : { kind: 'ignored', loanId: current.id, reasons };
  }

  const patch: LoanPatch = {};
  const changed: string[] = [];
  if (desired.start.getTime() !== new Date(current.start).getTime()) {
    patch.start = desired.start.toISOString();
    changed.push('start');
  }
  if (desired.end.getTime() !== new Date(current.end).getTime()) {
    patch.end = desired.end.toISOString();
    changed.push('end');
  }
  if (desired.requester.email.toLowerCase() !== current.requester.email.toLowerCase()) {
    patch.requester = desired.requester;
    changed.push('requester');
  }
  const now = new Set(
    current.items.filter((i) => i.kind === 'place' && i.status === 'active').map((i) => i.id.toLowerCase()),
  );
  const want = new Set(rooms.map((r) => r.placeId.toLowerCase()));
  const sameItems = now.size === want.size && [...want].every((id) => now.has(id));
  if (!sameItems) {
    // The loan's other active items (assets added in Hector) stay.
    const others: ItemRef[] = current.items
      .filter((i) => i.kind !== 'place' && i.status === 'active')
      .map((i) => ({ kind: i.kind, id: i.id }));
    patch.items = [...items, ...others];
    changed.push('items');
  }
  if (changed.length === 0) return { kind: 'in_sync', loanId: current.id, reasons };
  if (!isEditable(current.status)) {
    return {
      kind: 'ignored',
      loanId: current.id,
      reasons: [
        ...reasons,
        `loan #${current.number} is ${current.statusLabel.en.toLowerCase()} and can no longer change`,
      ],
    };
  }
  return { kind: 'updated', loanId: current.id, patch, changed, reasons };
}

/** What "changed" means to a person: start → "start 09:00 → 09:30". */
export function describeChanges(before: Loan, patch: LoanPatch, rooms: SyncedRoom[]): string[] {
  const out: string[] = [];
  if (patch.start) out.push(`start ${before.start} → ${patch.start}`);
  if (patch.end) out.push(`end ${before.end} → ${patch.end}`);
  if (patch.requester) out.push(`requester ${before.requester.email} → ${patch.requester.email}`);
  if (patch.items) {
    const beforeIds = new Set(
      before.items.filter((i) => i.status === 'active').map((i) => i.id.toLowerCase()),
    );
    const afterIds = new Set(patch.items.map((i) => i.id.toLowerCase()));
    const name = (id: string) =>
      rooms.find((r) => r.placeId.toLowerCase() === id)?.name ??
      before.items.find((i) => i.id.toLowerCase() === id)?.name ??
      id;
    const added = [...afterIds].filter((id) => !beforeIds.has(id)).map(name);
    const removed = [...beforeIds].filter((id) => !afterIds.has(id)).map(name);
    if (added.length) out.push(`added ${added.join(', ')}`);
    if (removed.length) out.push(`cancelled ${removed.join(', ')}`);
  }
  return out;
}

export const joinReasons = (reasons: string[]): string => reasons.filter(Boolean).join('; ');

/** The journal's message for a decision, in words a person understands. */
export function describeDecision(
  decision: Decision,
  context: { loanNumber: number | null; roomName: string; changes?: string[] },
): string {
  const loan = context.loanNumber !== null ? `loan #${context.loanNumber}` : 'no loan';
  const why = joinReasons(decision.reasons);
  const tail = why ? `: ${why}` : '';
  switch (decision.kind) {
    case 'created':
      return `Created ${loan} from ${context.roomName}'s copy${tail}`;
    case 'updated':
      return `Updated ${loan} (${(context.changes ?? decision.changed).join('; ')})${tail}`;
    case 'cancelled':
      return `Cancelled ${loan}${tail}`;
    case 'in_sync':
      return `${loan[0].toUpperCase()}${loan.slice(1)} is in sync with the meeting: nothing to change${why ? ` (${why})` : ''}`;
    case 'ignored':
      return `Not synced${decision.loanId ? ` (${loan} unchanged)` : ''}${tail}`;
  }
}
