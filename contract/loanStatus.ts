/** Hector's loan status codes, as every API answers them (the server's status table is built on this list). */
export const LOAN_STATUSES = [
  'pending_approval',
  'new',
  'assigned',
  'suspended',
  'partially_out',
  'out',
  'overdue',
  'to_be_inspected',
  'returned',
  'damaged',
  'completed',
  'cancelled',
  'refused',
] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];

/** Where a status stands in a loan's life (the server's status table gives each status one phase). */
export type LoanPhase = 'not_started' | 'in_progress' | 'finished' | 'archived';
