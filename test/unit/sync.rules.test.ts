import type { Loan } from '../../server/hector/port';
import { decideLoan } from '../../server/sync/rules/decide';
import { planLoan, SERIES_MASTER_REASON, type InboundFacts } from '../../server/sync/rules/plan';
import { chooseRequester } from '../../server/sync/rules/requester';
import { parseGraphDateTime, readRoomCopy, type RoomCopy } from '../../server/sync/rules/roomCopy';

const settings = {
  primaryDomain: 'universite.test',
  defaultUserEmail: 'defaut@universite.test',
  defaultStoreId: null,
};
const A = { email: 'salle-a@universite.test', placeId: 'pa', name: 'Salle A-101' };
const B = { email: 'salle-b@universite.test', placeId: 'pb', name: 'Salle B-204' };
const C = { email: 'salle-c@universite.test', placeId: 'pc', name: 'Salle C-001' };

const copy = (over: Partial<RoomCopy> = {}): RoomCopy => ({
  eventId: 'copy-a',
  iCalUId: 'ical-1',
  type: 'singleInstance',
  isCancelled: false,
  start: new Date('2026-12-01T09:07:00Z'),
  end: new Date('2026-12-01T09:52:00Z'),
  organizer: { email: 'hugo.bernard@universite.test', name: 'Hugo Bernard' },
  attendees: [],
  response: 'accepted',
  lastModified: '2026-11-25T10:00:00Z',
  hectorLoanId: null,
  ...over,
});

const facts = (over: Partial<InboundFacts> = {}): InboundFacts => ({
  roomEmail: A.email,
  eventId: 'copy-a',
  copy: copy(),
  otherLiveRooms: [],
  loan: null,
  meetingModifiedAt: null,
  syncedRooms: [A, B, C],
  organizer: 'member',
  settings,
  ...over,
});

