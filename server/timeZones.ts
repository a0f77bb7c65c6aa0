/**
 * Wall clock ↔ instant in a named IANA zone: the one place of the server that does time-zone
 * arithmetic (Hector's opening schedules read instants in the store's zone; Graph's dates may come
 * in a zone). Everything else is UTC.
 */

/** What the clocks of a zone read at an instant. */
export interface WallClock {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws a RangeError for a zone that Intl does not know. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of `timeZone` at `instant` (a RangeError for an unknown zone). */
export function wallClockAt(instant: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  return {
    year,
    month,
    day,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** How far `timeZone`'s clocks are ahead of UTC at an instant (ms since the epoch); null for an unknown zone. */
export function zoneOffsetMs(timeZone: string, instant: number): number | null {
  if (!isValidTimeZone(timeZone)) return null;
  const clock = wallClockAt(new Date(instant), timeZone);
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant at which `timeZone`'s clocks read `local` — a wall-clock time written as the
 * milliseconds of the same reading in UTC (`Date.UTC(y, m, d, h, mi, s)`); null for an unknown zone.
 */
export function instantAt(local: number, timeZone: string): Date | null {
  const offset = zoneOffsetMs(timeZone, local);
  if (offset === null) return null;
  // The offset at the guessed instant, then once more at the corrected one (DST edges).
  const first = local - offset;
  const second = zoneOffsetMs(timeZone, first);
  return new Date(second === null ? first : local - second);
}
