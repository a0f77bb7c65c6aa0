/**
 * Exchange calendars: create, update, delete, cancel and respond to events, with the meeting
 * semantics Graph exposes — each attendee mailbox in the tenant holds its OWN copy (own id, same
 * iCalUId), rooms answer by AutoAccept (autoAccept.ts), and the organizer's copy shows the answers.
 * Sources: GRAPH-FACTS.md "Rooms".
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { badRequest, GraphError, notFound } from '../errors';
import { newICalUId, newItemId } from '../ids';
import type { RoomRecord, StoredEvent } from '../model';
import type { EmulatorState } from '../state';
import { decideRoom, type Interval, type MeetingShape } from './autoAccept';
import {
  expandSlots,
  occurrenceICalUId,
  patternChanged,
  seriesEndMs,
  seriesZone,
  validateRecurrence,
} from './recurrence';
import { isoUtc, parseDateTimeTimeZone, toDateTimeTimeZone } from './time';

const NO_TIME = '0001-01-01T00:00:00Z';
const DAY_MS = 86_400_000;
const OCCURRENCE_SEPARATOR = '~';
/** How far around now a series change is checked for occurrences leaving the view (delta windows). */
const RETIRE_BEHIND_MS = 400 * DAY_MS;
const RETIRE_AHEAD_MS = 1100 * DAY_MS;

export type Response = 'accepted' | 'declined' | 'tentativelyAccepted';

export interface CalendarOptions {
  /** Delay before rooms answer (real processing is asynchronous; 0 = immediately). */
  roomProcessingDelayMs: () => number;
}

/** Fields a PATCH may change; anything else in the body is ignored as Graph ignores read-only ones. */
const PATCHABLE: Array<keyof MSGraph.Event> = [
  'subject',
  'body',
  'start',
  'end',
  'location',
  'locations',
  'attendees',
  'recurrence',
  'showAs',
  'isAllDay',
  'categories',
  'sensitivity',
  'importance',
  'isReminderOn',
  'reminderMinutesBeforeStart',
  'isOnlineMeeting',
  'allowNewTimeProposals',
  'responseRequested',
  'hideAttendees',
];

export class Calendar {
  private pending = new Set<Promise<void>>();

  constructor(
    private readonly state: EmulatorState,
    private readonly options: CalendarOptions,
  ) {}

  /** Resolves when delayed room processing has run. */
  async settle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  // ---- reads ----------------------------------------------------------------------------------

  /** Singles and series masters, as `GET /users/{id}/events` lists them. */
  list(mailboxId: string): StoredEvent[] {
    return [...this.state.mailbox(mailboxId).events.values()].sort(
      (a, b) => startMs(a.event) - startMs(b.event) || a.event.id!.localeCompare(b.event.id!),
    );
  }

  /** An event by id: a stored one, or an occurrence of a stored series. */
  get(mailboxId: string, eventId: string): MSGraph.Event {
    eventId = this.state.toRegularId(mailboxId, eventId); // either id resolves (immutable ids)
    const stored = this.state.mailbox(mailboxId).events.get(eventId);
    if (stored) return stored.event;
    const occ = this.findOccurrence(mailboxId, eventId);
    if (!occ) throw notFound();
    const view = this.occurrence(occ.master, occ.originalStartMs);
    if (!view) throw notFound();
    return view;
  }

  stored(mailboxId: string, eventId: string): StoredEvent {
    eventId = this.state.toRegularId(mailboxId, eventId); // either id resolves (immutable ids)
    const s = this.state.mailbox(mailboxId).events.get(eventId);
    if (!s) throw notFound();
    return s;
  }

  /** Occurrences and exceptions of a series overlapping [fromMs, toMs). */
  instances(mailboxId: string, eventId: string, fromMs: number, toMs: number): MSGraph.Event[] {
    const master = this.stored(mailboxId, eventId);
    if (master.event.type !== 'seriesMaster') return [];
    return this.expand(master, fromMs, toMs);
  }

  /** Singles, occurrences and exceptions overlapping [fromMs, toMs), as calendarView returns them. */
  calendarView(mailboxId: string, fromMs: number, toMs: number): MSGraph.Event[] {
    const out: MSGraph.Event[] = [];
    for (const s of this.list(mailboxId)) {
      if (s.event.type === 'seriesMaster') out.push(...this.expand(s, fromMs, toMs));
      else if (startMs(s.event) < toMs && endMs(s.event) > fromMs) out.push(s.event);
    }
    return out.sort((a, b) => startMs(a) - startMs(b));
  }

  expand(master: StoredEvent, fromMs: number, toMs: number): MSGraph.Event[] {
    const out: MSGraph.Event[] = [];
    // Exceptions may move an occurrence by up to a day or so: look a little wider, filter after.
    for (const slot of this.slotsOf(master, toMs + 7 * DAY_MS)) {
      const far = slot.originalStartMs + slot.durationMs < fromMs - 7 * DAY_MS;
      if (far && !master.exceptions.has(isoUtc(slot.originalStartMs))) continue;
      const view = this.occurrence(master, slot.originalStartMs);
      if (view && startMs(view) < toMs && endMs(view) > fromMs) out.push(view);
    }
    return out;
  }

  /** The series' slots (original starts) until `untilMs`, expanded in the series' own zone. */
  slotsOf(master: StoredEvent, untilMs: number): Array<{ originalStartMs: number; durationMs: number }> {
    const ev = master.event;
    const duration = endMs(ev) - startMs(ev);
    const zone = seriesZone(ev.recurrence!, ev.originalStartTimeZone);
    return expandSlots(ev.recurrence!, startMs(ev), duration, untilMs, zone);
  }

