/**
 * Expansion of daily and weekly recurrences into occurrences. Occurrences are computed in UTC from
 * the series master's start (known difference: no DST shift across a series; see README).
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';

const DAY_MS = 86_400_000;
const DAYS: MSGraph.DayOfWeek[] = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];
/** Safety cap for noEnd series when no horizon is given. */
const MAX_OCCURRENCES = 1000;

export interface OccurrenceSlot {
  /** Original start of the occurrence (UTC ms): the key of exceptions and cancellations. */
  originalStartMs: number;
  durationMs: number;
}

function dateOnlyMs(date: string): number {
  return Date.parse(date.slice(0, 10) + 'T00:00:00Z');
}

export function validateRecurrence(r: MSGraph.PatternedRecurrence): string | null {
  const type = r.pattern?.type;
  if (type !== 'daily' && type !== 'weekly')
    return `Recurrence pattern type '${type}' is not supported by the emulator`;
  if (type === 'weekly' && !(r.pattern?.daysOfWeek ?? []).length) return 'Weekly recurrence needs daysOfWeek';
  if (!r.range?.startDate) return 'Recurrence range needs a startDate';
  const rangeType = r.range.type;
  if (rangeType !== 'endDate' && rangeType !== 'noEnd' && rangeType !== 'numbered')
    return `Unsupported range type '${rangeType}'`;
  if (rangeType === 'endDate' && !r.range.endDate) return 'Recurrence range of type endDate needs an endDate';
  if (rangeType === 'numbered' && !(r.range.numberOfOccurrences && r.range.numberOfOccurrences > 0))
    return 'Recurrence range of type numbered needs numberOfOccurrences';
  return null;
}

/**
 * Occurrence slots of a series, in order, until `untilMs` (exclusive, by start) or the range's end.
 * `masterStartMs` gives the time of day.
 */
export function expandSlots(
  recurrence: MSGraph.PatternedRecurrence,
  masterStartMs: number,
  durationMs: number,
  untilMs: number = Number.POSITIVE_INFINITY,
): OccurrenceSlot[] {
  const pattern = recurrence.pattern ?? {};
  const range = recurrence.range ?? {};
  const interval = Math.max(1, pattern.interval ?? 1);
  const timeOfDay = ((masterStartMs % DAY_MS) + DAY_MS) % DAY_MS;
  const first = dateOnlyMs(range.startDate ?? new Date(masterStartMs).toISOString());
  const last =
    range.type === 'endDate' && range.endDate ? dateOnlyMs(range.endDate) : Number.POSITIVE_INFINITY;
  const count = range.type === 'numbered' ? (range.numberOfOccurrences ?? 0) : Number.POSITIVE_INFINITY;
  const days = new Set((pattern.daysOfWeek ?? []).map((d) => DAYS.indexOf(d)));
  const out: OccurrenceSlot[] = [];
  // Weekly patterns count weeks from the week (Sunday-based unless firstDayOfWeek says otherwise)
  // that contains the range start.
  const firstDow = DAYS.indexOf(pattern.firstDayOfWeek ?? 'sunday');
  const weekStart = first - ((new Date(first).getUTCDay() - firstDow + 7) % 7) * DAY_MS;
  for (let day = first; day <= last && out.length < count && out.length < MAX_OCCURRENCES; day += DAY_MS) {
    const start = day + timeOfDay;
    if (start >= untilMs) break;
    const dayIndex = Math.round((day - first) / DAY_MS);
    let matches: boolean;
    if (pattern.type === 'daily') matches = dayIndex % interval === 0;
    else {
      const week = Math.floor((day - weekStart) / (7 * DAY_MS));
      matches = week % interval === 0 && days.has(new Date(day).getUTCDay());
    }
    if (matches) out.push({ originalStartMs: start, durationMs });
  }
  return out;
}

/** End of the series (ms) or +Infinity for noEnd. */
export function seriesEndMs(
  recurrence: MSGraph.PatternedRecurrence,
  masterStartMs: number,
  durationMs: number,
): number {
  if (recurrence.range?.type === 'noEnd') return Number.POSITIVE_INFINITY;
  const slots = expandSlots(recurrence, masterStartMs, durationMs);
  const lastSlot = slots[slots.length - 1];
  return lastSlot ? lastSlot.originalStartMs + durationMs : masterStartMs + durationMs;
}
