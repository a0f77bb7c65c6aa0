import { AppError } from '../../server/errors';
import { EntraError, GraphCallError } from '../../server/graph/errors';
import {
  reasonFor,
  unresolvedFailure,
  type EventFacts,
  type JournalFacts,
} from '../../server/sync/addin/loanView';
import { classifyFailure, isPermanent } from '../../server/sync/rules/failure';
import { describeFailure, type FailureSubject } from '../../server/sync/rules/wording';

// B6's pure rules: which failures retries cannot help, their words, and when the add-in says so.
const A101 = 'salle-a101@universite.test';
const read = { mailbox: A101, access: 'read' as const };

describe('B6: which failures are worth a retry', () => {
  const cases: Array<[string, unknown, string]> = [
    [
      '403 ErrorAccessDenied: a permission',
      new GraphCallError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'),
      'permission_missing',
    ],
    [
      '403 "Access to OData is disabled.": the access policy',
      new GraphCallError(403, 'ErrorAccessDenied', 'Access to OData is disabled.'),
      'outside_access_policy',
    ],
    [
      '403 Authorization_RequestDenied',
      new GraphCallError(403, 'Authorization_RequestDenied', 'No.'),
      'permission_missing',
    ],
    [
      '404 ErrorInvalidUser: the mailbox',
      new GraphCallError(404, 'ErrorInvalidUser', 'invalid user'),
      'mailbox_not_found',
    ],
    ['400 from Graph', new GraphCallError(400, 'ErrorInvalidRequest', 'bad'), 'request_refused'],
    [
      'Entra ID refused the secret',
      new EntraError('INVALID_CLIENT_SECRET', 'secret refused'),
      'settings_refused',
    ],
    ['Hector: a rule', new AppError('RULE_VIOLATION', 'too long'), 'request_refused'],
    ['429', new GraphCallError(429, 'ApplicationThrottled', 'slow down'), 'transient'],
    ['503', new GraphCallError(503, 'ServiceNotAvailable', 'down'), 'transient'],
    ['401', new GraphCallError(401, 'InvalidAuthenticationToken', 'expired'), 'transient'],
    ['a conflict in Hector', new AppError('LOAN_CONFLICT', 'taken'), 'transient'],
    ['a network error', new Error('ECONNRESET'), 'transient'],
  ];
  it.each(cases)('B6: %s', (_title, error, code) => {
    const cause = classifyFailure(error, read);
    expect(cause.code).toBe(code);
    expect(isPermanent(cause)).toBe(code !== 'transient');
  });

  it('B6: a refused read names Calendars.Read, a refused write Calendars.ReadWrite', () => {
    const denied = new GraphCallError(403, 'ErrorAccessDenied', 'Access is denied.');
    expect(classifyFailure(denied, read)).toMatchObject({ permission: 'Calendars.Read' });
    expect(classifyFailure(denied, { mailbox: A101, access: 'write' })).toMatchObject({
      permission: 'Calendars.ReadWrite',
    });
  });
});