  occurrence(master: StoredEvent, originalStartMs: number): MSGraph.Event | null {
    const key = isoUtc(originalStartMs);
    if (master.cancelledOccurrences.has(key)) return null;
    const duration = endMs(master.event) - startMs(master.event);
    const exception = master.exceptions.get(key);
    const { recurrence: _r, ...rest } = master.event;
    const view: MSGraph.Event = {
      ...structuredClone(rest),
      id: occurrenceId(master.event.id!, originalStartMs),
      // Each occurrence has its own iCalUId (GDC resources/event.md), derived as Exchange does.
      iCalUId: occurrenceICalUId(master.event.iCalUId!, originalStartMs),
      type: exception ? 'exception' : 'occurrence',
      seriesMasterId: master.event.id,
      recurrence: null,
      originalStart: key,
      start: toDateTimeTimeZone(originalStartMs),
      end: toDateTimeTimeZone(originalStartMs + duration),
      ...structuredClone(exception ?? {}),
    };
    return view;
  }

  // ---- writes ---------------------------------------------------------------------------------

  /** `POST /users/{id}/events`. Returns the existing event for a repeated transactionId. */
  create(mailboxId: string, input: MSGraph.Event): { stored: StoredEvent; created: boolean } {
    const mailbox = this.state.mailbox(mailboxId);
    if (input.transactionId) {
      const existing = mailbox.transactions.get(input.transactionId);
      const stored = existing ? mailbox.events.get(existing) : undefined;
      if (stored) return { stored, created: false };
    }
    const organizer = this.user(mailboxId);
    const event = this.normalizeNew(input, organizer);
    const stored = this.state.insertEvent(mailboxId, {
      event,
      exceptions: new Map(),
      cancelledOccurrences: new Set(),
      isOrganizerCopy: true,
    });
    if (input.transactionId) mailbox.transactions.set(input.transactionId, event.id!);
    this.afterOrganizerChange(stored);
    return { stored, created: true };
  }

  /** `PATCH /users/{id}/events/{id}`: on an occurrence it makes an exception. */
  update(mailboxId: string, eventId: string, patch: MSGraph.Event): MSGraph.Event {
    eventId = this.state.toRegularId(mailboxId, eventId); // either id resolves (immutable ids)
    const mailbox = this.state.mailbox(mailboxId);
    const stored = mailbox.events.get(eventId);
    if (!stored) {
      const occ = this.findOccurrence(mailboxId, eventId);
      if (!occ || !this.occurrence(occ.master, occ.originalStartMs)) throw notFound();
      const key = isoUtc(occ.originalStartMs);
      const change: Partial<MSGraph.Event> = { ...(occ.master.exceptions.get(key) ?? {}) };
      for (const f of ['subject', 'body', 'location', 'showAs'] as const) {
        if (patch[f] !== undefined) (change as Record<string, unknown>)[f] = patch[f];
      }
      const current = this.occurrence(occ.master, occ.originalStartMs)!;
      const s = patch.start ? parseDateTimeTimeZone(patch.start) : startMs(current);
      const e = patch.end ? parseDateTimeTimeZone(patch.end) : endMs(current);
      if (!(e > s)) throw badRequest('The end time must be after the start time.');
      change.start = toDateTimeTimeZone(s);
      change.end = toDateTimeTimeZone(e);
      // Other rooms or people for this occurrence only: the organizer's exception lists them, a
      // mailbox left out loses the occurrence, one added gets it alone (an orphan instance).
      if (patch.attendees && occ.master.isOrganizerCopy) {
        change.attendees = this.normalizeAttendees(patch.attendees, current.attendees ?? []);
        const own = (occ.master.attendeeExceptions ??= new Set());
        if (sameAddresses(change.attendees, occ.master.event.attendees ?? [])) own.delete(key);
        else own.add(key);
      }
      occ.master.exceptions.set(key, change);
      this.state.touch(occ.master);
      if (occ.master.isOrganizerCopy) this.afterOrganizerChange(occ.master);
      return this.occurrence(occ.master, occ.originalStartMs)!;
    }
    const ev = stored.event;
    const next: MSGraph.Event = { ...ev };
    for (const f of PATCHABLE) {
      if (patch[f] !== undefined) (next as Record<string, unknown>)[f] = structuredClone(patch[f]);
    }
    const s = parseDateTimeTimeZone(next.start);
    const e = parseDateTimeTimeZone(next.end);
    if (!(e > s)) throw badRequest('The end time must be after the start time.');
    next.start = toDateTimeTimeZone(s);
    next.end = toDateTimeTimeZone(e);
    if (patch.start?.timeZone) next.originalStartTimeZone = patch.start.timeZone;
    if (patch.end?.timeZone) next.originalEndTimeZone = patch.end.timeZone;
    if (patch.body) next.bodyPreview = preview(patch.body.content);
    if (patch.attendees) next.attendees = this.normalizeAttendees(patch.attendees, ev.attendees ?? []);
    if (patch.recurrence !== undefined) {
      if (patch.recurrence) {
        const problem = validateRecurrence(patch.recurrence);
        if (problem) throw badRequest(problem);
        next.type = 'seriesMaster';
      } else next.type = 'singleInstance';
    }
    if (patch.singleValueExtendedProperties) {
      const props = new Map((ev.singleValueExtendedProperties ?? []).map((p) => [p.id?.toLowerCase(), p]));
      for (const p of patch.singleValueExtendedProperties)
        props.set(p.id?.toLowerCase(), { id: p.id, value: p.value });
      next.singleValueExtendedProperties = [...props.values()];
    }
    this.retiring(stored, () => {
      // A single made recurring leaves the calendar view under its id (its occurrences replace it).
      if (ev.type !== 'seriesMaster' && next.type === 'seriesMaster')
        this.state.retireFromView(stored.mailboxId, ev.id!, stored.immutableId);
      stored.event = next;
      // Changing the pattern drops every exception and cancelled occurrence, as Outlook warns
      // ("Any exceptions associated with this recurring appointment will be lost/cancelled").
      if (next.type !== 'seriesMaster' || patternChanged(ev.recurrence, next.recurrence)) {
        stored.exceptions = new Map();
        stored.cancelledOccurrences = new Set();
        stored.attendeeExceptions = undefined;
        stored.declinedOrphans = undefined;
      } else this.pruneExceptions(stored);
      this.state.touch(stored);
    });
    if (stored.isOrganizerCopy) this.afterOrganizerChange(stored);
    return stored.event;
  }

