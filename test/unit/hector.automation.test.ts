import { automaticSteps, combineAutomation } from '../../server/hector/automation';
import type { LoanStatus } from '../../server/hector/statuses';

const start = new Date('2026-12-01T09:00:00Z');
const end = new Date('2026-12-01T10:00:00Z');
const at = (iso: string) => new Date(iso);
const both = { autoCheckOut: true, autoClose: true };
const none = { autoCheckOut: false, autoClose: false };

describe('K1: the clock moves loans on', () => {
  it.each<[string, LoanStatus, { autoCheckOut: boolean; autoClose: boolean }, string, LoanStatus[]]>([
    ['nothing before the start', 'new', both, '2026-12-01T08:59:00Z', []],
    ['automatic check-out at start', 'new', both, '2026-12-01T09:00:00Z', ['out']],
    ['automatic check-out of an assigned loan', 'assigned', both, '2026-12-01T09:30:00Z', ['out']],
    ['no check-out when disabled', 'new', none, '2026-12-01T09:30:00Z', []],
    ['automatic close at end', 'out', both, '2026-12-01T10:00:00Z', ['completed']],
    [
      'check-out then close when the tick comes late',
      'new',
      both,
      '2026-12-01T11:00:00Z',
      ['out', 'completed'],
    ],
    ['not overdue before 15 minutes', 'out', none, '2026-12-01T10:14:00Z', []],
    ['overdue 15 minutes after end when not returned', 'out', none, '2026-12-01T10:15:00Z', ['overdue']],
    ['partially out becomes overdue too', 'partially_out', none, '2026-12-01T10:20:00Z', ['overdue']],
    ['overdue stays overdue', 'overdue', none, '2026-12-01T12:00:00Z', []],
    [
      'an overdue loan closes once auto close is enabled',
      'overdue',
      both,
      '2026-12-01T12:00:00Z',
      ['completed'],
    ],
    ['pending approval is never checked out', 'pending_approval', both, '2026-12-01T09:30:00Z', []],
    ['a returned loan does not move', 'returned', both, '2026-12-01T12:00:00Z', []],
    ['a new loan never becomes overdue (it was never out)', 'new', none, '2026-12-01T12:00:00Z', []],
  ])('K1: %s', (_name, status, automation, now, expected) => {
    expect(automaticSteps({ status, start, end }, automation, at(now))).toEqual(expected);
  });

  it('K1: a loan is automated only when every active item asks for it', () => {
    expect(combineAutomation([both, both])).toEqual(both);
    expect(combineAutomation([both, { autoCheckOut: true, autoClose: false }])).toEqual({
      autoCheckOut: true,
      autoClose: false,
    });
    expect(combineAutomation([])).toEqual(none);
  });
});
