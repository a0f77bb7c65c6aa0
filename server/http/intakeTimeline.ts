/**
 * Where one webhook request spent its time, in milliseconds from the moment the route saw it
 * (headers parsed): reading and parsing the body, checking subscriptions (an in-memory cache, a
 * database read on a miss), waiting for the group commit's INSERT, answering. The intake's promise
 * is "persist, then answer within milliseconds": this says which step broke it.
 */
export interface IntakeTimeline {
  /** Body read and validated. */
  parsedMs: number;
  /** Subscriptions and clientStates checked. */
  checkedMs: number;
  /** Jobs durably written (the group commit resolved). */
  committedMs: number;
  /** 202 handed to the socket. */
  answeredMs: number;
  /** Notifications in the request, and jobs it queued. */
  notifications: number;
  jobs: number;
}

export const INTAKE_PHASES = ['parse', 'check', 'commit', 'answer'] as const;
export type IntakePhase = (typeof INTAKE_PHASES)[number];

/** The duration of each phase (not cumulative), for the metrics histogram. */
export function phaseDurations(t: IntakeTimeline): Record<IntakePhase, number> {
  return {
    parse: t.parsedMs,
    check: t.checkedMs - t.parsedMs,
    commit: t.committedMs - t.checkedMs,
    answer: t.answeredMs - t.committedMs,
  };
}
