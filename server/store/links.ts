import { sql, type Kysely, type Selectable } from 'kysely';
import type { SyncMeetingLinkTable } from './tables/sync';
import type { Clock } from '../clock';
import type { Schema } from './schema';

/**
 * Links between Outlook meetings and Hector loans. A meeting is one iCalUId shared by every copy
 * (the organizer's event, each room's copy — each with its own id), so the loan hangs on the
 * iCalUId and every copy id we have met points to it. Used by inbound (here), outbound (which
 * creates organizer events) and the add-in (which only knows a copy id).
 */
export interface MeetingLink {
  iCalUId: string;
  loanId: string | null;
  organizerEventId: string | null;
  organizerEmail: string | null;
  /** lastModifiedDateTime of the newest copy whose dates and organizer the loan follows. */
  meetingModifiedAt: string | null;
  /** The series' (master's) iCalUId when this meeting is one occurrence of a series (B3). */
  seriesICalUId: string | null;
  /** The occurrence's original start (ISO), for an occurrence. */
  occurrenceStart: string | null;
}

/** A single meeting, a series master, or one occurrence (or exception) of a series. */
export type RoomCopyKind = 'single' | 'series' | 'occurrence';

export type RoomCopyState = 'live' | 'gone';

export interface RoomCopyLink {
  roomEmail: string;
  eventId: string;
  iCalUId: string | null;
  state: RoomCopyState;
  /** When the job that last applied this copy started reading it (wall clock). */
  lastReadAt: string | null;
  /** The copy's @odata.etag as that read saw it. */
  lastEtag: string | null;
  kind: RoomCopyKind;
  /** An occurrence's master copy in the same room (occurrence changes are notified on it). */
  seriesMasterId: string | null;
}

/** What a copy id leads to: the meeting, its loan, and the room when it is a room's copy. */
export interface LinkByEventId {
  iCalUId: string | null;
  loanId: string | null;
  roomEmail: string | null;
}

export interface LinkInput {
  iCalUId: string;
  /** undefined keeps the stored loan; null unlinks. */
  loanId?: string | null;
  /** A room's copy of the meeting (room e-mail + its own event id), with its state. */
  roomCopy?: RoomCopyInput;
  /** The organizer's event (outbound sync creates it; inbound may learn it). */
  organizerEventId?: string;
  organizerEmail?: string;
  meetingModifiedAt?: Date | null;
  /** B3: the series this meeting is one occurrence of, and the occurrence's original start. */
  series?: { iCalUId: string; occurrenceStart: Date | null };
}

/** One room copy to record; fields left undefined keep their stored value. */
export interface RoomCopyInput {
  roomEmail: string;
  eventId: string;
  iCalUId?: string | null;
  state?: RoomCopyState;
  readAt?: Date;
  etag?: string;
  kind?: RoomCopyKind;
  seriesMasterId?: string;
}

const iso = (d: Date | string | null): string | null => (d ? new Date(d).toISOString() : null);

export async function findLoanIdByICalUId(db: Kysely<Schema>, iCalUId: string): Promise<string | null> {
  const row = await db
    .selectFrom('sync_meeting_link')
    .select('loan_id')
    .where('ical_uid', '=', iCalUId)
    .executeTakeFirst();
  return row?.loan_id ?? null;
}

export async function findMeetingLink(db: Kysely<Schema>, iCalUId: string): Promise<MeetingLink | null> {
  const row = await db
    .selectFrom('sync_meeting_link')
    .selectAll()
    .where('ical_uid', '=', iCalUId)
    .executeTakeFirst();
  return row ? toLink(row) : null;
}

/** The links of a series' occurrences (B3), by original start. */
export async function listSeriesLinks(db: Kysely<Schema>, seriesICalUId: string): Promise<MeetingLink[]> {
  const rows = await db
    .selectFrom('sync_meeting_link')
    .selectAll()
    .where('series_ical_uid', '=', seriesICalUId)
    .orderBy('occurrence_start')
    .execute();
  return rows.map(toLink);
}

/** The occurrence copies one room holds of a series, by the room's master copy id (B3). */
export async function listSeriesCopies(
  db: Kysely<Schema>,
  roomEmail: string,
  seriesMasterId: string,
): Promise<RoomCopyLink[]> {
  const rows = await db
    .selectFrom('sync_room_copy')
    .selectAll()
    .where('room_email', '=', roomEmail.toLowerCase())
    .where('series_master_id', '=', seriesMasterId)
    .orderBy('event_id')
    .execute();
  return rows.map(toCopy);
}

