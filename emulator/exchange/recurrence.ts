/**
 * Expansion of a Graph patternedRecurrence into occurrence slots, as Exchange keeps series: in the
 * series' OWN time zone (`range.recurrenceTimeZone`, else the master's start zone), so a weekly
 * 10:00 Europe/Paris meeting stays at 10:00 local across a DST change (its UTC hour moves).
 * Patterns daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly, relativeYearly; ranges
 * endDate, numbered, noEnd (GDC resources/recurrencepattern.md, recurrencerange.md). Pure.
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { formatLocal, parseDateTimeTimeZone, toIanaZone } from './time';

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
const INDEXES: MSGraph.WeekIndex[] = ['first', 'second', 'third', 'fourth', 'last'];
const PATTERNS = [
  'daily',
  'weekly',
  'absoluteMonthly',
  'relativeMonthly',
  'absoluteYearly',
  'relativeYearly',
] as const;
/** Safety cap: a noEnd series is only ever expanded up to a horizon the caller gives. */
const MAX_OCCURRENCES = 5000;

export interface OccurrenceSlot {
  /** Original start of the occurrence (UTC ms): the key of exceptions and cancellations. */
  originalStartMs: number;
  durationMs: number;
}

const isDate = (d: unknown): d is string =>
  typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d + 'T00:00:00Z'));
const isCount = (n: unknown, min: number, max: number): boolean =>
  typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

/** A reason the recurrence is not valid (a 400's message), or null. */
export function validateRecurrence(r: MSGraph.PatternedRecurrence): string | null {
  const p = r.pattern ?? {};
  const type = p.type;
  if (!PATTERNS.includes(type as (typeof PATTERNS)[number]))
    return `Recurrence pattern type '${String(type)}' is not valid`;
  if (p.interval !== undefined && p.interval !== null && !isCount(p.interval, 1, 999))
    return 'Recurrence interval must be a whole number from 1 to 999';
  const days = p.daysOfWeek ?? [];
  if (days.some((d) => !DAYS.includes(d))) return 'daysOfWeek holds an unknown day';
  if (p.firstDayOfWeek && !DAYS.includes(p.firstDayOfWeek)) return 'firstDayOfWeek is not a day';
  if ((type === 'weekly' || type === 'relativeMonthly' || type === 'relativeYearly') && !days.length)
    return `A ${type} recurrence needs daysOfWeek`;
  if ((type === 'relativeMonthly' || type === 'relativeYearly') && p.index && !INDEXES.includes(p.index))
    return 'index must be first, second, third, fourth or last';
  if ((type === 'absoluteMonthly' || type === 'absoluteYearly') && !isCount(p.dayOfMonth, 1, 31))
    return `A ${type} recurrence needs dayOfMonth (1 to 31)`;
  if ((type === 'absoluteYearly' || type === 'relativeYearly') && !isCount(p.month, 1, 12))
    return `A ${type} recurrence needs month (1 to 12)`;
  const range = r.range;
  if (!range || !isDate(range.startDate)) return 'Recurrence range needs a startDate (YYYY-MM-DD)';
  const rangeType = range.type;
  if (rangeType !== 'endDate' && rangeType !== 'noEnd' && rangeType !== 'numbered')
    return `Unsupported range type '${String(rangeType)}'`;
  if (rangeType === 'endDate') {
    if (!isDate(range.endDate)) return 'Recurrence range of type endDate needs an endDate (YYYY-MM-DD)';
    if (range.endDate < range.startDate) return 'The recurrence endDate is before its startDate';
  }
  if (rangeType === 'numbered' && !isCount(range.numberOfOccurrences, 1, 999))
    return 'Recurrence range of type numbered needs numberOfOccurrences (1 to 999)';
  if (range.recurrenceTimeZone) {
    try {
      toIanaZone(range.recurrenceTimeZone);
    } catch {
      return `Unknown recurrenceTimeZone '${range.recurrenceTimeZone}'`;
    }
  }
  return null;
}

/** The zone a series expands in: recurrenceTimeZone, else its start's zone. */
export function seriesZone(recurrence: MSGraph.PatternedRecurrence, startTimeZone?: string | null): string {
  return toIanaZone(recurrence.range?.recurrenceTimeZone || startTimeZone || 'UTC');
}

// ---- calendar dates as day numbers (days since 1970-01-01), zone-free --------------------------

const dayOf = (date: string): number => Date.parse(date + 'T00:00:00Z') / DAY_MS;
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekdayOf = (day: number): number => new Date(day * DAY_MS).getUTCDay();
const dayOfYmd = (y: number, m: number, d: number): number => Date.UTC(y, m, d) / DAY_MS;
const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/**
 * The day of a month for a relative pattern ("second Tuesday", "last weekday"): the index-th day
 * of that month whose weekday is one of `weekdays`.
 */
function relativeDay(y: number, m: number, weekdays: Set<number>, index: MSGraph.WeekIndex): number {
  const matching: number[] = [];
  for (let d = 1; d <= daysInMonth(y, m); d++) {
    const day = dayOfYmd(y, m, d);
    if (weekdays.has(weekdayOf(day))) matching.push(day);
  }
  return index === 'last' ? matching[matching.length - 1] : matching[INDEXES.indexOf(index)];
}

