import type { LoanStatus } from './statuses';

/** A loan becomes overdue this long after its end when it has not been returned. */
export const OVERDUE_GRACE_MS = 15 * 60_000;

export interface Automation {
  autoCheckOut: boolean;
  autoClose: boolean;
}

/** A loan is automated only when every active item asks for it (one item needing a hand-over wins). */
export function combineAutomation(items: Automation[]): Automation {
  if (items.length === 0) return { autoCheckOut: false, autoClose: false };
  return {
    autoCheckOut: items.every((i) => i.autoCheckOut),
    autoClose: items.every((i) => i.autoClose),
  };
}

/**
 * K1: the statuses the clock moves a loan through by `now` — automatic check-out at start,
 * automatic close at end, overdue 15 minutes after end when out and not closed. Each step is an
 * allowed transition, so the outbox records an ordinary history.
 */
export function automaticSteps(
  loan: { status: LoanStatus; start: Date; end: Date },
  automation: Automation,
  now: Date,
): LoanStatus[] {
  const steps: LoanStatus[] = [];
  let status = loan.status;
  const started = now.getTime() >= loan.start.getTime();
  const ended = now.getTime() >= loan.end.getTime();
  if ((status === 'new' || status === 'assigned') && automation.autoCheckOut && started) {
    status = 'out';
    steps.push(status);
  }
  if (status === 'out' || status === 'partially_out' || status === 'overdue') {
    if (automation.autoClose && ended) {
      steps.push('completed');
    } else if (status !== 'overdue' && now.getTime() >= loan.end.getTime() + OVERDUE_GRACE_MS) {
      steps.push('overdue');
    }
  }
  return steps;
}
