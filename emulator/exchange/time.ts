/**
 * Graph's dateTimeTimeZone: a local wall-clock time plus a zone name that may be IANA or Windows.
 * The emulator stores everything in UTC and converts at the edges, as Exchange does for
 * `Prefer: outlook.timezone`.
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';

// The Windows zone names clients commonly send; Graph accepts both families.
const WINDOWS_TO_IANA: Record<string, string> = {
  'romance standard time': 'Europe/Paris',
  'w. europe standard time': 'Europe/Berlin',
  'central europe standard time': 'Europe/Budapest',
  'gmt standard time': 'Europe/London',
  'greenwich standard time': 'Atlantic/Reykjavik',
  'eastern standard time': 'America/New_York',
  'pacific standard time': 'America/Los_Angeles',
  utc: 'UTC',
  'coordinated universal time': 'UTC',
};

export function toIanaZone(zone: string | null | undefined): string {
  if (!zone) return 'UTC';
  const mapped = WINDOWS_TO_IANA[zone.trim().toLowerCase()];
  if (mapped) return mapped;
  try {
    formatterFor(zone); // throws for an unknown zone; cached, as building one is costly
    return zone;
  } catch {
    throw new RangeError(`Unknown time zone: ${zone}`);
  }
}

// Building an Intl.DateTimeFormat is costly and series expansion converts hundreds of times.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Offsets per zone and quarter of an hour: zone transitions fall on quarter hours (Lord Howe's
 * half-hour shift included), and a series expansion asks the same instants again and again.
 */
const QUARTER_MS = 900_000;
const offsets = new Map<string, number>();

/** Offset (ms) of a zone at a UTC instant: local = utc + offset. */
function offsetAt(zone: string, utcMs: number): number {
  if (zone === 'UTC') return 0;
  const key = `${zone}|${Math.floor(utcMs / QUARTER_MS)}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  if (offsets.size > 200_000) offsets.clear();
  const offset = computeOffset(zone, Math.floor(utcMs / QUARTER_MS) * QUARTER_MS);
  offsets.set(key, offset);
  return offset;
}

function computeOffset(zone: string, utcMs: number): number {
  const parts = formatterFor(zone).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** Parses a Graph dateTimeTimeZone (or an ISO string) into a UTC instant in ms. */
export function parseDateTimeTimeZone(v: MSGraph.DateTimeTimeZone | string | null | undefined): number {
  if (!v) throw new RangeError('Missing date');
  const dateTime = typeof v === 'string' ? v : (v.dateTime ?? '');
  const zone = typeof v === 'string' ? 'UTC' : toIanaZone(v.timeZone);
  if (/[zZ]|[+-]\d\d:\d\d$/.test(dateTime)) {
    const ms = Date.parse(dateTime);
    if (Number.isNaN(ms)) throw new RangeError(`Invalid date: ${dateTime}`);
    return ms;
  }
  const naive = Date.parse(dateTime + 'Z');
  if (Number.isNaN(naive)) throw new RangeError(`Invalid date: ${dateTime}`);
  // Two passes settle the offset around DST transitions.
  let utc = naive - offsetAt(zone, naive);
  utc = naive - offsetAt(zone, utc);
  return utc;
}

/** Graph's wall-clock format: 7 fractional digits, no offset. */
export function formatLocal(utcMs: number, zone = 'UTC'): string {
  const iana = toIanaZone(zone);
  const local = new Date(utcMs + offsetAt(iana, utcMs));
  return local
    .toISOString()
    .replace('Z', '')
    .replace(/\.(\d{3})$/, '.$10000');
}

export function toDateTimeTimeZone(utcMs: number, zone = 'UTC'): MSGraph.DateTimeTimeZone {
  return { dateTime: formatLocal(utcMs, zone), timeZone: zone };
}

export function isoUtc(ms: number): string {
  return new Date(ms).toISOString();
}
