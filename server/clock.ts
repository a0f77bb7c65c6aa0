/**
 * The service's clocks: the only place that reads the system time. Everything else receives one of
 * these functions (server/main.ts passes them down), so tests can move the business clock.
 *
 * - `now`: the business clock — loan dates, statuses, journal times, booking windows. Tests set it.
 * - `wallClock`: elapsed real time — job delays handed to the database (pg-boss compares them with
 *   the database's own clock), Retry-After waits, short caches, "read after this notification
 *   arrived". It must follow the real time even when a test freezes `now`.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** Milliseconds of `clock` (for arithmetic on delays). */
export const msOf = (clock: Clock): number => clock().getTime();

/** A monotonic stopwatch in milliseconds (durations only, never a date): per-request timelines. */
export type Stopwatch = () => number;

export const systemStopwatch: Stopwatch = () => performance.now();
