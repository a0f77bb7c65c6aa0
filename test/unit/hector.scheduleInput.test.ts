import { normalizeScheduleInput } from '../../server/hector/scheduleInput';

const workDay = [{ from: '07:00', to: '20:00' }];

describe('K2: schedules written in everyday spellings become one stored form', () => {
  it.each<[string, unknown, unknown]>([
    ['the stored form itself', { mon: workDay }, { mon: workDay }],
    ['open/close objects', { mon: [{ open: '07:00', close: '20:00' }] }, { mon: workDay }],
    ['start/end object without array', { mon: { start: '07:00', end: '20:00' } }, { mon: workDay }],
    ['"07:00-20:00" strings', { mon: ['07:00-20:00'] }, { mon: workDay }],
    ['one "7:00 - 20:00" string', { monday: '7:00 - 20:00' }, { mon: workDay }],
    ['a [from, to] pair', { Tuesday: ['07:00', '20:00'] }, { tue: workDay }],
    ['cron day numbers (0 and 7 are Sunday)', { 0: ['10:00-12:00'], 7: null }, { sun: [] }],
    [
      'two intervals',
      { wed: ['07:00-12:00', '14:00-18:00'] },
      {
        wed: [
          { from: '07:00', to: '12:00' },
          { from: '14:00', to: '18:00' },
        ],
      },
    ],
    ['closed days as null', { sat: null }, { sat: [] }],
    ['no schedule', null, null],
    ['unknown keys kept for the schema to reject', { funday: [] }, { funday: [] }],
  ])('K2: %s', (_name, input, expected) => {
    expect(normalizeScheduleInput(input)).toEqual(expected);
  });
});
