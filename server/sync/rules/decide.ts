/**
 * Outlook → Hector, the decision (flow 4): what to write to Hector, given the plan and Hector's
 * conflicts (V4). Reasons are sentences an admin understands; they go to the journal as they are.
 * No I/O here.
 */
import type { Conflict, ItemRef, Loan, LoanPatch, NewLoan } from '../../hector/port';
import { canTransition, isEditable, type LoanStatus } from '../../hector/statuses';
import type { Plan } from './plan';
import { takenReasons } from './wording';

export type DecisionKind = 'created' | 'updated' | 'cancelled' | 'ignored' | 'in_sync';

export type Decision =
  | { kind: 'created'; loan: NewLoan; reasons: string[] }
  | { kind: 'updated'; loanId: string; patch: LoanPatch; changed: string[]; reasons: string[] }
  | { kind: 'cancelled'; loanId: string; reasons: string[] }
  | { kind: 'ignored'; loanId: string | null; reasons: string[] }
  | { kind: 'in_sync'; loanId: string; reasons: string[] };

/**
 * The difference between the desired loan and the current one, given Hector's conflicts for the
 * desired rooms over the desired dates (V4). Rooms taken in Hector are left out (OU2); when no
 * room is left there is no loan (or the loan is cancelled).
 */
export function decideLoan(plan: Plan, current: Loan | null, conflicts: Conflict[] = []): Decision {
  const loanId = current?.id ?? null;
  if (plan.kind === 'ignore') return { kind: 'ignored', loanId, reasons: [plan.reason] };
  // The caller reads the copy again later; when it may wait no longer, the meeting lost its rooms.
  if (plan.kind === 'wait') plan = { kind: 'cancel', reason: plan.cancel };
  if (plan.kind === 'cancel') {
    if (!current) return { kind: 'ignored', loanId: null, reasons: [plan.reason] };
    if (current.status === 'cancelled')
      return { kind: 'in_sync', loanId: current.id, reasons: [plan.reason] };
    if (!canTransition(current.status, 'cancelled')) {
      return {
        kind: 'ignored',
        loanId: current.id,
        reasons: [
          `${plan.reason}, but loan #${current.number} is ${current.statusLabel.en.toLowerCase()} and cannot be cancelled`,
        ],
      };
    }
    return { kind: 'cancelled', loanId: current.id, reasons: [plan.reason] };
  }

  const { desired } = plan;
  const taken = new Set(conflicts.map((c) => c.itemId));
  const rooms = desired.rooms.filter((r) => !taken.has(r.placeId));
  const reasons = [...plan.reasons, ...takenReasons(conflicts, desired.rooms)];
  const items: ItemRef[] = rooms.map((r) => ({ kind: 'place', id: r.placeId }));

  const withdrawn = current && (current.status === 'cancelled' || current.status === 'refused');
  if (!current || (withdrawn && desired.rebooked)) {
    if (rooms.length === 0) return { kind: 'ignored', loanId, reasons };
    if (current) {
      const verb = current.status === 'refused' ? 'refused' : 'cancelled';
      reasons.push(`the meeting changed after loan #${current.number} was ${verb}: a new booking`);
    }
    return {
      kind: 'created',
      loan: {
        requester: desired.requester,
        start: desired.start.toISOString(),
        end: desired.end.toISOString(),
        items,
        ...(desired.storeId ? { storeId: desired.storeId } : {}),
        // OC4, B5: new, unless a room waits for its delegate's approval.
        status: desired.approval === 'pending' ? 'pending_approval' : 'new',
      },
      reasons,
    };
  }

  if (current.status === 'cancelled' || current.status === 'refused') {
    return {
      kind: 'ignored',
      loanId: current.id,
      reasons: [...reasons, `loan #${current.number} is ${current.statusLabel.en.toLowerCase()} in Hector`],
    };
  }
  if (rooms.length === 0) {
    return canTransition(current.status, 'cancelled')
      ? {
          kind: 'cancelled',
          loanId: current.id,
          reasons: [...reasons, 'no synced room of the meeting is available'],
        }
      : { kind: 'ignored', loanId: current.id, reasons };
  }

  const patch: LoanPatch = {};
  const changed: string[] = [];
  if (desired.start.getTime() !== new Date(current.start).getTime()) {
    patch.start = desired.start.toISOString();
    changed.push('start');
  }
  if (desired.end.getTime() !== new Date(current.end).getTime()) {
    patch.end = desired.end.toISOString();
    changed.push('end');
  }
  if (desired.requester.email.toLowerCase() !== current.requester.email.toLowerCase()) {
    patch.requester = desired.requester;
    changed.push('requester');
  }
  const now = new Set(
    current.items.filter((i) => i.kind === 'place' && i.status === 'active').map((i) => i.id.toLowerCase()),
  );
  const want = new Set(rooms.map((r) => r.placeId.toLowerCase()));
  const sameItems = now.size === want.size && [...want].every((id) => now.has(id));
  if (!sameItems) {
    // The loan's other active items (assets added in Hector) stay.
    const others: ItemRef[] = current.items
      .filter((i) => i.kind !== 'place' && i.status === 'active')
      .map((i) => ({ kind: i.kind, id: i.id }));
    patch.items = [...items, ...others];
    changed.push('items');
  }
  const status = approvalStatus(desired.approval, current);
  if (status) {
    patch.status = status;
    changed.push('status');
  }
  if (changed.length === 0) return { kind: 'in_sync', loanId: current.id, reasons };
  if (!isEditable(current.status)) {
    return {
      kind: 'ignored',
      loanId: current.id,
      reasons: [
        ...reasons,
        `loan #${current.number} is ${current.statusLabel.en.toLowerCase()} and can no longer change`,
      ],
    };
  }
  return { kind: 'updated', loanId: current.id, patch, changed, reasons };
}

/** B5: new ↔ pending approval as the rooms' delegates answer; any other status is people's to move. */
function approvalStatus(approval: 'pending' | 'approved' | undefined, current: Loan): LoanStatus | null {
  if (approval === 'pending' && current.status === 'new') return 'pending_approval';
  if (approval === 'approved' && current.status === 'pending_approval') return 'new';
  return null;
}
