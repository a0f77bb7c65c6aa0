/**
 * A room's copy of a meeting as plain data (flow 4): what the rules read of a Graph event, with
 * its dates made instants (V2). No I/O here.
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { instantAt } from '../../timeZones';

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
  /** An occurrence's or exception's series master (in the same mailbox), and its original start. */
  seriesMasterId?: string | null;
  originalStart?: Date | null;
  isCancelled: boolean;
  /** null when Graph's date is missing or cannot be read (V2). */
  start: Date | null;
  end: Date | null;
  organizer: { email: string | null; name: string | null };
  /**
   * The answers as this copy shows them. Only the organizer's copy knows them: a room's or an
   * attendee's copy shows `none` for everyone (docs#5281, docs#4579) — read a room's answer from
   * its own copy (`response`) or from the organizer's copy, never from another copy.
   */
  attendees: Attendee[];
  /** This copy's own answer (responseStatus): a room's `tentativelyAccepted` waits for a delegate (B5). */
  response: string;
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
    seriesMasterId: event.seriesMasterId ?? null,
    originalStart: event.originalStart ? new Date(event.originalStart) : null,
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
    response: event.responseStatus?.response ?? 'none',
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
  return instantAt(local, zone);
}