  /** `DELETE`: by the organizer it cancels the meeting for everyone; by an attendee it removes their copy. */
  delete(mailboxId: string, eventId: string): void {
    eventId = this.state.toRegularId(mailboxId, eventId); // either id resolves (immutable ids)
    const mailbox = this.state.mailbox(mailboxId);
    const stored = mailbox.events.get(eventId);
    if (!stored) {
      const occ = this.findOccurrence(mailboxId, eventId);
      if (!occ || !this.occurrence(occ.master, occ.originalStartMs)) throw notFound();
      this.cancelOccurrence(occ.master, occ.originalStartMs);
      return;
    }
    if (stored.isOrganizerCopy && (stored.event.attendees ?? []).length) this.cancelCopies(stored);
    this.remove(stored);
  }

  /** `POST …/cancel` (organizer only): attendees' copies are marked cancelled, rooms drop theirs. */
  cancel(mailboxId: string, eventId: string): void {
    eventId = this.state.toRegularId(mailboxId, eventId); // either id resolves (immutable ids)
    const stored = this.state.mailbox(mailboxId).events.get(eventId);
    if (!stored) {
      const occ = this.findOccurrence(mailboxId, eventId);
      if (!occ || !this.occurrence(occ.master, occ.originalStartMs)) throw notFound();
      if (!occ.master.isOrganizerCopy) throw notOrganizer();
      this.cancelOccurrence(occ.master, occ.originalStartMs);
      return;
    }
    if (!stored.isOrganizerCopy) throw notOrganizer();
    this.cancelCopies(stored);
    // Graph removes the cancelled meeting from the organizer's calendar.
    this.remove(stored);
  }

  /** `POST …/accept|decline|tentativelyAccept` on an attendee's (or a room's) copy. */
  respond(mailboxId: string, eventId: string, response: Response): void {
    eventId = this.state.toRegularId(mailboxId, eventId); // either id resolves (immutable ids)
    const stored = this.state.mailbox(mailboxId).events.get(eventId);
    if (!stored) {
      const occ = this.findOccurrence(mailboxId, eventId);
      if (!occ || !this.occurrence(occ.master, occ.originalStartMs)) throw notFound();
      this.respondToOccurrence(occ.master, occ.originalStartMs, response);
      return;
    }
    if (stored.isOrganizerCopy) {
      throw badRequest("Your request can't be completed. You can't respond to a meeting you organized.");
    }
    if (stored.orphanOf) {
      this.respondToOrphan(stored, response);
      return;
    }
    const organizerCopy = this.state.findByICalUId(stored.event.iCalUId!).find((s) => s.isOrganizerCopy);
    if (response === 'declined') {
      // A declined meeting leaves the attendee's (and the room's) calendar.
      this.remove(stored);
    } else {
      stored.event.responseStatus = { response, time: this.nowIso() };
      // A delegate's accept books the room as the organizer shows the meeting (no longer tentative).
      if (response === 'accepted' && this.state.rooms.has(mailboxId) && organizerCopy)
        stored.event.showAs = organizerCopy.event.showAs;
      this.state.touch(stored);
    }
    if (organizerCopy) {
      const address = this.user(mailboxId).user.mail?.toLowerCase();
      const att = organizerCopy.event.attendees?.find(
        (a) => a.emailAddress?.address?.toLowerCase() === address,
      );
      if (att) {
        att.status = { response, time: this.nowIso() };
        this.state.touch(organizerCopy);
      }
    }
  }

