import type { Loan } from '../../server/hector/port';
import { reasonFor } from '../../server/sync/addin/loanView';
import { approvalOf, needsOrganizerForApproval, type ApprovalFacts } from '../../server/sync/rules/approval';
import { decideLoan } from '../../server/sync/rules/decide';
import { planLoan, type InboundFacts } from '../../server/sync/rules/plan';
import type { RoomCopy } from '../../server/sync/rules/roomCopy';

// B5 (rooms that need a delegate's approval) and the answers only the organizer's copy knows
// (docs#5281, docs#4579), as pure rules.
const A = { email: 'salle-a@universite.test', placeId: 'pa', name: 'Salle A-101' };
const B = { email: 'salle-b@universite.test', placeId: 'pb', name: 'Salle B-204' };

const copy = (over: Partial<RoomCopy> = {}): RoomCopy => ({
  eventId: 'copy-a',
  iCalUId: 'ical-1',
  type: 'singleInstance',
  isCancelled: false,
  start: new Date('2026-12-01T09:00:00Z'),
  end: new Date('2026-12-01T10:00:00Z'),
  organizer: { email: 'hugo.bernard@universite.test', name: 'Hugo Bernard' },
  attendees: [],
  response: 'accepted',
  lastModified: '2026-11-25T10:00:00Z',
  hectorLoanId: null,
  ...over,
});
const attendee = (email: string, response = 'none') => ({ email, name: null, type: 'resource', response });

const loan = (over: Partial<Loan> = {}): Loan => ({
  id: 'loan-1',
  number: 1001,
  status: 'pending_approval',
  statusLabel: { fr: "En attente d'approbation", en: 'Pending approval' },
  phase: 'not_started',
  start: '2026-12-01T09:00:00.000Z',
  end: '2026-12-01T10:00:00.000Z',
  requester: { id: 'u', email: 'hugo.bernard@universite.test', name: 'Hugo Bernard' },
  store: { id: 's', name: 'Magasin' },
  items: [{ kind: 'place', id: 'pa', name: A.name, status: 'active', email: A.email }],
  origin: 'outlook',
  notes: null,
  checkedInAt: null,
  version: 1,
  createdAt: '',
  updatedAt: '',
  ...over,
});

const approval = (over: Partial<ApprovalFacts>): ApprovalFacts => ({
  roomEmail: A.email,
  copy: copy(),
  rooms: [A],
  loan: null,
  ...over,
});

