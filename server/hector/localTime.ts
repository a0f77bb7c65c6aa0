import type { Weekday } from '../store/tables/hector';
import { wallClockAt } from '../timeZones';

/** Wall-clock reading of an instant in a time zone; schedules are written in the store's zone. */
export interface LocalTime {
  /** yyyy-mm-dd, to tell whether two instants fall on the same local day. */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

/** Date#getUTCDay's numbering: 0 is Sunday. */
const WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function localTime(instant: Date, timeZone: string): LocalTime {
  const clock = wallClockAt(instant, timeZone);
  return {
    date: `${clock.year}-${pad2(clock.month)}-${pad2(clock.day)}`,
    weekday: WEEKDAYS[clock.weekday],
    minutes: clock.hour * 60 + clock.minute,
  };
}

/** "07:30" → 450; "24:00" → 1440 (a schedule may run to midnight). */
export function parseClock(clock: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(clock);
  if (!match) throw new Error(`not a time of day: ${clock}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export const CLOCK_PATTERN = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
