import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Loan, LoanChange } from '../../server/hector/port';
import {
  bodyText,
  datesMatch,
  desiredEvent,
  diffEvent,
  diffMeeting,
  eventBody,
  eventFieldsOf,
  eventFieldsOfChanges,
  eventSubject,
  HECTOR_LOAN_ID_PROPERTY_ID,
  isWithdrawn,
  loanRooms,
  loanUrl,
  newEventBody,
  roomAnswers,
  transactionIdFor,
} from '../../server/sync/outbound/rules';
import type { SyncedRoom } from '../../server/sync/rules/syncedRoom';

const A = { email: 'salle-a001@universite.test', placeId: 'p-a', name: 'Salle A-001' };
const B = { email: 'salle-b001@universite.test', placeId: 'p-b', name: 'Salle B-001' };
const C = { email: 'salle-c001@universite.test', placeId: 'p-c', name: 'Salle C-001' };
const synced: SyncedRoom[] = [A, B, C];
const URL_TEMPLATE = 'https://hector.example/loans/{id}';

function loan(over: Partial<Loan> = {}): Loan {
  return {
    id: 'loan-1',
    number: 1042,
    status: 'new',
    statusLabel: { fr: 'Nouveau', en: 'New' },
    phase: 'not_started',
    start: '2026-12-01T09:00:00.000Z',
    end: '2026-12-01T10:00:00.000Z',
    requester: { id: 'u1', email: 'hugo.bernard@universite.test', name: 'Hugo Bernard' },
    store: { id: 's', name: 'Magasin' },
    items: [
      { kind: 'place', id: 'p-a', name: 'Salle A-001', status: 'active', email: A.email },
      { kind: 'asset', id: 'x', name: 'Vidéoprojecteur', status: 'active', email: null },
      { kind: 'place', id: 'p-b', name: 'Salle B-001', status: 'cancelled', email: B.email },
    ],
    origin: 'hector',
    notes: null,
    checkedInAt: null,
    version: 1,
    createdAt: '2026-11-25T08:00:00.000Z',
    updatedAt: '2026-11-25T08:00:00.000Z',
    ...over,
  };
}

/** The event as Graph would return it after creating `newEventBody` (UTC, attendees answered). */
function asCreated(body: MSGraph.Event, responses: Record<string, string> = {}): MSGraph.Event {
  return {
    ...body,
    id: 'ev-1',
    iCalUId: 'ical-1',
    start: { dateTime: `${body.start!.dateTime}0000`, timeZone: 'UTC' },
    end: { dateTime: `${body.end!.dateTime}0000`, timeZone: 'UTC' },
    body: { contentType: 'html', content: `<html><body>${body.body!.content}</body></html>` },
    attendees: body.attendees!.map((a) => ({
      ...a,
      status: { response: (responses[a.emailAddress!.address!] ?? 'accepted') as MSGraph.ResponseType },
    })),
  };
}

