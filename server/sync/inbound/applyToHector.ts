import { AppError } from '../../errors';
import type { Loan } from '../../hector/port';
import type { Decision } from '../rules/decide';
import type { SyncedRoom } from '../rules/syncedRoom';
import { describeChanges } from '../rules/wording';
import type { InboundDeps } from './deps';

export interface Applied {
  /** The decision as applied: Hector's own rules may turn it into 'ignored', with why. */
  decision: Decision;
  /** The loan after the write (the loan as it was when nothing was written). */
  after: Loan | null;
  /** What changed, in words, for an update. */
  changes?: string[];
}

/** Writes the decision to Hector with origin outlook (so outbound sync does not echo it). */
export async function applyToHector(
  decision: Decision,
  loan: Loan | null,
  syncedRooms: SyncedRoom[],
  deps: InboundDeps,
): Promise<Applied> {
  let after: Loan | null = loan;
  let changes: string[] | undefined;
  try {
    switch (decision.kind) {
      case 'created':
        after = await deps.hector.createLoan(decision.loan, 'outlook');
        break;
      case 'updated':
        changes = describeChanges(loan!, decision.patch, syncedRooms);
        after = await deps.hector.updateLoan(decision.loanId, decision.patch, 'outlook', loan!.version);
        break;
      case 'cancelled':
        after = await deps.hector.cancelLoan(decision.loanId, 'outlook');
        break;
      default:
        break;
    }
  } catch (error) {
    // K2 and date rules of Hector (schedule, booking window, duration): not synced, and why.
    if (!(error instanceof AppError) || error.code !== 'RULE_VIOLATION') throw error;
    return {
      decision: { kind: 'ignored', loanId: loan?.id ?? null, reasons: [...decision.reasons, error.message] },
      after,
      changes,
    };
  }
  return { decision, after, changes };
}
