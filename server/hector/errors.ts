import { AppError } from '../errors';
import type { RuleViolation } from './rules';
import type { Conflict } from './port';
import { statusLabel, type LoanStatus } from './statuses';

/** Errors of the loans core, each with a stable code; the HTTP error handler maps them as is. */
export const ruleViolation = (violations: RuleViolation[]): AppError => {
  const first = violations[0];
  return new AppError('RULE_VIOLATION', `${first.rule} (${first.specRule}): ${first.message}`, {
    rule: first.rule,
    specRule: first.specRule,
    violations,
  });
};

export const loanConflict = (conflicts: Conflict[]): AppError => {
  const first = conflicts[0];
  const numbers = [...new Set(conflicts.map((c) => c.loanNumber))];
  return new AppError(
    'LOAN_CONFLICT',
    `${first.itemName} is not available: it is already lent by loan ${numbers.join(', ')} over these dates.`,
    { loanNumber: first.loanNumber, conflicts },
  );
};

export const forbiddenTransition = (from: LoanStatus, to: LoanStatus): AppError =>
  new AppError(
    'FORBIDDEN_TRANSITION',
    `A loan in status "${statusLabel(from).en}" cannot become "${statusLabel(to).en}".`,
    { from, to },
  );

export const notEditable = (status: LoanStatus): AppError =>
  new AppError(
    'LOAN_NOT_EDITABLE',
    `A loan in status "${statusLabel(status).en}" can no longer be changed.`,
    {
      status,
    },
  );

export const versionConflict = (expected: number, actual: number): AppError =>
  new AppError(
    'VERSION_CONFLICT',
    `The loan changed meanwhile (version ${actual}, expected ${expected}); read it again and retry.`,
    { expected, actual },
  );

export const emailTaken = (email: string): AppError =>
  new AppError('CONFLICT', `Another place already uses the e-mail address ${email}.`);
