import type { OpeningInterval, Weekday, WeeklySchedule } from '../contract/hector';

/**
 * Pure helpers of the booking-options forms (R2, K1, K2): a schedule as form fields and back,
 * numbers typed by the admin, and a schedule in a few words.
 */

/** The days of a schedule, in the order the forms show them. */
export const WEEKDAYS = [
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
] as const satisfies readonly Weekday[];

/** One weekday in the form: open from–to, or closed. Further intervals are kept as they are. */
export interface DayDraft {
  open: boolean;
  from: string;
  to: string;
  more: OpeningInterval[];
}

export interface ScheduleDraft {
  /** true: no schedule of its own (a place uses the store's; a store is open at all hours). */
  unset: boolean;
  days: Record<Weekday, DayDraft>;
}

export type ScheduleProblem = 'clock' | 'order';

const CLOCK = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** "8:00" → "08:00"; anything else as typed (trimmed). */
export function normalizeClock(value: string): string {
  const v = value.trim();
  return /^\d:\d{2}$/.test(v) ? `0${v}` : v;
}

export function scheduleDraft(schedule: WeeklySchedule | null | undefined): ScheduleDraft {
  const days = {} as Record<Weekday, DayDraft>;
  for (const day of WEEKDAYS) {
    const [first, ...more] = schedule?.[day] ?? [];
    days[day] = first
      ? { open: true, from: first.from, to: first.to, more }
      : { open: false, from: '08:00', to: '18:00', more: [] };
  }
  return { unset: !schedule, days };
}

/** Which days have a time that is not HH:MM, or a close not after the open. */
export function scheduleProblems(draft: ScheduleDraft): Partial<Record<Weekday, ScheduleProblem>> {
  const problems: Partial<Record<Weekday, ScheduleProblem>> = {};
  if (draft.unset) return problems;
  for (const day of WEEKDAYS) {
    const d = draft.days[day];
    if (!d.open) continue;
    const from = normalizeClock(d.from);
    const to = normalizeClock(d.to);
    if (!CLOCK.test(from) || !CLOCK.test(to)) problems[day] = 'clock';
    else if (from >= to) problems[day] = 'order';
  }
  return problems;
}

/** The draft as the API's schedule: every day given (closed = []), or null when unset. */
export function scheduleFromDraft(draft: ScheduleDraft): WeeklySchedule | null {
  if (draft.unset) return null;
  const schedule: WeeklySchedule = {};
  for (const day of WEEKDAYS) {
    const d = draft.days[day];
    schedule[day] = d.open ? [{ from: normalizeClock(d.from), to: normalizeClock(d.to) }, ...d.more] : [];
  }
  return schedule;
}

/** Same opening hours, whatever the spelling of closed days (missing or []). */
export function sameSchedule(a: WeeklySchedule | null | undefined, b: WeeklySchedule | null | undefined) {
  if (!a || !b) return !a && !b;
  return WEEKDAYS.every((day) => JSON.stringify(a[day] ?? []) === JSON.stringify(b[day] ?? []));
}

/**
 * A whole positive number typed by the admin: '' → null (unset), otherwise the number, or
 * undefined when it is not one.
 */
export function parsePositive(value: string): number | null | undefined {
  const v = value.trim();
  if (v === '') return null;
  if (!/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 && Number.isSafeInteger(n) ? n : undefined;
}

/** A tri-state choice (inherit / on / off) as the radio value and back. */
export type Inherited = 'inherit' | 'on' | 'off';
export const toInherited = (value: boolean | null | undefined): Inherited =>
  value === true ? 'on' : value === false ? 'off' : 'inherit';
export const fromInherited = (value: Inherited): boolean | null =>
  value === 'on' ? true : value === 'off' ? false : null;

/**
 * "Mon–Fri 08:00–18:00 · Sat–Sun closed": consecutive days with the same hours grouped.
 * `dayNames` and `closed` come from the admin's language.
 */
export function describeSchedule(
  schedule: WeeklySchedule,
  dayNames: Record<Weekday, string>,
  closed: string,
): string {
  const hours = (day: Weekday) => (schedule[day] ?? []).map((i) => `${i.from}–${i.to}`).join(', ') || closed;
  const groups: Array<{ first: Weekday; last: Weekday; text: string }> = [];
  for (const day of WEEKDAYS) {
    const text = hours(day);
    const previous = groups[groups.length - 1];
    if (previous && previous.text === text) previous.last = day;
    else groups.push({ first: day, last: day, text });
  }
  return groups
    .map((g) => `${dayNames[g.first]}${g.first === g.last ? '' : `–${dayNames[g.last]}`} ${g.text}`)
    .join(' · ');
}
