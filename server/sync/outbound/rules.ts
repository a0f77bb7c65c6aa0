/**
 * Hector → Outlook rules (flow 5), as functions of plain data: no I/O here. The outbound job reads
 * the loan, the synced rooms and the event as Graph holds it now, asks these functions what the
 * event should be and what differs among the fields Hector changed, and writes only that
 * difference (flow 6: equal → no write).
 */
import { createHash } from 'node:crypto';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Loan, LoanChange } from '../../hector/port';
import { roundEndUp, roundStartDown } from '../../hector/time';
import { EVENT_FIELDS, type EventField, type PendingFields } from '../../store/tables/outbound';
import { journalMessage } from '../journalText/render';
import { HECTOR_LOAN_ID_PROPERTY, parseGraphDateTime } from '../rules/roomCopy';
import type { SyncedRoom } from '../rules/syncedRoom';

/**
 * The extended property that carries the loan id on the events we create (GRAPH-FACTS "Rooms":
 * `String {GUID} Name HectorLoanId`). It reaches the rooms' copies, so inbound knows the loan even
 * before the link is stored. The GUID is this product's own property set.
 */
export const HECTOR_PROPERTY_SET = '{8c0f3d52-6a1e-4b7f-9e24-5d3a71c0b9e6}';
export const HECTOR_LOAN_ID_PROPERTY_ID = `String ${HECTOR_PROPERTY_SET} ${HECTOR_LOAN_ID_PROPERTY}`;

/** The loan statuses whose event must not exist (HX1). */
export const isWithdrawn = (loan: Pick<Loan, 'status'>): boolean =>
  loan.status === 'cancelled' || loan.status === 'refused';

/**
 * A transactionId for `POST /users/{organizer}/events`: stable for one loan in one mailbox, so a
 * retried create (after a 503, a lost answer or a killed process) returns the event made before
 * instead of a second one. The generation changes when the event moves to another mailbox.
 * Shaped as a name-based (v5-like) UUID of the loan id and the generation.
 */