/** Candidate days of the pattern, in order, from the range start on (infinite: the caller stops). */
function* candidateDays(pattern: MSGraph.RecurrencePattern, startDay: number): Generator<number> {
  const interval = Math.max(1, pattern.interval ?? 1);
  const weekdays = new Set((pattern.daysOfWeek ?? []).map((d) => DAYS.indexOf(d)));
  const index = pattern.index ?? 'first';
  const start = new Date(startDay * DAY_MS);
  const [y0, m0] = [start.getUTCFullYear(), start.getUTCMonth()];
  // Months with fewer days than dayOfMonth get the month's last day, as Outlook says it will.
  const clamp = (y: number, m: number, d: number): number => dayOfYmd(y, m, Math.min(d, daysInMonth(y, m)));
  switch (pattern.type) {
    case 'daily':
      for (let day = startDay; ; day += interval) yield day;
    case 'weekly': {
      // Weeks count from the week (starting on firstDayOfWeek, Sunday by default) holding the start.
      const firstDow = DAYS.indexOf(pattern.firstDayOfWeek ?? 'sunday');
      const weekStart = startDay - ((weekdayOf(startDay) - firstDow + 7) % 7);
      for (let w = weekStart; ; w += 7 * interval)
        for (let i = 0; i < 7; i++) if (weekdays.has(weekdayOf(w + i))) yield w + i;
    }
    case 'absoluteMonthly':
      for (let k = 0; ; k += interval) yield clamp(y0, m0 + k, pattern.dayOfMonth ?? 1);
    case 'relativeMonthly':
      for (let k = 0; ; k += interval) {
        const first = new Date(Date.UTC(y0, m0 + k, 1));
        yield relativeDay(first.getUTCFullYear(), first.getUTCMonth(), weekdays, index);
      }
    case 'absoluteYearly':
      for (let k = 0; ; k += interval) yield clamp(y0 + k, (pattern.month ?? 1) - 1, pattern.dayOfMonth ?? 1);
    case 'relativeYearly':
      for (let k = 0; ; k += interval) yield relativeDay(y0 + k, (pattern.month ?? 1) - 1, weekdays, index);
    default:
      return;
  }
}

/**
 * Occurrence slots of a series, in order, until `untilMs` (exclusive, by start) or the range's end.
 * The master's start gives the local time of day in `zone` (the series' zone, see seriesZone).
 */
export function expandSlots(
  recurrence: MSGraph.PatternedRecurrence,
  masterStartMs: number,
  durationMs: number,
  untilMs: number = Number.POSITIVE_INFINITY,
  zone = 'UTC',
): OccurrenceSlot[] {
  const iana = toIanaZone(zone);
  const local = formatLocal(masterStartMs, iana);
  const timeOfDay = local.slice(11, 19);
  const range = recurrence.range ?? {};
  const startDay = dayOf(range.startDate ?? local.slice(0, 10));
  const lastDay = range.type === 'endDate' && range.endDate ? dayOf(range.endDate) : Number.POSITIVE_INFINITY;
  const count = range.type === 'numbered' ? (range.numberOfOccurrences ?? 0) : Number.POSITIVE_INFINITY;
  const out: OccurrenceSlot[] = [];
  for (const day of candidateDays(recurrence.pattern ?? {}, startDay)) {
    if (day < startDay) continue;
    if (day > lastDay || out.length >= count || out.length >= MAX_OCCURRENCES) break;
    const start = parseDateTimeTimeZone({ dateTime: `${dateOf(day)}T${timeOfDay}`, timeZone: iana });
    if (start >= untilMs) break;
    out.push({ originalStartMs: start, durationMs });
  }
  return out;
}

/** End of the series (ms) or +Infinity for noEnd. */
export function seriesEndMs(
  recurrence: MSGraph.PatternedRecurrence,
  masterStartMs: number,
  durationMs: number,
  zone = 'UTC',
): number {
  if (recurrence.range?.type === 'noEnd') return Number.POSITIVE_INFINITY;
  const slots = expandSlots(recurrence, masterStartMs, durationMs, Number.POSITIVE_INFINITY, zone);
  const lastSlot = slots[slots.length - 1];
  return lastSlot ? lastSlot.originalStartMs + durationMs : masterStartMs + durationMs;
}

/** Whether two recurrences differ in their pattern (which makes Exchange drop the exceptions). */
export function patternChanged(
  before: MSGraph.PatternedRecurrence | null | undefined,
  after: MSGraph.PatternedRecurrence | null | undefined,
): boolean {
  const norm = (p: MSGraph.RecurrencePattern | null | undefined): string =>
    JSON.stringify({
      type: p?.type ?? null,
      interval: p?.interval ?? 1,
      daysOfWeek: [...(p?.daysOfWeek ?? [])].sort(),
      dayOfMonth: p?.dayOfMonth || null,
      month: p?.month || null,
      index: p?.index ?? 'first',
      firstDayOfWeek: p?.firstDayOfWeek ?? 'sunday',
    });
  return norm(before?.pattern) !== norm(after?.pattern);
}

/**
 * An occurrence's iCalUId: Exchange's GlobalObjectId of the series with the YH YL M D bytes (hex
 * characters 32–39) set to the instance's original date ([MS-OXOCAL] 2.2.1.27, 4.1.2; the master
 * keeps zeros there). So it differs per occurrence (GDC resources/event.md) and is stable across reads.
 */
export function occurrenceICalUId(masterICalUId: string, originalStartMs: number): string {
  const d = new Date(originalStartMs);
  const hex = (n: number, width: number): string => n.toString(16).toUpperCase().padStart(width, '0');
  const date = hex(d.getUTCFullYear(), 4) + hex(d.getUTCMonth() + 1, 2) + hex(d.getUTCDate(), 2);
  if (masterICalUId.length < 40) return `${masterICalUId}-${date}`;
  return masterICalUId.slice(0, 32) + date + masterICalUId.slice(40);
}
