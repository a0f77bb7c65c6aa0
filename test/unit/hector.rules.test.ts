import {
  checkDates,
  checkLoanRules,
  effectiveSettings,
  isWithinBookingWindow,
  isWithinMaxDuration,
  isWithinSchedule,
  type StoreSettings,
} from '../../server/hector/rules';
import type { WeeklySchedule } from '../../server/store/tables/hector';

const d = (iso: string) => new Date(iso);
const workWeek: WeeklySchedule = {
  mon: [{ from: '07:00', to: '20:00' }],
  tue: [{ from: '07:00', to: '20:00' }],
  wed: [
    { from: '07:00', to: '12:00' },
    { from: '14:00', to: '18:00' },
  ],
  thu: [{ from: '07:00', to: '20:00' }],
  fri: [{ from: '07:00', to: '20:00' }],
};
const store: StoreSettings = {
  timeZone: 'Europe/Paris',
  schedule: workWeek,
  bookingWindowDays: 30,
  maxDurationMinutes: 240,
  autoCheckOut: true,
  autoClose: false,
};
const now = d('2026-11-25T08:00:00Z');

describe('V2 / OC2: dates of a loan', () => {
  it.each([
    ['V2: end after start, on quarter hours, is valid', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z', []],
    [
      'V2: end equal to start is refused',
      '2026-12-01T09:00:00Z',
      '2026-12-01T09:00:00Z',
      ['END_BEFORE_START'],
    ],
    ['V2: end before start is refused', '2026-12-01T10:00:00Z', '2026-12-01T09:00:00Z', ['END_BEFORE_START']],
    [
      'OC2: an unaligned start is refused',
      '2026-12-01T09:10:00Z',
      '2026-12-01T10:00:00Z',
      ['QUARTER_HOUR_BLOCKS'],
    ],
    [
      'OC2: an unaligned end is refused',
      '2026-12-01T09:00:00Z',
      '2026-12-01T10:01:00Z',
      ['QUARTER_HOUR_BLOCKS'],
    ],
    ['V2: an unparseable date is refused', 'soon', '2026-12-01T10:00:00Z', ['INVALID_DATES']],
  ])('%s', (_name, start, end, rules) => {
    expect(checkDates(d(start), d(end)).map((v) => v.rule)).toEqual(rules);
  });
});

describe('K2: schedule, booking window and maximum duration', () => {
  it.each([
    // Paris is UTC+1 in winter and UTC+2 in summer: rules read local wall-clock time.
    ['K2: inside Tuesday hours (10:00–11:00 Paris)', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z', true],
    ['K2: exactly the opening hours', '2026-12-01T06:00:00Z', '2026-12-01T19:00:00Z', true],
    ['K2: starts before opening (06:45 Paris)', '2026-12-01T05:45:00Z', '2026-12-01T07:00:00Z', false],
    ['K2: ends after closing (20:15 Paris)', '2026-12-01T18:00:00Z', '2026-12-01T19:15:00Z', false],
    ['K2: Saturday is closed', '2026-12-05T09:00:00Z', '2026-12-05T10:00:00Z', false],
    ['K2: Wednesday morning interval', '2026-12-02T08:00:00Z', '2026-12-02T10:00:00Z', true],
    ['K2: across the Wednesday lunch break', '2026-12-02T10:00:00Z', '2026-12-02T14:00:00Z', false],
    ['K2: summer time (UTC+2): 07:00 Paris is 05:00Z', '2026-06-02T05:00:00Z', '2026-06-02T06:00:00Z', true],
    ['K2: across two days', '2026-12-01T17:00:00Z', '2026-12-02T08:00:00Z', false],
  ])('%s', (_name, start, end, expected) => {
    expect(isWithinSchedule(d(start), d(end), workWeek, 'Europe/Paris')).toBe(expected);
  });

  it('K2: no schedule means always open, including until midnight', () => {
    expect(isWithinSchedule(d('2026-12-05T22:00:00Z'), d('2026-12-05T23:00:00Z'), null, 'Europe/Paris')).toBe(
      true,
    );
    const allDay: WeeklySchedule = { sat: [{ from: '00:00', to: '24:00' }] };
    expect(
      isWithinSchedule(d('2026-12-05T21:00:00Z'), d('2026-12-05T23:00:00Z'), allDay, 'Europe/Paris'),
    ).toBe(true);
  });

  it.each([
    ['K2: ends inside the window', '2026-12-25T08:00:00Z', 30, true],
    ['K2: ends exactly at the window', '2026-12-25T08:00:00Z', 30, true],
    ['K2: ends past the window', '2026-12-25T08:15:00Z', 30, false],
    ['K2: no window', '2030-01-01T00:00:00Z', null, true],
  ])('%s', (_name, end, days, expected) => {
    expect(isWithinBookingWindow(d(end), days, now)).toBe(expected);
  });

  it.each([
    ['K2: under the maximum duration', 60, 90, true],
    ['K2: exactly the maximum duration', 90, 90, true],
    ['K2: over the maximum duration', 105, 90, false],
    ['K2: no maximum duration', 10_000, null, true],
  ])('%s', (_name, minutes, max, expected) => {
    const start = d('2026-12-01T09:00:00Z');
    expect(isWithinMaxDuration(start, new Date(start.getTime() + minutes * 60_000), max)).toBe(expected);
  });

  it('K2: the place option wins over the store; the booking window stays the store’s', () => {
    const noOverride = { schedule: null, maxDurationMinutes: null, autoCheckOut: null, autoClose: null };
    expect(effectiveSettings(store, noOverride)).toEqual(store);
    const place = {
      schedule: { sat: [{ from: '10:00', to: '12:00' }] },
      maxDurationMinutes: 60,
      autoCheckOut: false,
      autoClose: true,
    };
    expect(effectiveSettings(store, place)).toEqual({
      ...store,
      schedule: place.schedule,
      maxDurationMinutes: 60,
      autoCheckOut: false,
      autoClose: true,
    });
  });
});

describe('checkLoanRules: every rule against every item', () => {
  const item = (over: Partial<{ active: boolean; settings: StoreSettings }> = {}) => ({
    id: 'p1',
    name: 'Salle Curie',
    active: true,
    settings: store,
    ...over,
  });

  it('V2: invalid dates stop before item rules', () => {
    const found = checkLoanRules({
      start: d('2026-12-05T10:00:00Z'),
      end: d('2026-12-05T09:00:00Z'),
      items: [item()],
      now,
    });
    expect(found.map((v) => v.rule)).toEqual(['END_BEFORE_START']);
  });

  it('V4: a loan needs an item, and an inactive item cannot be lent', () => {
    const start = d('2026-12-01T09:00:00Z');
    const end = d('2026-12-01T10:00:00Z');
    expect(checkLoanRules({ start, end, items: [], now }).map((v) => v.rule)).toEqual(['NO_ITEMS']);
    expect(checkLoanRules({ start, end, items: [item({ active: false })], now }).map((v) => v.rule)).toEqual([
      'ITEM_INACTIVE',
    ]);
  });

  it('K2: reports each broken option with its item and spec rule', () => {
    const found = checkLoanRules({
      start: d('2027-01-02T09:00:00Z'),
      end: d('2027-01-02T14:00:00Z'),
      items: [item()],
      now,
    });
    expect(found.map((v) => [v.rule, v.specRule, v.itemId])).toEqual([
      ['OUTSIDE_SCHEDULE', 'K2', 'p1'],
      ['OUTSIDE_BOOKING_WINDOW', 'K2', 'p1'],
      ['OVER_MAX_DURATION', 'K2', 'p1'],
    ]);
  });
});