  /**
   * An attendee (or a room's delegate, or the service for a room) answers ONE occurrence: a decline
   * takes it off that mailbox's calendar only; the organizer's copy records the answer on that
   * occurrence (an exception carrying the attendees), the other attendees keep it. Notified on the
   * series masters' resources, as every occurrence change (docs#5520).
   */
  private respondToOccurrence(copy: StoredEvent, originalStartMs: number, response: Response): void {
    if (copy.isOrganizerCopy) {
      throw badRequest("Your request can't be completed. You can't respond to a meeting you organized.");
    }
    const key = isoUtc(originalStartMs);
    const time = this.nowIso();
    this.retiring(copy, () => {
      if (response === 'declined') {
        copy.cancelledOccurrences.add(key);
        (copy.declinedOccurrences ??= new Set()).add(key);
      } else {
        copy.exceptions.set(key, { ...(copy.exceptions.get(key) ?? {}), responseStatus: { response, time } });
      }
      this.state.touch(copy);
    });
    const org = this.state.findByICalUId(copy.event.iCalUId!).find((s) => s.isOrganizerCopy);
    const address = this.user(copy.mailboxId).user.mail?.toLowerCase();
    if (!org || org.event.type !== 'seriesMaster') return;
    const exception = org.exceptions.get(key) ?? {};
    const attendees = structuredClone(exception.attendees ?? org.event.attendees ?? []);
    const att = attendees.find((a) => a.emailAddress?.address?.toLowerCase() === address);
    if (!att) return;
    att.status = { response, time };
    org.exceptions.set(key, { ...exception, attendees });
    this.state.touch(org);
  }

  // ---- meeting propagation --------------------------------------------------------------------

  private afterOrganizerChange(org: StoredEvent): void {
    const delay = this.options.roomProcessingDelayMs();
    if (delay <= 0) {
      this.propagate(org);
      return;
    }
    const p = new Promise<void>((resolve) => {
      setTimeout(() => {
        try {
          // The organizer's event may have been deleted meanwhile.
          const current = this.state.mailbox(org.mailboxId).events.get(org.event.id!);
          if (current) this.propagate(current);
        } finally {
          this.pending.delete(p);
          resolve();
        }
      }, delay);
    });
    this.pending.add(p);
  }

  /** Brings every attendee mailbox in line with the organizer's copy, rooms deciding for themselves. */
  private propagate(org: StoredEvent): void {
    const organizer = this.user(org.mailboxId);
    const copies = this.state
      .findByICalUId(org.event.iCalUId!)
      .filter((s) => s !== org && !s.isOrganizerCopy);
    const reached = new Set<string>();
    let statusesChanged = false;
    for (const att of org.event.attendees ?? []) {
      const user = this.state.resolveUser(att.emailAddress?.address ?? '');
      if (!user || user.user.id === org.mailboxId) continue;
      const userId = user.user.id!;
      reached.add(userId);
      const copy = copies.find((c) => c.mailboxId === userId);
      const room = this.state.rooms.get(userId);
      // An external organizer's request sits unprocessed in the room's inbox: no copy, no answer.
      if (room && this.ignores(room, org)) continue;
      let status: MSGraph.ResponseType;
      if (room) {
        const decision = decideRoom(
          this.shapeOf(org, userId),
          this.busyOf(room, org.event.iCalUId!),
          room.processing,
          this.state.clock.nowMs(),
        );
        if (decision.accept) {
          status = this.roomAnswer(room, copy, org);
          this.upsertCopy(userId, copy, this.roomCopy(org, organizer.user.displayName ?? '', status), org);
        } else {
          if (copy) this.remove(copy);
          status = 'declined';
        }
      } else {
        const response = copy?.event.responseStatus?.response ?? 'none';
        this.upsertCopy(userId, copy, this.attendeeCopy(org, response), org);
        status = response;
      }
      if (att.status?.response !== status) {
        att.status = { response: status, time: status === 'none' ? NO_TIME : this.nowIso() };
        statusesChanged = true;
      }
    }
    if (this.propagateOrphans(org, organizer.user.displayName ?? '')) statusesChanged = true;
    for (const copy of copies) {
      if (reached.has(copy.mailboxId)) continue;
      // Removed from the meeting: rooms drop it, people see it cancelled.
      const room = this.state.rooms.get(copy.mailboxId);
      if (room) {
        if (!this.ignores(room, org)) this.remove(copy);
      } else if (!copy.event.isCancelled) {
        copy.event.isCancelled = true;
        this.state.touch(copy);
      }
    }
    // The organizer's copy changes again when answers arrive: a second notification, as in Graph.
    if (statusesChanged) this.state.touch(org);
  }

  private upsertCopy(
    mailboxId: string,
    copy: StoredEvent | undefined,
    event: MSGraph.Event,
    org: StoredEvent,
  ): void {
    const exceptions = new Map(
      [...org.exceptions].map(([k, v]) => {
        // Only the organizer's copy knows the answers (docs#5281), per occurrence too.
        const mirrored = v.attendees ? { ...v, attendees: othersUnknown(v.attendees) } : v;
        const room = this.state.rooms.has(mailboxId);
        return [k, room ? { ...mirrored, subject: event.subject, body: event.body } : mirrored];
      }),
    );
    if (copy) {
      this.retiring(copy, () => {
        if (copy.event.type !== 'seriesMaster' && event.type === 'seriesMaster')
          this.state.retireFromView(copy.mailboxId, copy.event.id!, copy.immutableId);
        // A new pattern drops this mailbox's own answers to occurrences, as it drops exceptions.
        if (patternChanged(copy.event.recurrence, event.recurrence)) copy.declinedOccurrences = undefined;
        copy.event = { ...event, id: copy.event.id, createdDateTime: copy.event.createdDateTime };
        copy.exceptions = structuredClone(exceptions);
        copy.cancelledOccurrences = new Set([
          ...org.cancelledOccurrences,
          ...(copy.declinedOccurrences ?? []),
          ...this.removedFor(org, mailboxId),
        ]);
        this.state.touch(copy);
      });
    } else {
      this.state.insertEvent(mailboxId, {
        event: { ...event, id: newItemId() },
        exceptions: structuredClone(exceptions),
        cancelledOccurrences: new Set([...org.cancelledOccurrences, ...this.removedFor(org, mailboxId)]),
        isOrganizerCopy: false,
      });
    }
  }

