import { localTime, parseClock } from './localTime';
import type { WeeklySchedule } from '../store/tables/hector';
import { isOnBlock, minutesBetween } from './time';

/**
 * Booking rules of a loan, as pure functions of plain data (V2, OC2, K2). Each failed check is a
 * RuleViolation naming the rule; the loans service turns the first one into a 422.
 */
export type RuleCode =
  | 'INVALID_DATES'
  | 'QUARTER_HOUR_BLOCKS'
  | 'END_BEFORE_START'
  | 'NO_ITEMS'
  | 'ITEM_INACTIVE'
  | 'OUTSIDE_SCHEDULE'
  | 'OUTSIDE_BOOKING_WINDOW'
  | 'OVER_MAX_DURATION';

/** The SPEC.md rule each check implements. */
export const SPEC_RULE: Record<RuleCode, string> = {
  INVALID_DATES: 'V2',
  QUARTER_HOUR_BLOCKS: 'OC2',
  END_BEFORE_START: 'V2',
  NO_ITEMS: 'V4',
  ITEM_INACTIVE: 'V4',
  OUTSIDE_SCHEDULE: 'K2',
  OUTSIDE_BOOKING_WINDOW: 'K2',
  OVER_MAX_DURATION: 'K2',
};

export interface RuleViolation {
  rule: RuleCode;
  specRule: string;
  message: string;
  itemId?: string;
}

const violation = (rule: RuleCode, message: string, itemId?: string): RuleViolation => ({
  rule,
  specRule: SPEC_RULE[rule],
  message,
  ...(itemId ? { itemId } : {}),
});

/** A store's settings, and what a place may override (null = as the store). */
export interface StoreSettings {
  timeZone: string;
  schedule: WeeklySchedule | null;
  bookingWindowDays: number | null;
  maxDurationMinutes: number | null;
  autoCheckOut: boolean;
  autoClose: boolean;
}
export interface PlaceOverrides {
  schedule: WeeklySchedule | null;
  maxDurationMinutes: number | null;
  autoCheckOut: boolean | null;
  autoClose: boolean | null;
}

/** K2: the place's own option wins, else its store's. The booking window is the store's. */
export function effectiveSettings(store: StoreSettings, place?: PlaceOverrides): StoreSettings {
  return {
    timeZone: store.timeZone,
    schedule: place?.schedule ?? store.schedule,
    bookingWindowDays: store.bookingWindowDays,
    maxDurationMinutes: place?.maxDurationMinutes ?? store.maxDurationMinutes,
    autoCheckOut: place?.autoCheckOut ?? store.autoCheckOut,
    autoClose: place?.autoClose ?? store.autoClose,
  };
}

/** V2 and OC2: parseable dates, end after start, both on quarter hours. */
export function checkDates(start: Date, end: Date): RuleViolation[] {
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    return [violation('INVALID_DATES', 'The start and end must be valid ISO 8601 dates.')];
  }
  const found: RuleViolation[] = [];
  if (end.getTime() <= start.getTime()) {
    found.push(violation('END_BEFORE_START', 'The end of a loan must be after its start.'));
  }
  if (!isOnBlock(start) || !isOnBlock(end)) {
    found.push(
      violation(
        'QUARTER_HOUR_BLOCKS',
        'Loans are made of 15-minute blocks: start and end must fall on a quarter hour (:00, :15, :30 or :45).',
      ),
    );
  }
  return found;
}

/** K2 work hours: the loan lies within one opening interval of its local day (or the schedule is open). */
export function isWithinSchedule(
  start: Date,
  end: Date,
  schedule: WeeklySchedule | null,
  timeZone: string,
): boolean {
  if (!schedule) return true;
  const from = localTime(start, timeZone);
  const to = localTime(end, timeZone);
  let endMinutes = to.minutes;
  if (to.date !== from.date) {
    // Only "until midnight" may end on the next local day; longer loans span closed hours.
    const untilMidnight = to.minutes === 0 && minutesBetween(start, end) <= 24 * 60 - from.minutes;
    if (!untilMidnight) return false;
    endMinutes = 24 * 60;
  }
  return (schedule[from.weekday] ?? []).some(
    (interval) => parseClock(interval.from) <= from.minutes && endMinutes <= parseClock(interval.to),
  );
}

/** K2 booking window: the loan ends no later than `days` days from now. */
export function isWithinBookingWindow(end: Date, days: number | null, now: Date): boolean {
  if (days === null) return true;
  return end.getTime() <= now.getTime() + days * 24 * 60 * 60_000;
}

/** K2 maximum duration. */
export function isWithinMaxDuration(start: Date, end: Date, maxMinutes: number | null): boolean {
  return maxMinutes === null || minutesBetween(start, end) <= maxMinutes;
}

export interface ItemToCheck {
  id: string;
  name: string;
  active: boolean;
  settings: StoreSettings;
}

/**
 * Every rule of a loan's dates against each of its items (V2, OC2, K2). Empty means valid.
 * Item rules run only on valid dates, so a message never talks about hours of an impossible loan.
 */
export function checkLoanRules(input: {
  start: Date;
  end: Date;
  items: ItemToCheck[];
  now: Date;
}): RuleViolation[] {
  const found = checkDates(input.start, input.end);
  if (found.length > 0) return found;
  if (input.items.length === 0) {
    return [violation('NO_ITEMS', 'A loan needs at least one active item (a place or an asset).')];
  }
  const { start, end, now } = input;
  for (const item of input.items) {
    const s = item.settings;
    if (!item.active) {
      found.push(violation('ITEM_INACTIVE', `${item.name} is inactive and cannot be lent.`, item.id));
    }
    if (!isWithinSchedule(start, end, s.schedule, s.timeZone)) {
      found.push(
        violation(
          'OUTSIDE_SCHEDULE',
          `The loan is outside the opening schedule of ${item.name} (${s.timeZone}).`,
          item.id,
        ),
      );
    }
    if (!isWithinBookingWindow(end, s.bookingWindowDays, now)) {
      found.push(
        violation(
          'OUTSIDE_BOOKING_WINDOW',
          `${item.name} can be booked at most ${s.bookingWindowDays} days ahead (booking window).`,
          item.id,
        ),
      );
    }
    if (!isWithinMaxDuration(start, end, s.maxDurationMinutes)) {
      found.push(
        violation(
          'OVER_MAX_DURATION',
          `The loan is longer than the maximum loan duration of ${item.name} (${s.maxDurationMinutes} minutes).`,
          item.id,
        ),
      );
    }
  }
  return found;
}
