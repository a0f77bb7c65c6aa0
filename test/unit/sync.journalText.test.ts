import { en } from '../../server/sync/journalText/en';
import { fr } from '../../server/sync/journalText/fr';
import {
  renderJournalMessage,
  type JournalCode,
  type JournalMessageParams,
} from '../../server/sync/journalText/render';
import { frenchReasons } from '../../server/sync/journalText/reasonsFr';
import type { FailureParams } from '../../server/sync/journalText/params';

// Issue 15 (B4): every journal code is rendered in English and in French from its parameters.
const failure: FailureParams = {
  mailbox: 'Salle A-101',
  isRoom: true,
  loan: 1042,
  flow: 'inbound',
  purpose: null,
  access: 'read',
  permission: 'Calendars.Read',
  detail: 'Graph answered 503 (ServiceUnavailable)',
  by: 'graph',
  attempts: 3,
};
const SAMPLES: { [C in JournalCode]: JournalMessageParams[C] } = {
  'reconcile.delta': { room: 'Salle A-101', changes: 2, gaps: 1 },
  'reconcile.expired': { room: 'Salle A-101', changes: 2, gaps: 0 },
  'reconcile.first': { room: 'Salle A-101', changes: 2, gaps: 0 },
  'reconcile.full': { room: 'Salle A-101', changes: 2, gaps: 0 },
  'reconcile.summary': { rooms: 3, changes: 0 },
  'subscription.created': { room: 'Salle A-101', until: '2026-12-01T00:00:00Z' },
  'subscription.deleted': { room: 'Salle A-101' },
  'subscription.replaced': { room: 'Salle A-101' },
  'subscription.extra': { room: 'Salle A-101' },
  'subscription.reauthorized': { room: 'Salle A-101' },
  'subscription.plain': { room: 'Salle A-101', reason: 'includeResourceData is not supported' },
  'notification.read': { room: 'Salle A-101', reason: 'the data signature does not match' },
  'subscription.recreated': { room: 'Salle A-101', reason: 'expired', from: 'a', to: 'b' },
  'subscription.missed': { room: 'Salle A-101', from: 'a', to: 'b' },
  'inbound.created': { loan: 1042, room: 'Salle A-101', reasons: 'the meeting was cancelled' },
  'inbound.updated': { loan: 1042, changes: 'start 09:00 → 09:30; added Salle B-204', reasons: '' },
  'inbound.cancelled': { loan: 1042, reasons: 'the meeting was cancelled' },
  'inbound.in_sync': { loan: 1042, reasons: '' },
  'inbound.ignored': { loan: 1042, kept: true, reasons: 'Salle B-204 is taken by loan #1041' },
  'series.pass': {
    room: 'Salle A-101',
    created: 1,
    updated: 2,
    cancelled: 0,
    ignored: 1,
    inSync: 0,
    kept: 1,
    gone: false,
    why: null,
  },
  'series.adopted': { loan: 1042 },
  'inbound.declined_unseen': {
    room: 'Salle A-101',
    series: true,
    conflictStart: '2026-12-16T09:00:00.000Z',
    conflictSubject: 'Hugo Bernard',
    conflictLoan: 1041,
    pastWindow: false,
  },
  'outbound.created': { loan: 1042, organizer: 'hugo@x.test', note: null },
  'outbound.updated': { loan: 1042, organizer: 'hugo@x.test', changed: 'dates, rooms' },
  'outbound.moved': { loan: 1042, from: 'lea@x.test', organizer: 'hugo@x.test', note: null },
  'outbound.deleted': {
    loan: 1042,
    organizer: 'hugo@x.test',
    reason: 'no room of the loan accepted the meeting',
  },
  'outbound.declined': {
    loan: 1042,
    rooms: 'Salle A-101, Salle B-204',
    reason: 'the loan was cancelled in Hector',
  },
  'outbound.in_sync': { loan: 1042 },
  'outbound.ignored': { loan: 1042, reason: 'no Outlook meeting is linked to the loan' },
  'outbound.meeting_gone': { loan: 1042, reason: "the organizer's meeting is gone" },
  'failure.permission_missing': failure,
  'failure.outside_access_policy': failure,
  'failure.mailbox_not_found': failure,
  'failure.settings_refused': failure,
  'failure.request_refused': failure,
  'failure.transient': failure,
  'rooms.imported': { source: 'places', active: 12, ignored: 1, deactivated: 0, renamed: 2, held: 0 },
  'rooms.held': { source: 'places', seen: 0, activeBefore: 250, held: 250 },
};

describe('journal texts (B4, issue 15)', () => {
  it('B4: the English and the French have exactly the same codes', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(SAMPLES).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(SAMPLES) as JournalCode[])('B4: %s is rendered in both languages', (code) => {
    const params = SAMPLES[code] as Record<string, string | number | boolean | null>;
    const entry = { code, params, message: 'stored' };
    const english = renderJournalMessage(entry, 'en');
    const french = renderJournalMessage(entry, 'fr');
    for (const text of [english, french]) {
      expect(text).not.toBe('stored');
      expect(text).not.toMatch(/undefined|null|\[object/);
    }
    expect(french).not.toBe(english);
  });

  it('B4: known reasons in French, a Hector rule code kept, unknown ones as written', () => {
    expect(
      frenchReasons(
        'OUTSIDE_SCHEDULE (K2): The loan is outside the opening schedule of Salle A-101 (Mon–Fri 08:00–19:00); ' +
          'Salle B-204 is taken by loan #1041; something new',
      ),
    ).toBe(
      'OUTSIDE_SCHEDULE (K2): Hors des horaires d’ouverture de Salle A-101 dans Hector (Mon–Fri 08:00–19:00). ; ' +
        'Salle B-204 est déjà prise par le prêt #1041 ; something new',
    );
  });

  it('B3 V3: an unseen decline says why: the colliding booking, the booking window, or nothing known', () => {
    const render = (params: JournalMessageParams['inbound.declined_unseen'], lang: 'en' | 'fr') =>
      renderJournalMessage({ code: 'inbound.declined_unseen', params, message: 'stored' }, lang);
    const base = {
      room: 'Salle A-101',
      series: true,
      conflictStart: null,
      conflictSubject: null,
      conflictLoan: null,
      pastWindow: false,
    };
    const conflict = {
      conflictStart: '2026-12-16T09:00:00.000Z',
      conflictSubject: 'Hugo Bernard',
      conflictLoan: 1041,
    };
    expect(render({ ...base, ...conflict }, 'en')).toBe(
      'Salle A-101 declined this series in Exchange, so it has no loan: its occurrence of 2026-12-16 09:00 UTC collides with "Hugo Bernard" (loan #1041) in the room\'s calendar (seen on the organizer\'s copy)',
    );
    expect(render({ ...base, pastWindow: true }, 'fr')).toMatch(/fenêtre de réservation/);
    expect(render({ ...base, series: false }, 'en')).toBe(
      "Salle A-101 declined this meeting in Exchange, so it has no loan (seen on the organizer's copy)",
    );
  });

  it('B4: an entry without a code, or with a code of another version, renders its stored text', () => {
    expect(renderJournalMessage({ code: null, params: null, message: 'as written' }, 'fr')).toBe(
      'as written',
    );
    expect(renderJournalMessage({ code: 'later.code', params: {}, message: 'as written' }, 'fr')).toBe(
      'as written',
    );
  });
});