  /**
   * Occurrences whose own attendee list leaves this mailbox out: off its calendar, as Exchange
   * sends it a cancellation of that occurrence (notified on its copy of the master, docs#5520).
   */
  private removedFor(org: StoredEvent, mailboxId: string): string[] {
    const out: string[] = [];
    for (const key of org.attendeeExceptions ?? []) {
      const attendees = org.exceptions.get(key)?.attendees ?? [];
      if (
        !attendees.some((a) => this.state.resolveUser(a.emailAddress?.address ?? '')?.user.id === mailboxId)
      )
        out.push(key);
    }
    return out;
  }

  /**
   * Mailboxes invited to one occurrence only get it alone — an orphan instance (MS-OXOCAL; the
   * MS-ASEMAIL InstanceType 4), an item of its own carrying the occurrence's iCalUId. A room
   * decides on it as on a single meeting (a conflict declines that occurrence). Orphans whose
   * occurrence no longer lists them (cancelled, attendees changed, a new pattern dropped the
   * exception, the series gone) are cancelled: rooms drop theirs, people see it cancelled.
   * Returns whether an answer on the organizer's copy changed.
   */
  private propagateOrphans(org: StoredEvent, organizerName: string): boolean {
    const existing = this.orphansOf(org.event.iCalUId!);
    const kept = new Set<StoredEvent>();
    let changed = false;
    const inSeries = new Set(
      (org.event.attendees ?? []).map((a) => this.state.resolveUser(a.emailAddress?.address ?? '')?.user.id),
    );
    const keys = org.event.type === 'seriesMaster' ? [...(org.attendeeExceptions ?? [])] : [];
    for (const key of keys) {
      const view = this.occurrence(org, Date.parse(key));
      if (!view) continue; // cancelled: its orphans go below
      for (const att of org.exceptions.get(key)?.attendees ?? []) {
        const user = this.state.resolveUser(att.emailAddress?.address ?? '');
        if (!user || user.user.id === org.mailboxId || inSeries.has(user.user.id)) continue;
        const userId = user.user.id!;
        const copy = existing.find((o) => o.mailboxId === userId && o.orphanOf!.originalStart === key);
        const room = this.state.rooms.get(userId);
        if (room && this.ignores(room, org)) continue;
        let status: MSGraph.ResponseType;
        if (org.declinedOrphans?.has(`${userId}|${key}`)) {
          status = 'declined';
        } else if (room) {
          const s = startMs(view);
          const e = endMs(view);
          const decision = decideRoom(
            { instances: [{ startMs: s, endMs: e }], lastEndMs: e, durationMs: e - s },
            this.busyOf(room, view.iCalUId!),
            room.processing,
            this.state.clock.nowMs(),
          );
          if (decision.accept) {
            status = this.orphanRoomAnswer(room, copy, view);
            kept.add(this.upsertOrphan(org, userId, copy, this.orphanCopy(view, key, status, organizerName)));
          } else status = 'declined';
        } else {
          const response = copy?.event.responseStatus?.response ?? 'none';
          kept.add(this.upsertOrphan(org, userId, copy, this.orphanCopy(view, key, response, null)));
          status = response;
        }
        if (att.status?.response !== status) {
          att.status = { response: status, time: status === 'none' ? NO_TIME : this.nowIso() };
          changed = true;
        }
      }
    }
    for (const orphan of existing) if (!kept.has(orphan)) this.cancelOrphan(orphan);
    return changed;
  }

