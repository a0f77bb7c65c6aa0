import {
  BLOCKING_STATUSES,
  LOAN_STATUSES,
  allowedNext,
  blocksAvailability,
  canTransition,
  phaseOf,
  statusLabel,
  type LoanStatus,
} from '../../server/hector/statuses';

describe("Hector's loan statuses", () => {
  it.each<[LoanStatus, string, string, string]>([
    ['pending_approval', 'not_started', "En attente d'approbation", 'Pending approval'],
    ['new', 'not_started', 'Nouveau', 'New'],
    ['assigned', 'not_started', 'Attribué', 'Assigned'],
    ['suspended', 'not_started', 'Suspendu', 'Suspended'],
    ['partially_out', 'in_progress', 'Partiellement sorti', 'Partially out'],
    ['out', 'in_progress', 'Sorti', 'Out'],
    ['overdue', 'in_progress', 'En retard', 'Overdue'],
    ['to_be_inspected', 'finished', 'À inspecter', 'To be inspected'],
    ['returned', 'finished', 'Retourné', 'Returned'],
    ['damaged', 'finished', 'Endommagé', 'Damaged'],
    ['completed', 'archived', 'Terminé', 'Completed'],
    ['cancelled', 'archived', 'Annulé', 'Cancelled'],
    ['refused', 'archived', 'Refusé', 'Refused'],
  ])('%s is in phase %s, labelled "%s" / "%s"', (status, phase, fr, en) => {
    expect(phaseOf(status)).toBe(phase);
    expect(statusLabel(status)).toEqual({ fr, en });
  });

  it('V4: availability counts the not-started and in-progress phases only', () => {
    expect([...BLOCKING_STATUSES].sort()).toEqual(
      ['pending_approval', 'new', 'assigned', 'suspended', 'partially_out', 'out', 'overdue'].sort(),
    );
    expect(blocksAvailability('cancelled')).toBe(false);
    expect(blocksAvailability('returned')).toBe(false);
  });

  it.each<[LoanStatus, LoanStatus, boolean]>([
    ['new', 'cancelled', true],
    ['pending_approval', 'refused', true],
    ['pending_approval', 'new', true],
    ['new', 'out', true],
    ['out', 'returned', true],
    ['out', 'overdue', true],
    ['overdue', 'returned', true],
    ['returned', 'completed', true],
    ['new', 'returned', false],
    ['out', 'cancelled', false],
    ['cancelled', 'cancelled', false],
    ['cancelled', 'new', false],
    ['refused', 'new', false],
    ['completed', 'out', false],
    ['returned', 'out', false],
  ])('transition %s → %s allowed: %s', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('no status leads back from archived, and no status moves to itself', () => {
    for (const status of LOAN_STATUSES) {
      expect(allowedNext(status)).not.toContain(status);
      if (phaseOf(status) === 'archived') expect(allowedNext(status)).toEqual([]);
    }
  });

  it('no finished or archived status leads back to one that blocks availability', () => {
    for (const status of LOAN_STATUSES.filter((s) => !blocksAvailability(s))) {
      expect(allowedNext(status).filter(blocksAvailability)).toEqual([]);
    }
  });
});