/** Any copy id (a room's copy or the organizer's event) → the meeting and its loan. */
export async function findLinkByEventId(
  db: Kysely<Schema>,
  eventId: string,
  roomEmail?: string,
): Promise<LinkByEventId | null> {
  let copies = db
    .selectFrom('sync_room_copy as c')
    .leftJoin('sync_meeting_link as m', 'm.ical_uid', 'c.ical_uid')
    .select(['c.ical_uid', 'c.room_email', 'm.loan_id'])
    .where('c.event_id', '=', eventId);
  if (roomEmail) copies = copies.where('c.room_email', '=', roomEmail.toLowerCase());
  const copy = await copies.executeTakeFirst();
  if (copy) return { iCalUId: copy.ical_uid, loanId: copy.loan_id ?? null, roomEmail: copy.room_email };
  const meeting = await db
    .selectFrom('sync_meeting_link')
    .select(['ical_uid', 'loan_id'])
    .where('organizer_event_id', '=', eventId)
    .executeTakeFirst();
  return meeting ? { iCalUId: meeting.ical_uid, loanId: meeting.loan_id, roomEmail: null } : null;
}

export async function findRoomCopy(
  db: Kysely<Schema>,
  roomEmail: string,
  eventId: string,
): Promise<RoomCopyLink | null> {
  const row = await db
    .selectFrom('sync_room_copy')
    .selectAll()
    .where('room_email', '=', roomEmail.toLowerCase())
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row ? toCopy(row) : null;
}

/** Every room copy we know of one meeting. */
export async function listRoomCopies(db: Kysely<Schema>, iCalUId: string): Promise<RoomCopyLink[]> {
  const rows = await db
    .selectFrom('sync_room_copy')
    .selectAll()
    .where('ical_uid', '=', iCalUId)
    .orderBy('room_email')
    .execute();
  return rows.map(toCopy);
}

/**
 * Creates or updates the meeting's link and, when given, one of its room copies. Fields left
 * undefined keep their stored value. Idempotent: running it twice changes nothing more.
 */
export async function upsertLink(db: Kysely<Schema>, input: LinkInput, now: Date): Promise<void> {
  const meeting = {
    ical_uid: input.iCalUId,
    loan_id: input.loanId ?? null,
    organizer_event_id: input.organizerEventId ?? null,
    organizer_email: input.organizerEmail?.toLowerCase() ?? null,
    meeting_modified_at: input.meetingModifiedAt ?? null,
    series_ical_uid: input.series?.iCalUId ?? null,
    occurrence_start: input.series?.occurrenceStart ?? null,
    created_at: now,
    updated_at: now,
  };
  const set: Record<string, unknown> = { updated_at: now };
  if (input.loanId !== undefined) set.loan_id = input.loanId;
  if (input.organizerEventId !== undefined) set.organizer_event_id = input.organizerEventId;
  if (input.organizerEmail !== undefined) set.organizer_email = input.organizerEmail.toLowerCase();
  if (input.meetingModifiedAt !== undefined) set.meeting_modified_at = input.meetingModifiedAt;
  if (input.series) {
    set.series_ical_uid = input.series.iCalUId;
    if (input.series.occurrenceStart) set.occurrence_start = input.series.occurrenceStart;
  }
  await db
    .insertInto('sync_meeting_link')
    .values(meeting)
    .onConflict((oc) => oc.column('ical_uid').doUpdateSet(set))
    .execute();
  if (input.roomCopy) {
    await upsertRoomCopy(db, { ...input.roomCopy, iCalUId: input.iCalUId }, now);
  }
}

/** Records a room copy (also one whose meeting is unknown, e.g. a 404 never linked). */
export async function upsertRoomCopy(db: Kysely<Schema>, copy: RoomCopyInput, now: Date): Promise<void> {
  const set: Record<string, unknown> = { updated_at: now };
  if (copy.etag) set.last_etag = copy.etag;
  if (copy.iCalUId) set.ical_uid = copy.iCalUId;
  if (copy.state) set.state = copy.state;
  if (copy.kind) set.kind = copy.kind;
  if (copy.seriesMasterId) set.series_master_id = copy.seriesMasterId;
  // Never move last_read_at backwards: a slower job must not make a newer read look stale.
  if (copy.readAt) {
    set.last_read_at = sql`greatest(sync_room_copy.last_read_at, ${copy.readAt})`;
  }
  await db
    .insertInto('sync_room_copy')
    .values({
      room_email: copy.roomEmail.toLowerCase(),
      event_id: copy.eventId,
      ical_uid: copy.iCalUId ?? null,
      state: copy.state ?? 'live',
      last_read_at: copy.readAt ?? null,
      last_etag: copy.etag ?? null,
      kind: copy.kind ?? 'single',
      series_master_id: copy.seriesMasterId ?? null,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['room_email', 'event_id']).doUpdateSet(set))
    .execute();
}

