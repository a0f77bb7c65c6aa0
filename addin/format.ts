export { statusColor, type BadgeColor } from '../ui-common/statusColor';
/** Pure formatting helpers for the task pane (no React, no Office). */

/** "mardi 1 décembre 2026, 09:00 – 10:30" in the user's locale and time zone. */
export function formatRange(startIso: string, endIso: string, locale: string, timeZone?: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${startIso} – ${endIso}`;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short', timeZone };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(locale, options);
  } catch {
    // An unknown locale or time zone from the host must not break the pane.
    format = new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeStyle: 'short' });
  }
  return end < start ? `${format.format(start)} – ${format.format(end)}` : format.formatRange(start, end);
}

/** "ven. 4 déc., 09:00 – 10:00": one line of a list (B3: a series' occurrences). */
export function formatShortRange(
  startIso: string,
  endIso: string,
  locale: string,
  timeZone?: string,
): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${startIso} – ${endIso}`;
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  };
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(locale, options);
  } catch {
    format = new Intl.DateTimeFormat('en-US', { ...options, timeZone: undefined });
  }
  return end < start ? `${format.format(start)} – ${format.format(end)}` : format.formatRange(start, end);
}