  private orphansOf(masterICalUId: string): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (const m of this.state.mailboxes.values())
      for (const e of m.events.values()) if (e.orphanOf?.masterICalUId === masterICalUId) out.push(e);
    return out;
  }

  /**
   * Graph v1.0 documents no orphan instance; the harsher plausible reading (emulator/README.md):
   * `type` exception (PidLidIsException is set on orphan instances, MS-OXPROPS) with no
   * `seriesMasterId` (this mailbox holds no master), `originalStart` set, the occurrence's own
   * iCalUId (its GlobalObjectId carries the instance date, MS-OXOCAL 2.2.1.27).
   */
  private orphanCopy(
    view: MSGraph.Event,
    key: string,
    response: MSGraph.ResponseType,
    roomOrganizerName: string | null,
  ): MSGraph.Event {
    const room = roomOrganizerName !== null;
    return {
      ...structuredClone(view),
      type: 'exception',
      seriesMasterId: null,
      recurrence: null,
      originalStart: key,
      isOrganizer: false,
      transactionId: null,
      attendees: othersUnknown(view.attendees),
      ...(room
        ? {
            subject: roomOrganizerName,
            body: { contentType: 'html' as const, content: '' },
            bodyPreview: '',
            ...(response === 'tentativelyAccepted' ? { showAs: 'tentative' as const } : {}),
          }
        : { singleValueExtendedProperties: undefined }),
      responseStatus: { response, time: response === 'none' ? NO_TIME : this.nowIso() },
    };
  }

  private upsertOrphan(
    org: StoredEvent,
    mailboxId: string,
    copy: StoredEvent | undefined,
    event: MSGraph.Event,
  ): StoredEvent {
    const orphanOf = { masterICalUId: org.event.iCalUId!, originalStart: event.originalStart! };
    if (copy) {
      const next = { ...event, id: copy.event.id, createdDateTime: copy.event.createdDateTime };
      // Exchange updates an orphan's attendee when its occurrence changes, not on every series edit.
      if (JSON.stringify(withoutVolatile(copy.event)) !== JSON.stringify(withoutVolatile(next))) {
        copy.event = next;
        this.state.touch(copy);
      }
      return copy;
    }
    return this.state.insertEvent(mailboxId, {
      event: { ...event, id: newItemId() },
      exceptions: new Map(),
      cancelledOccurrences: new Set(),
      isOrganizerCopy: false,
      orphanOf,
    });
  }

  private orphanRoomAnswer(
    room: RoomRecord,
    copy: StoredEvent | undefined,
    view: MSGraph.Event,
  ): MSGraph.ResponseType {
    if (!room.processing.requiresApproval) return 'accepted';
    const answered = copy?.event.responseStatus?.response === 'accepted';
    const sameTimes = copy && startMs(copy.event) === startMs(view) && endMs(copy.event) === endMs(view);
    return answered && sameTimes ? 'accepted' : 'tentativelyAccepted';
  }

  /** An orphan's occurrence no longer lists its mailbox: a room drops it, a person sees it cancelled. */
  private cancelOrphan(orphan: StoredEvent): void {
    if (this.state.rooms.has(orphan.mailboxId)) {
      this.remove(orphan);
    } else if (!orphan.event.isCancelled) {
      orphan.event.isCancelled = true;
      orphan.event.subject = `Annulé : ${orphan.event.subject ?? ''}`;
      this.state.touch(orphan);
    }
  }

  /** An orphan's mailbox answers it: a decline drops it there; the organizer's exception records the answer. */
  private respondToOrphan(orphan: StoredEvent, response: Response): void {
    const key = orphan.orphanOf!.originalStart;
    const org = this.state
      .findByICalUId(orphan.orphanOf!.masterICalUId)
      .find((s) => s.isOrganizerCopy && s.event.type === 'seriesMaster');
    if (response === 'declined') {
      this.remove(orphan);
      if (org) (org.declinedOrphans ??= new Set()).add(`${orphan.mailboxId}|${key}`);
    } else {
      orphan.event.responseStatus = { response, time: this.nowIso() };
      if (response === 'accepted' && this.state.rooms.has(orphan.mailboxId) && org) {
        const view = this.occurrence(org, Date.parse(key));
        if (view) orphan.event.showAs = view.showAs;
      }
      this.state.touch(orphan);
    }
    const address = this.user(orphan.mailboxId).user.mail?.toLowerCase();
    const att = org?.exceptions
      .get(key)
      ?.attendees?.find((a) => a.emailAddress?.address?.toLowerCase() === address);
    if (org && att) {
      att.status = { response, time: this.nowIso() };
      this.state.touch(org);
    }
  }

  /**
   * What an in-policy request gets from the room: AutoAccept accepts; a room with delegates holds
   * it tentative until a delegate answers (office-docs-powershell#4059) — an answer that stands
   * while the organizer's updates keep the meeting's times, as the delegate approved those.
   */
  private roomAnswer(
    room: RoomRecord,
    copy: StoredEvent | undefined,
    org: StoredEvent,
  ): MSGraph.ResponseType {
    if (!room.processing.requiresApproval) return 'accepted';
    const answered = copy?.event.responseStatus?.response === 'accepted';
    const sameTimes =
      copy && startMs(copy.event) === startMs(org.event) && endMs(copy.event) === endMs(org.event);
    return answered && sameTimes ? 'accepted' : 'tentativelyAccepted';
  }

  /** A room's copy: AddOrganizerToSubject + DeleteSubject, DeleteComments (GRAPH-FACTS "Rooms"). */
  private roomCopy(org: StoredEvent, organizerName: string, response: MSGraph.ResponseType): MSGraph.Event {
    return {
      ...structuredClone(org.event),
      subject: organizerName,
      body: { contentType: 'html', content: '' },
      bodyPreview: '',
      isOrganizer: false,
      transactionId: null,
      attendees: othersUnknown(org.event.attendees),
      // A request waiting for a delegate sits on the room's calendar as tentative.
      ...(response === 'tentativelyAccepted' ? { showAs: 'tentative' as const } : {}),
      responseStatus: { response, time: this.nowIso() },
    };
  }

  private attendeeCopy(org: StoredEvent, response: MSGraph.ResponseType): MSGraph.Event {
    return {
      ...structuredClone(org.event),
      isOrganizer: false,
      transactionId: null,
      singleValueExtendedProperties: undefined,
      attendees: othersUnknown(org.event.attendees),
      responseStatus: { response, time: response === 'none' ? NO_TIME : this.nowIso() },
    };
  }

  private cancelCopies(org: StoredEvent): void {
    // A series' orphan instances go with it.
    for (const orphan of this.orphansOf(org.event.iCalUId!)) {
      const room = this.state.rooms.get(orphan.mailboxId);
      if (!room || !this.ignores(room, org)) this.cancelOrphan(orphan);
    }
    for (const copy of this.state.findByICalUId(org.event.iCalUId!)) {
      if (copy === org || copy.isOrganizerCopy) continue;
      const room = this.state.rooms.get(copy.mailboxId);
      if (room && this.ignores(room, org)) continue;
      copy.event.isCancelled = true;
      copy.event.subject = `Annulé : ${copy.event.subject ?? ''}`;
      this.state.touch(copy);
      // Rooms (AutoAccept) remove the cancelled meeting from their calendar; people keep it, cancelled.
      if (room) this.remove(copy);
    }
  }

  /**
   * ProcessExternalMeetingMessages=false (the default): a room leaves meeting messages from an
   * organizer outside the organisation unprocessed — requests, updates and cancellations alike.
   */
  private ignores(room: RoomRecord, org: StoredEvent): boolean {
    return !room.processing.processExternalMeetingMessages && !this.state.isInternal(org.mailboxId);
  }

  private cancelOccurrence(master: StoredEvent, originalStartMs: number): void {
    this.retiring(master, () => {
      master.cancelledOccurrences.add(isoUtc(originalStartMs));
      // Notified on the series master's resource (docs#5520), like every occurrence change.
      this.state.touch(master);
    });
    if (master.isOrganizerCopy) this.afterOrganizerChange(master);
  }

  /** Removes an item; a series' occurrences leave the calendar view with it. */
  private remove(stored: StoredEvent): void {
    this.retiring(stored, () => this.state.removeEvent(stored));
  }

  /**
   * Runs a change to an item and records the occurrences it took out of the calendar view
   * (cancelled, dropped by a new pattern or range, or the series deleted), so delta reports them.
   */
  private retiring(stored: StoredEvent, change: () => void): void {
    const before = this.liveOccurrences(stored);
    change();
    const alive = this.state.mailbox(stored.mailboxId).events.get(stored.event.id!) === stored;
    const after = alive ? this.liveOccurrences(stored) : new Set<number>();
    for (const ms of before) {
      if (after.has(ms)) continue;
      this.state.retireFromView(
        stored.mailboxId,
        occurrenceId(stored.event.id!, ms),
        occurrenceId(stored.immutableId, ms),
      );
    }
  }

  /** Original starts of a series' live occurrences around now (what a delta window may hold). */
  private liveOccurrences(stored: StoredEvent): Set<number> {
    if (stored.event.type !== 'seriesMaster' || !stored.event.recurrence) return new Set();
    const now = this.state.clock.nowMs();
    const out = new Set<number>();
    for (const slot of this.slotsOf(stored, now + RETIRE_AHEAD_MS)) {
      const ms = slot.originalStartMs;
      if (ms >= now - RETIRE_BEHIND_MS && !stored.cancelledOccurrences.has(isoUtc(ms))) out.add(ms);
    }
    return out;
  }

  /** Exceptions and cancellations whose occurrence no longer exists (the series moved) are gone. */
  private pruneExceptions(stored: StoredEvent): void {
    const keys = [...stored.exceptions.keys(), ...stored.cancelledOccurrences];
    if (!keys.length) return;
    const latest = Math.max(...keys.map((k) => Date.parse(k)));
    const slots = new Set(this.slotsOf(stored, latest + 1).map((x) => isoUtc(x.originalStartMs)));
    for (const k of stored.exceptions.keys()) if (!slots.has(k)) stored.exceptions.delete(k);
    for (const k of stored.attendeeExceptions ?? []) if (!slots.has(k)) stored.attendeeExceptions!.delete(k);
    for (const k of stored.cancelledOccurrences) if (!slots.has(k)) stored.cancelledOccurrences.delete(k);
  }

  /** The instances a room must check (not the occurrences it was left out of), and the meeting's extent. */
  private shapeOf(org: StoredEvent, roomId: string): MeetingShape {
    const s = startMs(org.event);
    const durationMs = endMs(org.event) - s;
    if (org.event.type !== 'seriesMaster') {
      return { instances: [{ startMs: s, endMs: s + durationMs }], lastEndMs: s + durationMs, durationMs };
    }
    const zone = seriesZone(org.event.recurrence!, org.event.originalStartTimeZone);
    const lastEndMs = seriesEndMs(org.event.recurrence!, s, durationMs, zone);
    const until = Math.min(lastEndMs, this.state.clock.nowMs() + 366 * DAY_MS);
    const leftOut = new Set(this.removedFor(org, roomId));
    const instances = this.expand(org, s - DAY_MS, until)
      .filter((o) => !leftOut.has(o.originalStart!))
      .map((o) => ({ startMs: startMs(o), endMs: endMs(o) }));
    return { instances, lastEndMs, durationMs, recurring: true };
  }

  /**
   * The room's busy times, but for the meeting being processed: its own copy (same iCalUId on the
   * master; occurrences have iCalUIds of their own, so the series is skipped as a whole).
   */
  private busyOf(room: RoomRecord, exceptICalUId: string): Interval[] {
    const now = this.state.clock.nowMs();
    const from = now - DAY_MS;
    const to = now + (room.processing.bookingWindowInDays + 1) * DAY_MS;
    const out: Interval[] = [];
    for (const s of this.list(room.userId)) {
      if (s.event.iCalUId === exceptICalUId) continue;
      const views =
        s.event.type === 'seriesMaster'
          ? this.expand(s, from, to)
          : startMs(s.event) < to && endMs(s.event) > from
            ? [s.event]
            : [];
      for (const e of views)
        if (!e.isCancelled && e.showAs !== 'free') out.push({ startMs: startMs(e), endMs: endMs(e) });
    }
    return out;
  }

  // ---- helpers --------------------------------------------------------------------------------

  private normalizeNew(input: MSGraph.Event, organizer: { user: MSGraph.User }): MSGraph.Event {
    if (!input.start || !input.end) throw badRequest('An event needs a start and an end.');
    let s: number;
    let e: number;
    try {
      s = parseDateTimeTimeZone(input.start);
      e = parseDateTimeTimeZone(input.end);
    } catch (err) {
      throw badRequest((err as Error).message);
    }
    if (!(e > s)) throw badRequest('The end time must be after the start time.');
    if (input.recurrence) {
      const problem = validateRecurrence(input.recurrence);
      if (problem) throw badRequest(problem);
    }
    const body = input.body ?? { contentType: 'html', content: '' };
    return {
      id: newItemId(),
      iCalUId: newICalUId(),
      subject: input.subject ?? '',
      body: { contentType: body.contentType ?? 'html', content: body.content ?? '' },
      bodyPreview: preview(body.content),
      start: toDateTimeTimeZone(s),
      end: toDateTimeTimeZone(e),
      originalStartTimeZone: input.start.timeZone ?? 'UTC',
      originalEndTimeZone: input.end.timeZone ?? 'UTC',
      location: input.location ?? { displayName: '' },
      locations: input.locations ?? [],
      attendees: this.normalizeAttendees(input.attendees ?? [], []),
      organizer: { emailAddress: { name: organizer.user.displayName, address: organizer.user.mail } },
      isOrganizer: true,
      isCancelled: false,
      isAllDay: input.isAllDay ?? false,
      isReminderOn: input.isReminderOn ?? true,
      reminderMinutesBeforeStart: input.reminderMinutesBeforeStart ?? 15,
      responseRequested: input.responseRequested ?? true,
      responseStatus: { response: 'organizer', time: NO_TIME },
      showAs: input.showAs ?? 'busy',
      sensitivity: input.sensitivity ?? 'normal',
      importance: input.importance ?? 'normal',
      categories: input.categories ?? [],
      hasAttachments: false,
      type: input.recurrence ? 'seriesMaster' : 'singleInstance',
      seriesMasterId: null,
      recurrence: input.recurrence ?? null,
      transactionId: input.transactionId ?? null,
      singleValueExtendedProperties: input.singleValueExtendedProperties?.map((p) => ({
        id: p.id,
        value: p.value,
      })),
      webLink: null,
      onlineMeeting: null,
    };
  }

  private normalizeAttendees(input: MSGraph.Attendee[], previous: MSGraph.Attendee[]): MSGraph.Attendee[] {
    return input.map((a) => {
      const address = a.emailAddress?.address;
      if (!address) throw badRequest('An attendee needs an e-mail address.');
      const before = previous.find((p) => p.emailAddress?.address?.toLowerCase() === address.toLowerCase());
      const user = this.state.resolveUser(address);
      return {
        type: a.type ?? 'required',
        emailAddress: { name: a.emailAddress?.name ?? user?.user.displayName ?? address, address },
        status: before?.status ?? { response: 'none', time: NO_TIME },
      };
    });
  }

  private findOccurrence(
    mailboxId: string,
    id: string,
  ): { master: StoredEvent; originalStartMs: number } | null {
    const i = id.lastIndexOf(OCCURRENCE_SEPARATOR);
    if (i < 0) return null;
    const master = this.state.mailbox(mailboxId).events.get(id.slice(0, i));
    const originalStartMs = Number(id.slice(i + 1));
    if (!master || master.event.type !== 'seriesMaster' || !Number.isFinite(originalStartMs)) return null;
    // Only an original start the pattern produces names an occurrence.
    const slots = this.slotsOf(master, originalStartMs + 1);
    if (slots[slots.length - 1]?.originalStartMs !== originalStartMs) return null;
    return { master, originalStartMs };
  }

  private user(userId: string): { user: MSGraph.User } {
    const u = this.state.mailboxOwner(userId);
    if (!u) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${userId}' is invalid.`);
    return u;
  }

  private nowIso(): string {
    return this.state.clock.now().toISOString();
  }
}