export function transactionIdFor(loanId: string, generation: number): string {
  const hash = createHash('sha1').update(`hector-outlook:loan:${loanId}:${generation}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The loan's active places that are synced rooms (E2, HC5), in a stable order. */
export function loanRooms(loan: Loan, synced: SyncedRoom[]): SyncedRoom[] {
  const byPlace = new Map(synced.map((r) => [r.placeId.toLowerCase(), r]));
  const rooms = loan.items
    .filter((i) => i.kind === 'place' && i.status === 'active')
    .map((i) => byPlace.get(i.id.toLowerCase()))
    .filter((r): r is SyncedRoom => Boolean(r));
  return [...new Map(rooms.map((r) => [r.email, r])).values()].sort((a, b) => a.email.localeCompare(b.email));
}

/** HC3: loan number + requester name. */
export function eventSubject(loan: Pick<Loan, 'number' | 'requester'>): string {
  const name = loan.requester.name?.trim() || loan.requester.email;
  return `#${loan.number} ${name}`;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** HC4: the link that opens the loan in Hector ({id} replaced; the base is HECTOR_LOAN_URL). */
export const loanUrl = (template: string, loanId: string): string =>
  template.includes('{id}')
    ? template.replace(/\{id\}/g, encodeURIComponent(loanId))
    : `${template.replace(/\/+$/, '')}/${encodeURIComponent(loanId)}`;

/** HC4: the loan's active items, then the link. */
export function eventBody(loan: Loan, loanUrlTemplate: string): string {
  const items = loan.items
    .filter((i) => i.status === 'active')
    .map((i) => `<li>${escapeHtml(i.name)}</li>`)
    .join('');
  const url = escapeHtml(loanUrl(loanUrlTemplate, loan.id));
  return (
    `<p>Prêt Hector #${loan.number}</p>` +
    `<ul>${items}</ul>` +
    `<p><a href="${url}">Ouvrir le prêt #${loan.number} dans Hector</a></p>`
  );
}

/**
 * Our HC4 section inside a person's body, as eventBody writes it: from "Prêt Hector #N" to the
 * link that opens it. Found by its text, not by attributes or comments, which Exchange's HTML
 * rewriting may drop.
 */
const LOAN_SECTION = /<p[^>]*>\s*Prêt Hector #\d+\s*<\/p>[\s\S]*?dans Hector\s*<\/a>\s*<\/p>/g;

/**
 * B7 + HC4 for an Outlook-made loan: the person's own body stays, and Hector's section (the loan's
 * items and its link) is replaced, or added at its end. Only once the loan has assets (or the body
 * already carries the section): a meeting with rooms only keeps its body untouched.
 */
export function meetingBody(currentHtml: string, loan: Loan, loanUrlTemplate: string): string | null {
  const hasSection = new RegExp(LOAN_SECTION.source).test(currentHtml);
  const hasAssets = loan.items.some((i) => i.kind === 'asset' && i.status === 'active');
  if (!hasSection && !hasAssets) return null;
  const own = currentHtml.replace(LOAN_SECTION, '');
  const section = eventBody(loan, loanUrlTemplate);
  const closing = own.search(/<\/body>/i);
  return closing >= 0 ? `${own.slice(0, closing)}${section}${own.slice(closing)}` : `${own}${section}`;
}

/** Graph's dateTimeTimeZone in UTC for an ISO instant. */
export const graphUtc = (iso: string): MSGraph.DateTimeTimeZone => ({
  dateTime: new Date(iso).toISOString().replace(/Z$/, ''),
  timeZone: 'UTC',
});

const roomAttendee = (room: SyncedRoom): MSGraph.Attendee => ({
  type: 'resource',
  emailAddress: { address: room.email, name: room.name },
});

/** The event a Hector-made loan should have in its organizer's calendar (HC1–HC5). */
export interface DesiredEvent {
  organizer: string;
  subject: string;
  bodyHtml: string;
  start: string;
  end: string;
  rooms: SyncedRoom[];
}

export function desiredEvent(
  loan: Loan,
  rooms: SyncedRoom[],
  organizer: string,
  loanUrlTemplate: string,
): DesiredEvent {
  return {
    organizer: organizer.toLowerCase(),
    subject: eventSubject(loan),
    bodyHtml: eventBody(loan, loanUrlTemplate),
    start: loan.start,
    end: loan.end,
    rooms,
  };
}

/** The body of `POST /users/{organizer}/events`. */
export function newEventBody(desired: DesiredEvent, loanId: string, transactionId: string): MSGraph.Event {
  return {
    subject: desired.subject,
    body: { contentType: 'html', content: desired.bodyHtml },
    start: graphUtc(desired.start),
    end: graphUtc(desired.end),
    location: { displayName: desired.rooms.map((r) => r.name).join('; ') },
    attendees: desired.rooms.map(roomAttendee),
    transactionId,
    singleValueExtendedProperties: [{ id: HECTOR_LOAN_ID_PROPERTY_ID, value: loanId }],
  };
}

/** HTML → the text a person reads, so Graph's rewriting of our HTML is not a difference. */
export function bodyText(html: string | null | undefined): string {
  return (html ?? '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The meeting's dates "match" the loan when Hector's 15-minute blocks of the meeting (OC2) are the
 * loan's dates: a meeting at 09:07–09:52 belongs to a 09:00–10:00 loan and is not rewritten.
 */
export function datesMatch(event: MSGraph.Event, loan: Pick<Loan, 'start' | 'end'>): boolean {
  const start = parseGraphDateTime(event.start);
  const end = parseGraphDateTime(event.end);
  if (!start || !end) return false;
  return (
    roundStartDown(start).getTime() === new Date(loan.start).getTime() &&
    roundEndUp(end).getTime() === new Date(loan.end).getTime()
  );
}

const attendeeEmail = (a: MSGraph.Attendee): string => (a.emailAddress?.address ?? '').toLowerCase();

/** The synced rooms among the event's attendees. */
export function eventRoomEmails(event: MSGraph.Event, synced: SyncedRoom[]): string[] {
  const syncedEmails = new Set(synced.map((r) => r.email));
  return [...new Set((event.attendees ?? []).map(attendeeEmail).filter((e) => syncedEmails.has(e)))].sort();
}

/**
 * The attendees after the rooms change: everyone who is not a synced room stays as they are (the
 * organizer's guests, unsynced rooms), synced rooms become exactly `rooms` (kept entries keep their
 * answer).
 */
function withRooms(event: MSGraph.Event, rooms: SyncedRoom[], synced: SyncedRoom[]): MSGraph.Attendee[] {
  const syncedEmails = new Set(synced.map((r) => r.email));
  const current = event.attendees ?? [];
  const others = current.filter((a) => !syncedEmails.has(attendeeEmail(a)));
  const kept = rooms.map((r) => current.find((a) => attendeeEmail(a) === r.email) ?? roomAttendee(r));
  return [...others, ...kept].map((a) => ({
    type: a.type ?? 'required',
    emailAddress: { address: a.emailAddress?.address, name: a.emailAddress?.name },
  }));
}

const fieldsOfLoanField: Record<string, readonly EventField[]> = {
  start: ['dates'],
  end: ['dates'],
  // The body lists the active items; the location names the rooms and is written with them.
  items: ['rooms', 'body'],
  // The title carries the requester's name (HC3).
  requester: ['organizer', 'subject'],
  // Notes are not on the event.
  notes: [],
};

/**
 * The event fields one outbox change of the loan touches; null when the change is not understood
 * (the job then compares every field, as a whole-loan push). A status change touches no field:
 * whether the loan is withdrawn (HX1) is read from the loan itself on every job.
 */
export function eventFieldsOf(change: LoanChange | null | undefined): EventField[] | null {
  switch (change?.type) {
    case 'created':
      return [...EVENT_FIELDS];
    case 'updated': {
      if (!Array.isArray(change.changed)) return null;
      const fields = new Set<EventField>();
      for (const name of change.changed) {
        const touched = Object.prototype.hasOwnProperty.call(fieldsOfLoanField, name)
          ? fieldsOfLoanField[name]
          : null;
        if (!touched) return null;
        touched.forEach((f) => fields.add(f));
      }
      return EVENT_FIELDS.filter((f) => fields.has(f));
    }
    case 'status':
      return [];
    case 'item_cancelled':
      return ['body', 'rooms'];
    default:
      return null;
  }
}

/** The fields a run of changes touches together (null as soon as one is not understood). */
export function eventFieldsOfChanges(changes: Array<LoanChange | null | undefined>): EventField[] | null {
  const fields = new Set<EventField>();
  for (const change of changes) {
    const touched = eventFieldsOf(change);
    if (!touched) return null;
    touched.forEach((f) => fields.add(f));
  }
  return EVENT_FIELDS.filter((f) => fields.has(f));
}

const wants = (fields: PendingFields, field: EventField): boolean => !fields || fields.has(field);

export interface EventDiff {
  patch: MSGraph.Event;
  /** Names of what differs, for the journal (empty: in sync, write nothing). */
  changed: string[];
}

const sameSet = (a: string[], b: string[]): boolean =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * HU1: what to PATCH on the event of a Hector-made loan; nothing when it already matches. Only
 * `fields` are compared (those Hector changed since the last push); null compares them all.
 */
export function diffEvent(
  desired: DesiredEvent,
  current: MSGraph.Event,
  synced: SyncedRoom[],
  loanId: string,
  fields: PendingFields = null,
): EventDiff {
  const patch: MSGraph.Event = {};
  const changed: string[] = [];
  if (wants(fields, 'subject') && (current.subject ?? '') !== desired.subject) {
    patch.subject = desired.subject;
    changed.push('subject');
  }
  if (wants(fields, 'body') && bodyText(current.body?.content) !== bodyText(desired.bodyHtml)) {
    patch.body = { contentType: 'html', content: desired.bodyHtml };
    changed.push('body');
  }
  if (wants(fields, 'dates') && !datesMatch(current, desired)) {
    patch.start = graphUtc(desired.start);
    patch.end = graphUtc(desired.end);
    changed.push('dates');
  }
  const want = desired.rooms.map((r) => r.email);
  if (wants(fields, 'rooms') && !sameSet(eventRoomEmails(current, synced), want)) {
    patch.attendees = withRooms(current, desired.rooms, synced);
    patch.location = { displayName: desired.rooms.map((r) => r.name).join('; ') };
    changed.push('rooms');
  }
  const carries = (current.singleValueExtendedProperties ?? []).some(
    (p) => (p.id ?? '').toLowerCase() === HECTOR_LOAN_ID_PROPERTY_ID.toLowerCase() && p.value === loanId,
  );
  if (!carries && changed.length > 0) {
    patch.singleValueExtendedProperties = [{ id: HECTOR_LOAN_ID_PROPERTY_ID, value: loanId }];
  }
  return { patch, changed };
}

/**
 * A loan that came from Outlook, changed in Hector: its dates and rooms go to the organizer's
 * meeting; its title and other attendees are the person's and stay, and so does the body, but for
 * Hector's section of the loan's items once it has assets (B7, HC4; with `loanUrlTemplate`). As in
 * diffEvent, only `fields` are compared (null: all).
 */
export function diffMeeting(
  loan: Loan,
  rooms: SyncedRoom[],
  current: MSGraph.Event,
  synced: SyncedRoom[],
  fields: PendingFields = null,
  loanUrlTemplate?: string,
): EventDiff {
  const patch: MSGraph.Event = {};
  const changed: string[] = [];
  if (wants(fields, 'dates') && !datesMatch(current, loan)) {
    patch.start = graphUtc(loan.start);
    patch.end = graphUtc(loan.end);
    changed.push('dates');
  }
  if (
    wants(fields, 'rooms') &&
    !sameSet(
      eventRoomEmails(current, synced),
      rooms.map((r) => r.email),
    )
  ) {
    patch.attendees = withRooms(current, rooms, synced);
    changed.push('rooms');
  }
  if (loanUrlTemplate !== undefined && wants(fields, 'body')) {
    const html = current.body?.content ?? '';
    const body = meetingBody(html, loan, loanUrlTemplate);
    if (body !== null && bodyText(body) !== bodyText(html)) {
      patch.body = { contentType: 'html', content: body };
      changed.push('body');
    }
  }
  return { patch, changed };
}

export type RoomAnswer = 'accepted' | 'declined' | 'waiting';

/** V3 after our write: each of the loan's rooms as the organizer's copy shows its answer. */
export function roomAnswers(event: MSGraph.Event, rooms: SyncedRoom[]): Map<string, RoomAnswer> {
  const answers = new Map<string, RoomAnswer>();
  for (const room of rooms) {
    const attendee = (event.attendees ?? []).find((a) => attendeeEmail(a) === room.email);
    const response = attendee?.status?.response ?? 'none';
    answers.set(
      room.email,
      // A room's tentative answer waits for its delegate (B5): look again, as for no answer yet.
      response === 'declined' ? 'declined' : response === 'accepted' ? 'accepted' : 'waiting',
    );
  }
  return answers;
}

/** What the job decided, for the journal. */
export type OutboundDecision =
  /** note: why the calendar is not the requester's (an application access policy). */
  | { kind: 'created'; organizer: string; changed: string[]; note?: string }
  | { kind: 'updated'; organizer: string; changed: string[] }
  | { kind: 'moved'; from: string; organizer: string; note?: string }
  | { kind: 'deleted'; organizer: string; reason: string }
  | { kind: 'declined'; rooms: string[]; reason: string }
  | { kind: 'in_sync'; organizer: string | null }
  | { kind: 'ignored'; reason: string }
  /** OX1 seen from this side: the person's meeting of an Outlook-made loan is gone. */
  | { kind: 'meeting_gone'; reason: string };

/** The journal's message, in words an admin understands: its code, params and English. */
export function outboundMessage(decision: OutboundDecision, loanNumber: number) {
  const loan = loanNumber;
  switch (decision.kind) {
    case 'created':
      return journalMessage('outbound.created', {
        loan,
        organizer: decision.organizer,
        note: decision.note ?? null,
      });
    case 'updated':
      return journalMessage('outbound.updated', {
        loan,
        organizer: decision.organizer,
        changed: decision.changed.join(', '),
      });
    case 'moved':
      return journalMessage('outbound.moved', {
        loan,
        from: decision.from,
        organizer: decision.organizer,
        note: decision.note ?? null,
      });
    case 'deleted':
      return journalMessage('outbound.deleted', {
        loan,
        organizer: decision.organizer,
        reason: decision.reason,
      });
    case 'declined':
      return journalMessage('outbound.declined', {
        loan,
        rooms: decision.rooms.join(', '),
        reason: decision.reason,
      });
    case 'in_sync':
      return journalMessage('outbound.in_sync', { loan });
    case 'ignored':
      return journalMessage('outbound.ignored', { loan, reason: decision.reason });
    case 'meeting_gone':
      return journalMessage('outbound.meeting_gone', { loan, reason: decision.reason });
  }
}

export const describeOutbound = (decision: OutboundDecision, loanNumber: number): string =>
  outboundMessage(decision, loanNumber).message;

/** The journal kind of an outbound decision. */
export function journalKindOf(
  decision: OutboundDecision,
): 'created' | 'updated' | 'cancelled' | 'in_sync' | 'ignored' {
  switch (decision.kind) {
    case 'created':
      return 'created';
    case 'updated':
    case 'moved':
      return 'updated';
    case 'deleted':
    case 'declined':
    case 'meeting_gone':
      return 'cancelled';
    case 'in_sync':
      return 'in_sync';
    case 'ignored':
      return 'ignored';
  }
}
