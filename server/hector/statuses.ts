/**
 * Hector's loan statuses, their phases and the transitions between them. Pure data and
 * functions: the loans service asks here whether a change is allowed.
 */
import type { ItemAction, LoanAction, LoanCommand } from '../../contract/hector';
import { LOAN_STATUSES, type LoanPhase, type LoanStatus } from '../../contract/loanStatus';

export { LOAN_STATUSES, type LoanAction, type LoanPhase, type LoanStatus };

interface StatusDefinition {
  phase: LoanPhase;
  label: { fr: string; en: string };
  /** Statuses a person (or the sync) may move the loan to. */
  next: readonly LoanStatus[];
}

const STATUS: Record<LoanStatus, StatusDefinition> = {
  pending_approval: {
    phase: 'not_started',
    label: { fr: "En attente d'approbation", en: 'Pending approval' },
    next: ['new', 'refused', 'cancelled'],
  },
  // Back to pending approval: a room that needs a delegate's approval joined the loan (B5).
  new: {
    phase: 'not_started',
    label: { fr: 'Nouveau', en: 'New' },
    next: ['pending_approval', 'assigned', 'suspended', 'partially_out', 'out', 'cancelled', 'refused'],
  },
  assigned: {
    phase: 'not_started',
    label: { fr: 'Attribué', en: 'Assigned' },
    next: ['new', 'suspended', 'partially_out', 'out', 'cancelled'],
  },
  // A suspended loan keeps its items (it is resumed, not booked again), so it stays in the
  // not-started phase and keeps blocking availability.
  suspended: {
    phase: 'not_started',
    label: { fr: 'Suspendu', en: 'Suspended' },
    next: ['new', 'assigned', 'cancelled'],
  },
  partially_out: {
    phase: 'in_progress',
    label: { fr: 'Partiellement sorti', en: 'Partially out' },
    next: ['out', 'overdue', 'to_be_inspected', 'returned', 'damaged', 'completed'],
  },
  out: {
    phase: 'in_progress',
    label: { fr: 'Sorti', en: 'Out' },
    next: ['overdue', 'to_be_inspected', 'returned', 'damaged', 'completed'],
  },
  overdue: {
    phase: 'in_progress',
    label: { fr: 'En retard', en: 'Overdue' },
    next: ['to_be_inspected', 'returned', 'damaged', 'completed'],
  },
  to_be_inspected: {
    phase: 'finished',
    label: { fr: 'À inspecter', en: 'To be inspected' },
    next: ['returned', 'damaged', 'completed'],
  },
  returned: {
    phase: 'finished',
    label: { fr: 'Retourné', en: 'Returned' },
    next: ['completed', 'damaged'],
  },
  damaged: {
    phase: 'finished',
    label: { fr: 'Endommagé', en: 'Damaged' },
    next: ['completed'],
  },
  completed: { phase: 'archived', label: { fr: 'Terminé', en: 'Completed' }, next: [] },
  cancelled: { phase: 'archived', label: { fr: 'Annulé', en: 'Cancelled' }, next: [] },
  refused: { phase: 'archived', label: { fr: 'Refusé', en: 'Refused' }, next: [] },
};

export const isLoanStatus = (value: string): value is LoanStatus => value in STATUS;
export const phaseOf = (status: LoanStatus): LoanPhase => STATUS[status].phase;
export const statusLabel = (status: LoanStatus): { fr: string; en: string } => ({ ...STATUS[status].label });
export const allowedNext = (status: LoanStatus): readonly LoanStatus[] => STATUS[status].next;
export const canTransition = (from: LoanStatus, to: LoanStatus): boolean => STATUS[from].next.includes(to);

/** Loans in these phases hold their items: availability counts them (V4). */
export const BLOCKING_STATUSES: readonly LoanStatus[] = LOAN_STATUSES.filter((s) => {
  const phase = phaseOf(s);
  return phase === 'not_started' || phase === 'in_progress';
});
export const blocksAvailability = (status: LoanStatus): boolean => BLOCKING_STATUSES.includes(status);

/** Dates, requester and items may change only while the loan has not finished. */
export const isEditable = (status: LoanStatus): boolean => blocksAvailability(status);

/** Statuses that the named actions lead to (allowed from where `canTransition` says). */
export const ACTION_TARGET = {
  cancel: 'cancelled',
  refuse: 'refused',
  'check-out': 'out',
  return: 'returned',
} as const satisfies Record<LoanAction, LoanStatus>;

const ACTIONS = Object.keys(ACTION_TARGET) as LoanAction[];

/** What the admin page offers for a loan in this status: the same checks the loans core makes. */
export function allowedCommands(status: LoanStatus): LoanCommand[] {
  const named = ACTIONS.filter((action) => canTransition(status, ACTION_TARGET[action]));
  return isEditable(status) ? ['edit', ...named] : named;
}

/** OU2: an active item of a loan that may still change can be cancelled on its own. */
export function allowedItemActions(
  status: LoanStatus,
  item: { status: 'active' | 'cancelled' },
): ItemAction[] {
  return isEditable(status) && item.status === 'active' ? ['cancel'] : [];
}
