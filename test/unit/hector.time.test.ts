import { isOnBlock, roundEndUp, roundStartDown, roundToBlocks } from '../../server/hector/time';

const d = (iso: string) => new Date(iso);

describe('15-minute blocks', () => {
  it.each([
    ['2026-12-01T09:00:00.000Z', true],
    ['2026-12-01T09:15:00.000Z', true],
    ['2026-12-01T09:45:00.000Z', true],
    ['2026-12-01T09:05:00.000Z', false],
    ['2026-12-01T09:15:01.000Z', false],
    ['2026-12-01T09:15:00.001Z', false],
  ])('OC2: %s is on a quarter hour: %s', (iso, expected) => {
    expect(isOnBlock(d(iso))).toBe(expected);
  });

  it.each([
    ['2026-12-01T09:00:00.000Z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:14:59.999Z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:20:00.000Z', '2026-12-01T09:15:00.000Z'],
    ['2026-12-01T23:59:00.000Z', '2026-12-01T23:45:00.000Z'],
  ])('OC2: start %s rounds down to %s', (iso, expected) => {
    expect(roundStartDown(d(iso)).toISOString()).toBe(expected);
  });

  it.each([
    ['2026-12-01T10:00:00.000Z', '2026-12-01T10:00:00.000Z'],
    ['2026-12-01T10:00:00.001Z', '2026-12-01T10:15:00.000Z'],
    ['2026-12-01T10:20:00.000Z', '2026-12-01T10:30:00.000Z'],
    ['2026-12-01T23:50:00.000Z', '2026-12-02T00:00:00.000Z'],
  ])('OC2: end %s rounds up to %s', (iso, expected) => {
    expect(roundEndUp(d(iso)).toISOString()).toBe(expected);
  });

  it('OC2: an interval is rounded outward, never shortened', () => {
    const r = roundToBlocks(d('2026-12-01T09:10:00Z'), d('2026-12-01T09:50:00Z'));
    expect([r.start.toISOString(), r.end.toISOString()]).toEqual([
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T10:00:00.000Z',
    ]);
  });
});
