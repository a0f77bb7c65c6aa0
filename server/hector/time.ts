/**
 * Hector works in 15-minute blocks (OC2): a loan starts and ends on a quarter hour. The API
 * rejects other times; the sync rounds Outlook's times (start down, end up) with these helpers.
 */
export const BLOCK_MS = 15 * 60_000;

export const isOnBlock = (instant: Date): boolean => instant.getTime() % BLOCK_MS === 0;

export const roundStartDown = (instant: Date): Date =>
  new Date(Math.floor(instant.getTime() / BLOCK_MS) * BLOCK_MS);

export const roundEndUp = (instant: Date): Date =>
  new Date(Math.ceil(instant.getTime() / BLOCK_MS) * BLOCK_MS);

/** Rounds an interval outward to whole blocks, as the sync must do (OC2). */
export function roundToBlocks(start: Date, end: Date): { start: Date; end: Date } {
  return { start: roundStartDown(start), end: roundEndUp(end) };
}

/** ISO 8601 in UTC, the one time format of the API and the port. */
export const toIso = (instant: Date): string => instant.toISOString();

export const minutesBetween = (start: Date, end: Date): number => (end.getTime() - start.getTime()) / 60_000;