describe('outbound rules', () => {
  it('E2 HC5: the loan’s rooms are its active synced places, sorted', () => {
    expect(loanRooms(loan(), synced)).toEqual([A]);
    const two = loan({
      items: [
        { kind: 'place', id: 'p-c', name: 'C', status: 'active', email: C.email },
        { kind: 'place', id: 'p-a', name: 'A', status: 'active', email: A.email },
        { kind: 'place', id: 'unsynced', name: 'Local', status: 'active', email: null },
      ],
    });
    expect(loanRooms(two, synced).map((r) => r.email)).toEqual([A.email, C.email]);
    expect(loanRooms(loan({ items: [] }), synced)).toEqual([]);
  });

  it('HC3: title = loan number + requester name (the e-mail when the name is unknown)', () => {
    expect(eventSubject(loan())).toBe('#1042 Hugo Bernard');
    expect(eventSubject(loan({ requester: { id: 'u', email: 'x@y.test', name: '' } }))).toBe(
      '#1042 x@y.test',
    );
  });

  it('HC4: body lists the active items and links to the loan (the base is configurable)', () => {
    const html = eventBody(loan(), URL_TEMPLATE);
    expect(html).toContain('<li>Salle A-001</li>');
    expect(html).toContain('<li>Vidéoprojecteur</li>');
    expect(html).not.toContain('Salle B-001');
    expect(html).toContain('href="https://hector.example/loans/loan-1"');
    expect(loanUrl('https://h.example/loans', 'a b')).toBe('https://h.example/loans/a%20b');
    expect(
      eventBody(
        loan({ items: [{ kind: 'asset', id: 'x', name: '<b>&', status: 'active', email: null }] }),
        URL_TEMPLATE,
      ),
    ).toContain('&lt;b&gt;&amp;');
  });

  it('HC1 HC2 HC5: the create carries dates in UTC, rooms as resources, a transactionId and the loan id', () => {
    const d = desiredEvent(loan(), [A], 'Hugo.Bernard@universite.test', URL_TEMPLATE);
    expect(d.organizer).toBe('hugo.bernard@universite.test');
    const body = newEventBody(d, 'loan-1', transactionIdFor('loan-1', 0));
    expect(body.start).toEqual({ dateTime: '2026-12-01T09:00:00.000', timeZone: 'UTC' });
    expect(body.end).toEqual({ dateTime: '2026-12-01T10:00:00.000', timeZone: 'UTC' });
    expect(body.attendees).toEqual([{ type: 'resource', emailAddress: { address: A.email, name: A.name } }]);
    expect(body.transactionId).toBe(transactionIdFor('loan-1', 0));
    expect(body.singleValueExtendedProperties).toEqual([{ id: HECTOR_LOAN_ID_PROPERTY_ID, value: 'loan-1' }]);
    expect(HECTOR_LOAN_ID_PROPERTY_ID).toMatch(/^String \{[0-9a-f-]{36}\} Name HectorLoanId$/);
  });

  it('transactionId: stable per loan and generation, a UUID, different for another loan or generation', () => {
    const t = transactionIdFor('loan-1', 0);
    expect(t).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(transactionIdFor('loan-1', 0)).toBe(t);
    expect(transactionIdFor('loan-1', 1)).not.toBe(t);
    expect(transactionIdFor('loan-2', 0)).not.toBe(t);
  });

  it('HX1: cancelled and refused loans are withdrawn; others are not', () => {
    expect(isWithdrawn(loan({ status: 'cancelled' }))).toBe(true);
    expect(isWithdrawn(loan({ status: 'refused' }))).toBe(true);
    expect(isWithdrawn(loan({ status: 'new' }))).toBe(false);
    expect(isWithdrawn(loan({ status: 'out' }))).toBe(false);
  });

  it('echo: the event as Graph returns it (HTML rewritten, 7-digit seconds) is in sync with its loan', () => {
    const d = desiredEvent(loan(), [A], 'hugo.bernard@universite.test', URL_TEMPLATE);
    const current = asCreated(newEventBody(d, 'loan-1', 't'));
    expect(diffEvent(d, current, synced, 'loan-1')).toEqual({ patch: {}, changed: [] });
  });

  it('HU1: a changed loan → only the differing fields are patched', () => {
    const before = desiredEvent(loan(), [A], 'hugo.bernard@universite.test', URL_TEMPLATE);
    const current = asCreated(newEventBody(before, 'loan-1', 't'));
    const moved = desiredEvent(
      loan({ start: '2026-12-01T14:00:00.000Z', end: '2026-12-01T15:00:00.000Z' }),
      [A, C],
      'hugo.bernard@universite.test',
      URL_TEMPLATE,
    );
    const diff = diffEvent(moved, current, synced, 'loan-1');
    expect(diff.changed).toEqual(['dates', 'rooms']);
    expect(diff.patch.start).toEqual({ dateTime: '2026-12-01T14:00:00.000', timeZone: 'UTC' });
    expect(diff.patch.attendees!.map((a) => a.emailAddress!.address)).toEqual([A.email, C.email]);
    expect(diff.patch.subject).toBeUndefined();

    const renamed = desiredEvent(
      loan({ requester: { id: 'u', email: 'hugo.bernard@universite.test', name: 'Hugo B.' } }),
      [A],
      'hugo.bernard@universite.test',
      URL_TEMPLATE,
    );
    expect(diffEvent(renamed, current, synced, 'loan-1').changed).toEqual(['subject']);
  });

  it.each<[string, LoanChange, string[] | null]>([
    ['created', { type: 'created', number: 1042 }, ['subject', 'body', 'dates', 'rooms', 'organizer']],
    ['dates', { type: 'updated', changed: ['start', 'end'] }, ['dates']],
    ['end only', { type: 'updated', changed: ['end'] }, ['dates']],
    ['items (listed in the body)', { type: 'updated', changed: ['items'] }, ['body', 'rooms']],
    ['requester (in the title)', { type: 'updated', changed: ['requester'] }, ['subject', 'organizer']],
    ['notes (not on the event)', { type: 'updated', changed: ['notes'] }, []],
    ['a status', { type: 'status', from: 'new', to: 'cancelled' }, []],
    ['an item cancelled', { type: 'item_cancelled', itemKind: 'place', itemId: 'p-a' }, ['body', 'rooms']],
    ['an unknown loan field', { type: 'updated', changed: ['start', 'colour'] }, null],
    ['an unknown change', { type: 'merged' } as unknown as LoanChange, null],
  ])('HU1: a Hector change of %s → the event fields it touches', (_, change, fields) => {
    expect(eventFieldsOf(change)).toEqual(fields);
  });

  it('HU1: the changes of one loan add up; one not understood → every field', () => {
    expect(
      eventFieldsOfChanges([
        { type: 'updated', changed: ['start'] },
        { type: 'item_cancelled', itemKind: 'place', itemId: 'p-a' },
        { type: 'status', from: 'new', to: 'out' },
      ]),
    ).toEqual(['body', 'dates', 'rooms']);
    expect(eventFieldsOfChanges([])).toEqual([]);
    expect(eventFieldsOfChanges([{ type: 'updated', changed: ['start'] }, null])).toBeNull();
  });

  it('HU1 OU1: only the fields Hector changed are written; the organizer’s edit of another field stays', () => {
    const before = desiredEvent(loan(), [A], 'hugo.bernard@universite.test', URL_TEMPLATE);
    // The organizer swapped A for C in Outlook…
    const current = asCreated({ ...newEventBody(before, 'loan-1', 't'), attendees: [] });
    current.attendees = [
      { type: 'resource', emailAddress: { address: C.email }, status: { response: 'accepted' } },
    ];
    // …while Hector moved the loan (its rooms still A).
    const moved = desiredEvent(
      loan({ start: '2026-12-01T14:00:00.000Z', end: '2026-12-01T15:00:00.000Z' }),
      [A],
      'hugo.bernard@universite.test',
      URL_TEMPLATE,
    );
    const diff = diffEvent(moved, current, synced, 'loan-1', new Set(['dates']));
    expect(diff.changed).toEqual(['dates']);
    expect(diff.patch).toEqual({
      start: { dateTime: '2026-12-01T14:00:00.000', timeZone: 'UTC' },
      end: { dateTime: '2026-12-01T15:00:00.000', timeZone: 'UTC' },
    });
    // Nothing Hector changed differs: in sync, even though the rooms do.
    expect(diffEvent(before, current, synced, 'loan-1', new Set(['dates', 'subject']))).toEqual({
      patch: {},
      changed: [],
    });
    expect(diffEvent(moved, current, synced, 'loan-1', new Set())).toEqual({ patch: {}, changed: [] });
    // Not known (a row from before the fields were recorded): the whole loan, as before.
    expect(diffEvent(moved, current, synced, 'loan-1', null).changed).toEqual(['dates', 'rooms']);
    expect(diffEvent(moved, current, synced, 'loan-1').changed).toEqual(['dates', 'rooms']);
    // Hector's own room change is written with the body and location that list the rooms.
    const roomsOnly = diffEvent(
      desiredEvent(loan(), [B], 'hugo.bernard@universite.test', URL_TEMPLATE),
      current,
      synced,
      'loan-1',
      new Set(['rooms']),
    );
    expect(roomsOnly.changed).toEqual(['rooms']);
    expect(roomsOnly.patch.location).toEqual({ displayName: B.name });
    expect(roomsOnly.patch.start).toBeUndefined();
  });

  it('OC2 echo: a meeting at 09:07–09:52 matches a 09:00–10:00 loan; 10:07 does not', () => {
    const ev = (s: string, e: string): MSGraph.Event => ({
      start: { dateTime: s, timeZone: 'UTC' },
      end: { dateTime: e, timeZone: 'UTC' },
    });
    expect(datesMatch(ev('2026-12-01T09:07:00', '2026-12-01T09:52:00'), loan())).toBe(true);
    expect(datesMatch(ev('2026-12-01T10:07:00', '2026-12-01T10:52:00'), loan())).toBe(false);
    expect(datesMatch(ev('garbage', '2026-12-01T09:52:00'), loan())).toBe(false);
  });

  it('Outlook-made loan: only dates and rooms are pushed; the person’s guests and unsynced rooms stay', () => {
    const meeting: MSGraph.Event = {
      subject: 'Séminaire',
      start: { dateTime: '2026-12-01T09:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-12-01T10:00:00', timeZone: 'UTC' },
      attendees: [
        { type: 'required', emailAddress: { address: 'lea.dubois@universite.test' } },
        { type: 'resource', emailAddress: { address: A.email }, status: { response: 'accepted' } },
        { type: 'resource', emailAddress: { address: 'salle-b103@universite.test' } },
      ],
    };
    const l = loan({ origin: 'outlook' });
    expect(diffMeeting(l, [A], meeting, synced).changed).toEqual([]);
    const diff = diffMeeting(l, [C], meeting, synced);
    expect(diff.changed).toEqual(['rooms']);
    expect(diff.patch.subject).toBeUndefined();
    expect(diff.patch.body).toBeUndefined();
    expect(diff.patch.attendees!.map((a) => a.emailAddress!.address)).toEqual([
      'lea.dubois@universite.test',
      'salle-b103@universite.test',
      C.email,
    ]);
    const later = diffMeeting(
      loan({ origin: 'outlook', start: '2026-12-01T11:00:00.000Z', end: '2026-12-01T12:00:00.000Z' }),
      [A],
      meeting,
      synced,
    );
    expect(later.changed).toEqual(['dates']);
    expect(later.patch.attendees).toBeUndefined();

    // OU1: Hector moved the loan while the organizer swapped the room: only the dates are written.
    const both = loan({
      origin: 'outlook',
      start: '2026-12-01T11:00:00.000Z',
      end: '2026-12-01T12:00:00.000Z',
    });
    expect(diffMeeting(both, [C], meeting, synced).changed).toEqual(['dates', 'rooms']);
    const datesOnly = diffMeeting(both, [C], meeting, synced, new Set(['dates']));
    expect(datesOnly.changed).toEqual(['dates']);
    expect(datesOnly.patch.attendees).toBeUndefined();
    expect(diffMeeting(both, [C], meeting, synced, new Set(['subject', 'body'])).changed).toEqual([]);
  });

  it('V3 OU2: the organizer’s copy tells which rooms accepted, declined or have not answered', () => {
    const event: MSGraph.Event = {
      attendees: [
        { type: 'resource', emailAddress: { address: A.email }, status: { response: 'accepted' } },
        { type: 'resource', emailAddress: { address: B.email }, status: { response: 'declined' } },
        { type: 'resource', emailAddress: { address: C.email }, status: { response: 'none' } },
      ],
    };
    expect(Object.fromEntries(roomAnswers(event, [A, B, C]))).toEqual({
      [A.email]: 'accepted',
      [B.email]: 'declined',
      [C.email]: 'waiting',
    });
  });

  it('bodyText: tags, entities and spacing do not count as differences', () => {
    expect(bodyText('<p>a &amp; b</p>\n<ul><li>x</li></ul>')).toBe('a & b x');
    expect(bodyText(null)).toBe('');
  });
});
