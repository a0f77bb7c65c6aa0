import type { Conflict, Loan } from '../../hector/port';
import { decideLoan, type Decision } from '../rules/decide';
import type { Plan } from '../rules/plan';
import { applyToHector } from './applyToHector';
import { defer, mayDefer } from './deferral';
import type { CopyRead, InboundDeps, InboundOutcome } from './deps';
import { gatherFacts } from './facts';
import { planWithOrganizer } from './planning';
import { recordOutcome } from './recordOutcome';

/**
 * One room copy, read: the facts → the plan → (rooms the meeting moved to have not answered:
 * later) → Hector's availability (V4) → the decision → (Hector changed the loan and outbound has
 * not pushed it: later) → the write to Hector → the link and the journal.
 */
export async function decideAndApply(read: CopyRead, deps: InboundDeps): Promise<InboundOutcome> {
  const gathered = await gatherFacts(read, deps);
  const { loan } = gathered;
  const plan = await planWithOrganizer(read, gathered);
  if (plan.kind === 'wait' && mayDefer(read.job, deps)) {
    deps.logger.info(logDeferred(read, gathered.loanId), plan.reason);
    return defer(read, deps, gathered.loanId);
  }
  const decision = decideLoan(plan, loan, await conflictsOf(plan, loan, deps));

  if (loan && (await crossesHectorChange(read, loan, decision, deps))) {
    if (mayDefer(read.job, deps)) {
      deps.logger.info(
        logDeferred(read, loan.id),
        'the loan has Hector changes not in Outlook yet: the room copy will be read again',
      );
      return defer(read, deps, loan.id);
    }
    decision.reasons.push('applied over a Hector change that outbound sync could not push for minutes');
  }

  const applied = await applyToHector(decision, loan, gathered.syncedRooms, deps);
  return recordOutcome(read, plan, applied, gathered.syncedRooms, deps);
}

/** V4: Hector's conflicts for the rooms and dates the plan wants (none to check otherwise). */
async function conflictsOf(plan: Plan, loan: Loan | null, deps: InboundDeps): Promise<Conflict[]> {
  if (plan.kind !== 'want') return [];
  const { conflicts } = await deps.hector.checkAvailability(
    plan.desired.rooms.map((r) => ({ kind: 'place' as const, id: r.placeId })),
    plan.desired.start.toISOString(),
    plan.desired.end.toISOString(),
    loan?.id,
  );
  return conflicts;
}

/**
 * Flow 5 races flow 4: a loan changed in Hector reaches Outlook a moment later. A copy read
 * before that shows the meeting as it was, and applying it would undo the Hector change.
 */
async function crossesHectorChange(
  read: CopyRead,
  loan: Loan,
  decision: Decision,
  deps: InboundDeps,
): Promise<boolean> {
  if (decision.kind !== 'updated' && decision.kind !== 'cancelled' && decision.kind !== 'created')
    return false;
  return deps.hectorChanges.unpushed(loan.id, read.readAt);
}

const logDeferred = (read: CopyRead, loanId: string | null) => ({
  event: 'inbound.deferred',
  loanId,
  iCalUId: read.iCalUId,
  room: read.room,
  deferrals: read.job.deferrals ?? 0,
});