const loan = (over: Partial<Loan> = {}): Loan => ({
  id: 'loan-1',
  number: 1001,
  status: 'new',
  statusLabel: { fr: 'Nouveau', en: 'New' },
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

describe('V1 OC1: requester', () => {
  it.each([
    ['member of the domain', 'hugo.bernard@universite.test', 'member', 'hugo.bernard@universite.test', null],
    [
      'outside the domain',
      'sophie@partenaire.example',
      null,
      settings.defaultUserEmail,
      'organizer outside universite.test: booked for the default user',
    ],
    [
      'unknown in the tenant',
      'x@universite.test',
      'unknown',
      settings.defaultUserEmail,
      'organizer x@universite.test is not a user of universite.test: booked for the default user',
    ],
    [
      'disabled',
      'paul.morel@universite.test',
      'disabled',
      settings.defaultUserEmail,
      'organizer paul.morel@universite.test is a disabled account of universite.test: booked for the default user',
    ],
  ] as const)('V1: %s', (_what, email, standing, expected, reason) => {
    const choice = chooseRequester({ email, name: null }, standing, settings);
    expect(choice.requester?.email).toBe(expected);
    expect(choice.reason).toBe(reason);
  });

  it('V1: no default user configured → no loan, and why', () => {
    const choice = chooseRequester({ email: 'a@ext.example', name: null }, null, {
      ...settings,
      defaultUserEmail: null,
    });
    expect(choice.requester).toBeNull();
    expect(choice.reason).toMatch(/no default user is configured/);
  });
});

describe('V2: dates', () => {
  it.each([
    [{ dateTime: '2026-12-01T09:00:00.0000000', timeZone: 'UTC' }, '2026-12-01T09:00:00.000Z'],
    [{ dateTime: '2026-12-01T10:00:00', timeZone: 'Europe/Paris' }, '2026-12-01T09:00:00.000Z'],
    [{ dateTime: '2026-07-01T10:00:00', timeZone: 'Europe/Paris' }, '2026-07-01T08:00:00.000Z'],
    [{ dateTime: '2026-12-01T09:00:00Z', timeZone: 'UTC' }, '2026-12-01T09:00:00.000Z'],
  ])('V2: %j → %s', (value, expected) => {
    expect(parseGraphDateTime(value)?.toISOString()).toBe(expected);
  });

  it.each([
    [{ dateTime: 'demain', timeZone: 'UTC' }],
    [{ dateTime: '2026-12-01T09:00:00', timeZone: 'Mars/Olympus' }],
    [null],
  ])('V2: unreadable %j → null', (value) => {
    expect(parseGraphDateTime(value)).toBeNull();
  });

  it('V2: an end not after the start is not synced', () => {
    const plan = planLoan(facts({ copy: copy({ end: new Date('2026-12-01T09:00:00Z') }) }));
    expect(plan).toEqual({ kind: 'ignore', reason: "the meeting's end is not after its start" });
  });
});

describe('planLoan', () => {
  it('OC2: rounds start down and end up to 15 minutes', () => {
    const plan = planLoan(facts());
    expect(plan.kind).toBe('want');
    if (plan.kind !== 'want') return;
    expect(plan.desired.start.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(plan.desired.end.toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('OC3 V3: items are the synced rooms whose copies are live; a declined room is named', () => {
    const plan = planLoan(
      facts({
        otherLiveRooms: [B.email, 'unsynced@universite.test'],
        copy: copy({
          attendees: [
            { email: B.email, name: B.name, type: 'resource', response: 'accepted' },
            { email: C.email, name: C.name, type: 'resource', response: 'declined' },
          ],
        }),
      }),
    );
    if (plan.kind !== 'want') throw new Error(plan.kind);
    expect(plan.desired.rooms.map((r) => r.email)).toEqual([A.email, B.email]);
    expect(plan.reasons).toContain("Salle C-001 a refusé l'invitation");
  });

  it('OU1 OC3: a room the current meeting no longer invites does not come back while its copy lingers', () => {
    const l = loan();
    const current = copy({
      attendees: [{ email: A.email, name: A.name, type: 'resource', response: 'accepted' }],
      lastModified: '2026-11-30T10:00:00Z',
    });
    const plan = planLoan(
      facts({ loan: l, otherLiveRooms: [C.email], copy: current, meetingModifiedAt: '2026-11-30T09:00:00Z' }),
    );
    if (plan.kind !== 'want') throw new Error(plan.kind);
    expect(plan.desired.rooms.map((r) => r.email)).toEqual([A.email]);

    // A stale copy (older than the one the loan follows) does not say which rooms left.
    const stale = planLoan(
      facts({
        loan: l,
        otherLiveRooms: [C.email],
        copy: { ...current, lastModified: '2026-11-30T08:00:00Z' },
        meetingModifiedAt: '2026-11-30T09:00:00Z',
      }),
    );
    if (stale.kind !== 'want') throw new Error(stale.kind);
    expect(stale.desired.rooms.map((r) => r.email)).toEqual([A.email, C.email]);
  });

  it('E2: a room that is not synced → ignored, with the reason', () => {
    const plan = planLoan(facts({ syncedRooms: [B] }));
    expect(plan).toEqual({ kind: 'ignore', reason: 'the meeting has no synced room' });
  });

  it('B3: a series master holds no loan (its occurrences do)', () => {
    expect(planLoan(facts({ copy: copy({ type: 'seriesMaster' }) }))).toEqual({
      kind: 'ignore',
      reason: SERIES_MASTER_REASON,
    });
  });

  it.each(['occurrence', 'exception'] as const)('B3: one %s is planned as a meeting of its own', (type) => {
    const plan = planLoan(facts({ copy: copy({ type }) }));
    expect(plan.kind).toBe('want');
  });

  it('OX1: a cancelled copy cancels the loan', () => {
    expect(planLoan(facts({ copy: copy({ isCancelled: true }), loan: loan() })).kind).toBe('cancel');
  });

  it('OX1: a 404 for the last room cancels the loan; for one of two rooms it only drops that room', () => {
    expect(planLoan(facts({ copy: null, loan: loan() })).kind).toBe('cancel');
    const two = loan({
      items: [...loan().items, { kind: 'place', id: 'pb', name: B.name, status: 'active', email: B.email }],
    });
    const plan = planLoan(facts({ copy: null, loan: two }));
    if (plan.kind !== 'want') throw new Error(plan.kind);
    expect(plan.desired.rooms.map((r) => r.email)).toEqual([B.email]);
  });

  it('OU1: a late 404 of a room’s old copy keeps the room when a newer copy of it is live', () => {
    const plan = planLoan(facts({ copy: null, loan: loan(), otherLiveRooms: [A.email] }));
    if (plan.kind !== 'want') throw new Error(plan.kind);
    expect(plan.desired.rooms.map((r) => r.email)).toEqual([A.email]);
  });

  describe('OU1 OX1: the last room of the loan left — the organizer’s meeting tells a move from a loss', () => {
    const meeting = (response: string) =>
      copy({ attendees: [{ email: B.email, name: B.name, type: 'resource', response }] });

    it('the meeting now holds another synced room whose copy is live → the loan moves there', () => {
      const plan = planLoan(
        facts({ copy: null, loan: loan(), otherLiveRooms: [B.email], organizerMeeting: meeting('accepted') }),
      );
      if (plan.kind !== 'want') throw new Error(plan.kind);
      expect(plan.desired.rooms.map((r) => r.email)).toEqual([B.email]);
      expect(plan.reasons.join()).toContain('the meeting is now in Salle B-204');
    });

    it('B3 OU1: the new room accepted in the organizer’s meeting but its copy is not read yet (an orphan instance, its notification lost) → the loan moves there, not cancelled', () => {
      const plan = planLoan(facts({ copy: null, loan: loan(), organizerMeeting: meeting('accepted') }));
      if (plan.kind !== 'want') throw new Error(plan.kind);
      expect(plan.desired.rooms.map((r) => r.email)).toEqual([B.email]);
    });

    it('the new room has not answered yet → wait (and cancel if the wait runs out)', () => {
      const plan = planLoan(facts({ copy: null, loan: loan(), organizerMeeting: meeting('none') }));
      expect(plan.kind).toBe('wait');
      if (plan.kind !== 'wait') return;
      expect(plan.reason).toContain('waiting for the answer of Salle B-204');
      expect(decideLoan(plan, loan()).kind).toBe('cancelled');
    });

    it('the new room declined, or the meeting is gone or cancelled → the loan is cancelled', () => {
      for (const organizerMeeting of [meeting('declined'), null, copy({ isCancelled: true })]) {
        expect(planLoan(facts({ copy: null, loan: loan(), organizerMeeting })).kind).toBe('cancel');
      }
    });
  });

  it('a copy older than the one the loan follows keeps the loan dates (reordered jobs)', () => {
    const plan = planLoan(
      facts({
        loan: loan(),
        meetingModifiedAt: '2026-11-25T11:00:00Z',
        copy: copy({ start: new Date('2026-12-02T09:00:00Z'), end: new Date('2026-12-02T10:00:00Z') }),
      }),
    );
    if (plan.kind !== 'want') throw new Error(plan.kind);
    expect(plan.desired.start.toISOString()).toBe(loan().start);
    expect(plan.desired.followsCopy).toBe(false);
  });
});

describe('decideLoan', () => {
  const want = () => planLoan(facts({ otherLiveRooms: [B.email] }));

  it('OC1 OC4: no loan yet → create it, status new', () => {
    const d = decideLoan(want(), null, []);
    expect(d.kind).toBe('created');
    if (d.kind !== 'created') return;
    expect(d.loan.status).toBe('new');
    expect(d.loan.items).toEqual([
      { kind: 'place', id: 'pa' },
      { kind: 'place', id: 'pb' },
    ]);
  });

  it('V4: every room taken → no loan, with the loan number that holds it', () => {
    const d = decideLoan(planLoan(facts()), null, [
      { itemId: 'pa', itemName: A.name, loanId: 'x', loanNumber: 1042 },
    ]);
    expect(d).toEqual({ kind: 'ignored', loanId: null, reasons: ['Salle A-101 is taken by loan #1042'] });
  });

  it('OU2: one room taken after a change → only that room leaves the loan', () => {
    const current = loan({
      items: [...loan().items, { kind: 'place', id: 'pb', name: B.name, status: 'active', email: B.email }],
    });
    const d = decideLoan(want(), current, [
      { itemId: 'pb', itemName: B.name, loanId: 'x', loanNumber: 1042 },
    ]);
    expect(d.kind).toBe('updated');
    if (d.kind !== 'updated') return;
    expect(d.changed).toEqual(['items']);
    expect(d.patch.items).toEqual([{ kind: 'place', id: 'pa' }]);
    expect(d.reasons).toContain('Salle B-204 is taken by loan #1042');
  });

  it('OU1: only what changed is patched', () => {
    const d = decideLoan(
      planLoan(facts({ copy: copy({ end: new Date('2026-12-01T10:20:00Z') }) })),
      loan(),
      [],
    );
    expect(d.kind).toBe('updated');
    if (d.kind !== 'updated') return;
    expect(d.patch).toEqual({ end: '2026-12-01T10:30:00.000Z' });
  });

  it('echo: desired == current → in sync, nothing written', () => {
    expect(decideLoan(planLoan(facts()), loan(), []).kind).toBe('in_sync');
  });

  it('a loan cancelled in Hector is not revived by a live meeting', () => {
    const d = decideLoan(
      planLoan(facts()),
      loan({ status: 'cancelled', statusLabel: { fr: 'Annulé', en: 'Cancelled' } }),
      [],
    );
    expect(d.kind).toBe('ignored');
  });

  it('OC1: a meeting changed after its loan was cancelled in Hector is a new booking → a new loan', () => {
    const cancelled = loan({
      status: 'cancelled',
      statusLabel: { fr: 'Annulé', en: 'Cancelled' },
      updatedAt: '2026-11-25T09:00:00.000Z',
    });
    const later = planLoan(facts({ loan: cancelled, copy: copy({ lastModified: '2026-11-25T09:05:00Z' }) }));
    const d = decideLoan(later, cancelled, []);
    expect(d.kind).toBe('created');
    if (d.kind !== 'created') return;
    expect(d.reasons).toContain('the meeting changed after loan #1001 was cancelled: a new booking');
    // The copy as it was before the cancellation (an echo of it) revives nothing.
    const before = planLoan(facts({ loan: cancelled, copy: copy({ lastModified: '2026-11-25T08:55:00Z' }) }));
    expect(decideLoan(before, cancelled, []).kind).toBe('ignored');
  });

  it('OX1: cancelling an already cancelled loan is in sync', () => {
    const cancelled = loan({ status: 'cancelled', statusLabel: { fr: 'Annulé', en: 'Cancelled' } });
    expect(decideLoan({ kind: 'cancel', reason: 'x' }, cancelled).kind).toBe('in_sync');
  });
});

describe('readRoomCopy', () => {
  it('reads the HectorLoanId extended property and the attendees', () => {
    const c = readRoomCopy({
      id: 'e1',
      iCalUId: 'i1',
      type: 'singleInstance',
      start: { dateTime: '2026-12-01T09:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-12-01T10:00:00.0000000', timeZone: 'UTC' },
      organizer: { emailAddress: { address: 'Hugo.Bernard@universite.test', name: 'Hugo' } },
      attendees: [
        {
          type: 'resource',
          emailAddress: { address: 'Salle-A@universite.test' },
          status: { response: 'accepted' },
        },
      ],
      singleValueExtendedProperties: [
        { id: 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HectorLoanId', value: 'loan-9' },
      ],
    });
    expect(c.hectorLoanId).toBe('loan-9');
    expect(c.organizer.email).toBe('hugo.bernard@universite.test');
    expect(c.attendees[0]).toEqual({
      email: 'salle-a@universite.test',
      name: null,
      type: 'resource',
      response: 'accepted',
    });
  });
});