/**
 * Only the organizer's copy knows the attendees' answers: every other copy (rooms, attendees)
 * shows `none` for each attendee (docs#5281, docs#4579); a copy's own answer is its responseStatus.
 */
function othersUnknown(attendees: MSGraph.Attendee[] | null | undefined): MSGraph.Attendee[] {
  return (attendees ?? []).map((a) => ({
    ...structuredClone(a),
    status: { response: 'none', time: NO_TIME },
  }));
}

/** Same people and rooms, whatever their answers. */
function sameAddresses(a: MSGraph.Attendee[], b: MSGraph.Attendee[]): boolean {
  const set = (l: MSGraph.Attendee[]) =>
    [...new Set(l.map((x) => x.emailAddress?.address?.toLowerCase() ?? ''))].sort().join('\n');
  return set(a) === set(b);
}

/** An event without what changes on every write (to tell a real change from a rewrite). */
function withoutVolatile(e: MSGraph.Event): MSGraph.Event {
  const { lastModifiedDateTime: _m, changeKey: _k, responseStatus, ...rest } = e;
  return { ...rest, responseStatus: { response: responseStatus?.response } };
}

function notOrganizer(): GraphError {
  return badRequest("Your request can't be completed. Only the meeting organizer can cancel a meeting.");
}

function preview(content: string | null | undefined): string {
  return (content ?? '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255);
}

export function occurrenceId(masterId: string, originalStartMs: number): string {
  return `${masterId}${OCCURRENCE_SEPARATOR}${originalStartMs}`;
}

export function startMs(e: MSGraph.Event): number {
  return parseDateTimeTimeZone(e.start);
}

export function endMs(e: MSGraph.Event): number {
  return parseDateTimeTimeZone(e.end);
}