/** Every link to a loan (the add-in and outbound: loan → meeting). */
export async function findICalUIdByLoanId(db: Kysely<Schema>, loanId: string): Promise<string | null> {
  const row = await db
    .selectFrom('sync_meeting_link')
    .select('ical_uid')
    .where('loan_id', '=', loanId)
    .executeTakeFirst();
  return row?.ical_uid ?? null;
}

/**
 * B3: a room's other copies of one occurrence are gone — its id changes when the series' time
 * moves (the original start is part of it), while its iCalUId stays.
 */
export async function retireOtherCopies(
  db: Kysely<Schema>,
  roomEmail: string,
  iCalUId: string,
  keepEventId: string | null,
  now: Date,
): Promise<void> {
  let q = db
    .updateTable('sync_room_copy')
    .set({ state: 'gone', updated_at: now })
    .where('room_email', '=', roomEmail.toLowerCase())
    .where('ical_uid', '=', iCalUId)
    .where('state', '=', 'live');
  if (keepEventId) q = q.where('event_id', '!=', keepEventId);
  await q.execute();
}

/** The same functions bound to one database, as `deps.links`. */
export interface Links {
  findLoanIdByICalUId(iCalUId: string): Promise<string | null>;
  findMeetingLink(iCalUId: string): Promise<MeetingLink | null>;
  findLinkByEventId(eventId: string, roomEmail?: string): Promise<LinkByEventId | null>;
  findRoomCopy(roomEmail: string, eventId: string): Promise<RoomCopyLink | null>;
  listRoomCopies(iCalUId: string): Promise<RoomCopyLink[]>;
  upsertLink(input: LinkInput): Promise<void>;
  upsertRoomCopy(copy: RoomCopyInput): Promise<void>;
  findICalUIdByLoanId(loanId: string): Promise<string | null>;
  listSeriesLinks(seriesICalUId: string): Promise<MeetingLink[]>;
  listSeriesCopies(roomEmail: string, seriesMasterId: string): Promise<RoomCopyLink[]>;
  retireOtherCopies(roomEmail: string, iCalUId: string, keepEventId: string | null): Promise<void>;
}

export function createLinks(db: Kysely<Schema>, now: Clock): Links {
  return {
    findLoanIdByICalUId: (id) => findLoanIdByICalUId(db, id),
    findMeetingLink: (id) => findMeetingLink(db, id),
    findLinkByEventId: (id, room) => findLinkByEventId(db, id, room),
    findRoomCopy: (room, id) => findRoomCopy(db, room, id),
    listRoomCopies: (id) => listRoomCopies(db, id),
    upsertLink: (input) => upsertLink(db, input, now()),
    upsertRoomCopy: (copy) => upsertRoomCopy(db, copy, now()),
    findICalUIdByLoanId: (id) => findICalUIdByLoanId(db, id),
    listSeriesLinks: (id) => listSeriesLinks(db, id),
    listSeriesCopies: (room, id) => listSeriesCopies(db, room, id),
    retireOtherCopies: (room, iCalUId, keep) => retireOtherCopies(db, room, iCalUId, keep, now()),
  };
}

function toLink(row: Selectable<SyncMeetingLinkTable>): MeetingLink {
  return {
    iCalUId: row.ical_uid,
    loanId: row.loan_id,
    organizerEventId: row.organizer_event_id,
    organizerEmail: row.organizer_email,
    meetingModifiedAt: iso(row.meeting_modified_at),
    seriesICalUId: row.series_ical_uid,
    occurrenceStart: iso(row.occurrence_start),
  };
}

function toCopy(row: {
  room_email: string;
  event_id: string;
  ical_uid: string | null;
  state: string;
  last_read_at: Date | string | null;
  last_etag: string | null;
  kind: string;
  series_master_id: string | null;
}): RoomCopyLink {
  return {
    roomEmail: row.room_email,
    eventId: row.event_id,
    iCalUId: row.ical_uid,
    state: row.state === 'gone' ? 'gone' : 'live',
    lastReadAt: iso(row.last_read_at),
    lastEtag: row.last_etag,
    kind: row.kind === 'series' || row.kind === 'occurrence' ? row.kind : 'single',
    seriesMasterId: row.series_master_id,
  };
}
