import type { LoanStatus } from '../contract/hector';
import { AdminApiError } from './api';
import type { Localization } from './i18n';
import type { BadgeColor } from '../ui-common/statusColor';
export { statusColor, type BadgeColor } from '../ui-common/statusColor';

/** Pure helpers of the admin page (no React). */

/** "25/11/2026 09:00" in the admin's locale (and time zone); with seconds for the journal. */
export function formatDateTime(
  iso: string | null | undefined,
  l10n: Localization,
  options: { seconds?: boolean } = {},
): string {
  if (!iso) return l10n.strings.common.none;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(l10n.locale, {
      dateStyle: 'short',
      timeStyle: options.seconds ? 'medium' : 'short',
      timeZone: l10n.timeZone,
    }).format(date);
  } catch {
    return date.toLocaleString();
  }
}

/** Badge colour of a journal entry's kind. */
export function journalColor(kind: string): BadgeColor {
  switch (kind) {
    case 'created':
      return 'success';
    case 'updated':
      return 'brand';
    case 'cancelled':
      return 'danger';
    case 'ignored':
      return 'warning';
    case 'error':
      return 'severe';
    case 'gap':
      return 'important';
    case 'in_sync':
      return 'subtle';
    default:
      return 'informative';
  }
}

/**
 * Hector's statuses in lifecycle order, for the status filter (labels come with the loans). A
 * copy, as the pages get the contract's types and never its values; checked against it below.
 */
export const LOAN_STATUSES = [
  'pending_approval',
  'new',
  'assigned',
  'suspended',
  'partially_out',
  'out',
  'overdue',
  'to_be_inspected',
  'returned',
  'damaged',
  'completed',
  'cancelled',
  'refused',
] as const satisfies readonly LoanStatus[];
// A status the contract adds and the list above lacks stops the build here.
const _everyStatusListed: [Exclude<LoanStatus, (typeof LOAN_STATUSES)[number]>] extends [never]
  ? true
  : never = true;

export const isLoanStatus = (value: string): value is LoanStatus =>
  (LOAN_STATUSES as readonly string[]).includes(value);

/**
 * A datetime-local value ("2026-12-01T09:15") read in the browser's time zone; undefined when
 * it is not a date.
 */
export function parseLocalDateTime(value: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Hector books in 15-minute blocks: minutes 0, 15, 30 or 45, no seconds. */
export function isQuarterHour(date: Date): boolean {
  return date.getMinutes() % 15 === 0 && date.getSeconds() === 0 && date.getMilliseconds() === 0;
}

/** A date as a datetime-local value in the browser's time zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(
    date.getHours(),
  )}:${pad(date.getMinutes())}`;
}

/** The next quarter hour at least `aheadMinutes` from now (a sensible default start). */
export function nextQuarterHour(now: Date, aheadMinutes = 60): Date {
  const date = new Date(now.getTime() + aheadMinutes * 60_000);
  date.setSeconds(0, 0);
  date.setMinutes(Math.ceil(date.getMinutes() / 15) * 15);
  return date;
}

/** A date input value ("2026-12-01") as the ISO instant of that local midnight (+ days). */
export function dayToIso(day: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(y, m - 1, d + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Words for any failure: the server's own message, or what went wrong in the admin's language. */
export function errorText(error: unknown, l10n: Localization): string {
  const t = l10n.strings.common;
  if (error instanceof AdminApiError) {
    if (error.status === 0) return t.unreachable;
    const issues = error.issues
      .filter((i) => i.message)
      .map((i) => (i.field ? `${i.field}: ${i.message}` : i.message));
    const message = error.message || t.serverError(error.status);
    return issues.length > 0 ? `${message} (${issues.join('; ')})` : message;
  }
  return t.unreachable;
}

/** Hector's label for a status in the admin's language. */
export function statusLabel(
  status: string,
  label: { fr: string; en: string } | undefined,
  l10n: Localization,
): string {
  return label?.[l10n.language] || status;
}