describe('B6: a failure in words: what, why, what to do', () => {
  const room: FailureSubject = {
    mailboxName: 'Salle A-101',
    mailboxIsRoom: true,
    loanNumber: null,
    flow: 'inbound',
  };
  it('B6: a missing permission', () => {
    expect(
      describeFailure(
        { code: 'permission_missing', permission: 'Calendars.Read', mailbox: A101, access: 'read' },
        room,
      ),
    ).toBe(
      "Hector cannot read Salle A-101's calendar: the app lacks Calendars.Read — grant it in Entra ID " +
        '(API permissions, admin consent) and press Re-sync in the admin page',
    );
  });
  it('B6: giving up names the tries and the loan', () => {
    expect(
      describeFailure(
        { code: 'transient', detail: 'Graph answered 503 (ServiceNotAvailable)' },
        { ...room, loanNumber: 1042 },
        11,
      ),
    ).toBe(
      'Hector gave up trying to sync the meeting in Salle A-101 (loan #1042) after 11 tries: Graph answered 503 ' +
        '(ServiceNotAvailable) — the next re-sync tries again (hourly); press Re-sync in the admin page to try now',
    );
  });
  it('B6: the access policy, a missing mailbox, the settings, a refusal: each says what to do', () => {
    const subject: FailureSubject = {
      mailboxName: 'lea@x.test',
      mailboxIsRoom: false,
      loanNumber: 7,
      flow: 'outbound',
    };
    expect(describeFailure({ code: 'outside_access_policy', mailbox: 'lea@x.test' }, subject)).toMatch(
      /^Hector cannot reach lea@x.test's calendar for loan #7: .*access policy — add it to the policy's group/,
    );
    expect(
      describeFailure({ code: 'mailbox_not_found', mailbox: A101, detail: 'invalid user' }, room),
    ).toMatch(/cannot find the mailbox of Salle A-101 .*deactivate the place/);
    expect(describeFailure({ code: 'settings_refused', detail: 'secret refused' }, room)).toMatch(
      /secret refused — check the integration's settings/,
    );
    expect(describeFailure({ code: 'request_refused', by: 'hector', detail: 'too long' }, subject)).toMatch(
      /^Hector refused to sync loan #7: too long — correct the loan in Hector/,
    );
  });
});

describe('B6 A2: the add-in says sync_failed while a failure holds', () => {
  const synced = new Map([[A101, 'Salle A-101']]);
  const facts: EventFacts = {
    type: 'singleInstance',
    isCancelled: false,
    attendees: [{ email: A101, response: 'none' }],
  };
  const roomError: JournalFacts = {
    id: '10',
    kind: 'error',
    message: 'lacks Calendars.Read',
    reasons: [],
    scope: 'room',
  };
  const ok = (id: string): JournalFacts => ({ id, kind: 'created', message: 'Created', reasons: [] });

  it("B6: a room-wide error and nothing journaled for the meeting → sync_failed with the error's words", () => {
    expect(reasonFor(facts, synced, [], 'fr', new Map([[A101, [roomError]]]))).toEqual({
      code: 'sync_failed',
      message: 'lacks Calendars.Read',
    });
  });
  it('B6: a success in the room after the error → the error no longer holds (syncing)', () => {
    expect(reasonFor(facts, synced, [], 'en', new Map([[A101, [ok('11'), roomError]]])).code).toBe('syncing');
  });
  it("B6: the meeting's own error, newer than its last decision → sync_failed", () => {
    const own: JournalFacts = { id: '12', kind: 'error', message: 'gave up', reasons: [] };
    expect(unresolvedFailure([own, { ...ok('3'), kind: 'ignored' }], [])).toBe(own);
  });
  it("B6: a decision about the meeting after the room's error → that decision's reason", () => {
    const decision: JournalFacts = {
      id: '11',
      kind: 'ignored',
      message: 'Ignored',
      reasons: ['the end is not after its start'],
    };
    expect(reasonFor(facts, synced, [decision], 'en', new Map([[A101, [roomError]]]))).toEqual({
      code: 'other',
      message: 'the end is not after its start',
    });
  });
  it('B6: a meeting-wide error of another meeting of the room does not count', () => {
    expect(
      reasonFor(facts, synced, [], 'en', new Map([[A101, [{ ...roomError, scope: 'meeting' }]]])).code,
    ).toBe('syncing');
  });
  it("B6: another meeting's own failure after the room-wide one does not hide it", () => {
    const other: JournalFacts = {
      id: '11',
      kind: 'error',
      message: 'gave up',
      reasons: [],
      scope: 'meeting',
    };
    expect(reasonFor(facts, synced, [], 'en', new Map([[A101, [other, roomError]]])).code).toBe(
      'sync_failed',
    );
  });
  it('V3: every room declined (the organizer’s copy) → room_declined, not a room’s failure', () => {
    const declined: EventFacts = {
      ...facts,
      isOrganizer: true,
      attendees: [{ email: A101, response: 'declined' }],
    };
    expect(reasonFor(declined, synced, [], 'en', new Map([[A101, [roomError]]])).code).toBe('room_declined');
  });
});
