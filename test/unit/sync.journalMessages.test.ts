import { describeOutbound, journalKindOf } from '../../server/sync/outbound/rules';
import { describeDecision } from '../../server/sync/rules/wording';

// Issue 7: a notification caused by our own write ends "in sync" in the journal, in those words.
describe('journal messages of "in sync" decisions', () => {
  it('inbound: the loan is in sync with the meeting, nothing changed', () => {
    const message = describeDecision(
      { kind: 'in_sync', loanId: 'loan-1', reasons: [] },
      { loanNumber: 1001, roomName: 'Salle A-001' },
    );
    expect(message).toBe('Loan #1001 is in sync with the meeting: nothing to change');
  });

  it('inbound: the reasons follow in brackets', () => {
    const message = describeDecision(
      { kind: 'in_sync', loanId: 'loan-1', reasons: ['the loan is already cancelled'] },
      { loanNumber: 1001, roomName: 'Salle A-001' },
    );
    expect(message).toBe(
      'Loan #1001 is in sync with the meeting: nothing to change (the loan is already cancelled)',
    );
  });

  it('outbound: the event is in sync with the loan, nothing written', () => {
    expect(describeOutbound({ kind: 'in_sync', organizer: 'alice@universite.test' }, 1001)).toBe(
      'The event of loan #1001 is in sync with the loan: nothing written',
    );
  });
});

describe('journal of an Outlook-made loan whose meeting is gone (OX1)', () => {
  it('is a cancellation, with the reason', () => {
    const decision = { kind: 'meeting_gone' as const, reason: "the organizer's meeting is gone" };
    expect(journalKindOf(decision)).toBe('cancelled');
    expect(describeOutbound(decision, 1001)).toBe("Cancelled loan #1001: the organizer's meeting is gone");
  });
});
