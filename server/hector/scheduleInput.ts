import type { OpeningInterval, Weekday, WeeklySchedule } from '../store/tables/hector';

/**
 * Schedules arrive from admins and scripts in several everyday spellings; this turns them into
 * the one stored form `{ mon: [{ from: '07:00', to: '20:00' }] }`. Pure; anything it cannot read
 * is left as is for the schema to reject with a clear message.
 *
 * Accepted per day: `[{from,to}]`, `[{open,close}]`, `[{start,end}]`, `['07:00-20:00']`,
 * `[['07:00','20:00']]`, or one of these without the array; null or [] means closed.
 * Day keys: mon…sun, monday…sunday (any case), or 0–7 (0 and 7 are Sunday, as in cron).
 */
const DAY_KEYS: Record<string, Weekday> = {
  mon: 'mon',
  monday: 'mon',
  '1': 'mon',
  tue: 'tue',
  tuesday: 'tue',
  '2': 'tue',
  wed: 'wed',
  wednesday: 'wed',
  '3': 'wed',
  thu: 'thu',
  thursday: 'thu',
  '4': 'thu',
  fri: 'fri',
  friday: 'fri',
  '5': 'fri',
  sat: 'sat',
  saturday: 'sat',
  '6': 'sat',
  sun: 'sun',
  sunday: 'sun',
  '0': 'sun',
  '7': 'sun',
};

const pad = (clock: unknown): unknown =>
  typeof clock === 'string' && /^\d:\d{2}$/.test(clock.trim())
    ? `0${clock.trim()}`
    : typeof clock === 'string'
      ? clock.trim()
      : clock;

function normalizeInterval(value: unknown): unknown {
  if (typeof value === 'string') {
    const [from, to] = value.split(/\s*[-–]\s*/);
    return { from: pad(from), to: pad(to) };
  }
  if (Array.isArray(value) && value.length === 2) return { from: pad(value[0]), to: pad(value[1]) };
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    return { from: pad(v.from ?? v.open ?? v.start), to: pad(v.to ?? v.close ?? v.end) };
  }
  return value;
}

function normalizeDay(value: unknown): unknown {
  if (value === null || value === undefined || value === false) return [];
  const list =
    Array.isArray(value) &&
    !(value.length === 2 && value.every((v) => typeof v === 'string' && !v.includes('-')))
      ? value
      : [value];
  return list.map(normalizeInterval);
}

export function normalizeScheduleInput(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const day = DAY_KEYS[key.trim().toLowerCase()];
    out[day ?? key] = day ? normalizeDay(value) : value;
  }
  return out as WeeklySchedule | Record<string, OpeningInterval[]>;
}
