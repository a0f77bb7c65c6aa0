/**
 * Meeting times the sample tenant accepts: working days ahead (inside every room's booking
 * window), office hours in UTC (inside the default store's opening schedule, Europe/Paris).
 */
export function workingDay(daysAhead: number, hhmm: string, from: Date = new Date()): Date {
  const [h, m] = hhmm.split(':').map(Number);
  const d = new Date(from);
  for (let left = daysAhead; left > 0;) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--;
  }
  d.setUTCHours(h, m, 0, 0);
  return d;
}

export const addMinutes = (d: Date, minutes: number): Date => new Date(d.getTime() + minutes * 60_000);

/** "Thu 26 Nov 09:00–10:00 UTC" */
export function describeSlot(start: Date | string, end: Date | string): string {
  const s = new Date(start);
  const e = new Date(end);
  const day = s.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  const hm = (d: Date) => d.toISOString().slice(11, 16);
  return `${day} ${hm(s)}–${hm(e)} UTC`;
}
