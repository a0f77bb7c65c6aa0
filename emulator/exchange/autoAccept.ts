/**
 * A room mailbox's AutoAccept decision (Set-CalendarProcessing defaults, GRAPH-FACTS "Rooms"):
 * accept when free (AllowConflicts=false), inside BookingWindowInDays and under
 * MaximumDurationInMinutes; a recurring meeting is declined when any occurrence conflicts
 * (MaximumConflictInstances=0) or when it extends past the booking window
 * (EnforceSchedulingHorizon=true: "declined if the meetings start on or before the date specified
 * by BookingWindowInDays and extend beyond" — Set-CalendarProcessing, quoted in Microsoft Tech
 * Community thread 3721493; so a noEnd series is declined whole). MaximumDurationInMinutes applies
 * to each occurrence (an exception may be longer than its series). AllowRecurringMeetings=true by
 * default. Pure: the caller gives the room's other busy intervals.
 */
import type { RoomProcessing } from '../model';

const DAY_MS = 86_400_000;

export interface Interval {
  startMs: number;
  endMs: number;
}

export type RoomDecision = { accept: true } | { accept: false; reason: string };

export interface MeetingShape {
  /** Occurrences (or the single instance) to check, start-ordered. */
  instances: Interval[];
  /** End of the whole meeting or series (+Infinity for a series without end). */
  lastEndMs: number;
  durationMs: number;
  /** Whether the request is a series (AllowRecurringMeetings applies). */
  recurring?: boolean;
}

export function decideRoom(
  meeting: MeetingShape,
  busy: Interval[],
  processing: RoomProcessing,
  nowMs: number,
): RoomDecision {
  if (meeting.recurring && processing.allowRecurringMeetings === false) {
    return { accept: false, reason: 'Cette salle n’accepte pas les réunions périodiques.' };
  }
  const longest = Math.max(meeting.durationMs, ...meeting.instances.map((i) => i.endMs - i.startMs));
  if (longest > processing.maximumDurationInMinutes * 60_000) {
    return {
      accept: false,
      reason: `La durée dépasse le maximum de ${processing.maximumDurationInMinutes} minutes.`,
    };
  }
  const horizon = nowMs + processing.bookingWindowInDays * DAY_MS;
  if (meeting.lastEndMs > horizon) {
    return {
      accept: false,
      reason: `La réunion dépasse la fenêtre de réservation de ${processing.bookingWindowInDays} jours.`,
    };
  }
  if (!processing.allowConflicts) {
    for (const i of meeting.instances) {
      if (i.endMs <= nowMs) continue; // past occurrences do not block
      if (busy.some((b) => b.startMs < i.endMs && i.startMs < b.endMs)) {
        return { accept: false, reason: 'La salle est déjà réservée sur ce créneau.' };
      }
    }
  }
  return { accept: true };
}