describe('B5: the loan follows its rooms’ delegates', () => {
  it.each<[string, Partial<ApprovalFacts>, 'pending' | 'approved' | undefined]>([
    ['B5: a tentative room copy → pending', { copy: copy({ response: 'tentativelyAccepted' }) }, 'pending'],
    ['B5: an accepted room copy → approved', {}, 'approved'],
    ['B5: a loan made in Hector keeps its own status', { loan: loan({ origin: 'hector' }) }, undefined],
    [
      'B5: another room of a pending loan, not read → left as it is',
      { rooms: [A, B], loan: loan() },
      undefined,
    ],
    [
      'B5: the organizer’s copy shows another room tentative → pending',
      {
        rooms: [A, B],
        loan: loan(),
        organizerMeeting: copy({
          attendees: [attendee(A.email, 'accepted'), attendee(B.email, 'tentativelyAccepted')],
        }),
      },
      'pending',
    ],
    [
      'B5: the organizer’s copy shows every other room accepted → approved',
      {
        rooms: [A, B],
        loan: loan(),
        organizerMeeting: copy({ attendees: [attendee(A.email, 'accepted'), attendee(B.email, 'accepted')] }),
      },
      'approved',
    ],
  ])('%s', (_title, over, expected) => {
    expect(approvalOf(approval(over))).toBe(expected);
  });

  it('B5: the organizer’s copy is needed only while a pending loan has other rooms', () => {
    expect(needsOrganizerForApproval(approval({ rooms: [A, B], loan: loan() }))).toBe(true);
    expect(needsOrganizerForApproval(approval({ rooms: [A], loan: loan() }))).toBe(false);
    expect(needsOrganizerForApproval(approval({ rooms: [A, B], loan: loan({ status: 'new' }) }))).toBe(false);
    expect(
      needsOrganizerForApproval(
        approval({ rooms: [A, B], loan: loan(), copy: copy({ response: 'tentativelyAccepted' }) }),
      ),
    ).toBe(false);
  });

  const facts = (over: Partial<InboundFacts> = {}): InboundFacts => ({
    roomEmail: A.email,
    eventId: 'copy-a',
    copy: copy({ attendees: [attendee(A.email)] }),
    otherLiveRooms: [],
    loan: null,
    meetingModifiedAt: null,
    syncedRooms: [A, B],
    organizer: 'member',
    settings: {
      primaryDomain: 'universite.test',
      defaultUserEmail: 'camille.martin@universite.test',
      defaultStoreId: null,
    },
    ...over,
  });

  it('B5: a new meeting in a room waiting for its delegate → a loan pending approval', () => {
    const plan = planLoan(
      facts({ copy: copy({ attendees: [attendee(A.email)], response: 'tentativelyAccepted' }) }),
    );
    const decision = decideLoan(plan, null);
    expect(decision.kind === 'created' && decision.loan.status).toBe('pending_approval');
  });

  it('B5: the delegate accepts → the loan goes from pending approval to new', () => {
    const decision = decideLoan(planLoan(facts({ loan: loan() })), loan());
    expect(decision).toMatchObject({ kind: 'updated', changed: ['status'], patch: { status: 'new' } });
  });

  it('B5: a room waiting for its delegate joins a new loan → back to pending approval', () => {
    const current = loan({ status: 'new' });
    const decision = decideLoan(
      planLoan(
        facts({
          loan: current,
          copy: copy({ attendees: [attendee(A.email)], response: 'tentativelyAccepted' }),
        }),
      ),
      current,
    );
    expect(decision).toMatchObject({ kind: 'updated', patch: { status: 'pending_approval' } });
  });

  it('V3: a room that declined is known from the organizer’s copy, not from another room’s copy (docs#5281)', () => {
    const roomCopy = copy({ attendees: [attendee(A.email), attendee(B.email)] });
    const fromRoomOnly = planLoan(facts({ copy: roomCopy }));
    expect(fromRoomOnly.kind === 'want' && fromRoomOnly.reasons).toEqual([]);
    const withOrganizer = planLoan(
      facts({
        copy: roomCopy,
        organizerMeeting: copy({ attendees: [attendee(A.email, 'accepted'), attendee(B.email, 'declined')] }),
      }),
    );
    expect(withOrganizer.kind === 'want' && withOrganizer.reasons).toEqual([
      "Salle B-204 a refusé l'invitation",
    ]);
  });
});

describe('A2: an attendee’s copy says nothing of the rooms’ answers (docs#5281, docs#4579)', () => {
  const synced = new Map([[A.email, A.name]]);
  it('A2: the organizer’s copy showing the room declined → room_declined', () => {
    const event = {
      type: 'singleInstance',
      isCancelled: false,
      isOrganizer: true,
      attendees: [{ email: A.email, response: 'declined' }],
    };
    expect(reasonFor(event, synced, [], 'en').code).toBe('room_declined');
  });
  it('A2: an attendee’s copy: the answer comes from the journal, not from the copy', () => {
    const event = {
      type: 'singleInstance',
      isCancelled: false,
      isOrganizer: false,
      attendees: [{ email: A.email, response: 'declined' }],
    };
    expect(reasonFor(event, synced, [], 'en').code).toBe('syncing');
    const journal = [{ kind: 'ignored', message: 'no loan', reasons: ["Salle A-101 a refusé l'invitation"] }];
    expect(reasonFor(event, synced, journal, 'en').code).toBe('room_declined');
  });
});
