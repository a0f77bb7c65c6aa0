import type { AddinActionDeps } from '../../server/sync/addin/meetingLoans';
import express from 'express';
import request from 'supertest';
import { reasonFor, languageOf, type EventFacts, type JournalFacts } from '../../server/sync/addin/loanView';
import { localizeReason } from '../../server/sync/addin/reasonWording';
import { occurrenceReason, seriesReason } from '../../server/sync/addin/seriesView';
import type { SeriesOccurrenceView } from '../../contract/addin';
import { createRateLimiter } from '../../server/http/rateLimit';
import { isOurAudience } from '../../server/http/userTokens';
import { errorHandler } from '../../server/http/errorHandler';
import { addinRouter, type AddinRouterDeps } from '../../server/http/addinRouter';
import { createLogger } from '../../server/logger';

// The add-in's pure rules (A2, B4) and its not-configured answers, without a stack.
const A001 = 'salle-a001@universite.test';
const A101 = 'salle-a101@universite.test';
const synced = new Map([
  [A001, 'Salle A-001'],
  [A101, 'Salle A-101'],
]);
const event = (attendees: EventFacts['attendees'], type = 'singleInstance'): EventFacts => ({
  type,
  isCancelled: false,
  attendees,
});
const ignored = (...reasons: string[]): JournalFacts => ({ kind: 'ignored', message: 'Ignored', reasons });

describe('A2 B4: why an event has no loan', () => {
  const cases: Array<[string, EventFacts, JournalFacts[], string, RegExp]> = [
    [
      'E2: no attendee is a synced room',
      event([{ email: 'salle-b103@universite.test', response: 'accepted' }]),
      [],
      'no_synced_room',
      /room synced with Hector/,
    ],
    ['E2: no attendee at all', event([]), [], 'no_synced_room', /room synced with Hector/],
    [
      'V3: every synced room declined',
      event([{ email: A001, response: 'declined' }]),
      [],
      'room_declined',
      /Salle A-001 declined/,
    ],
    [
      'V4: the journal says a room is taken in Hector',
      event([{ email: A001, response: 'accepted' }]),
      [ignored('Salle A-001 is taken by loan #12')],
      'room_unavailable',
      /taken by loan #12/,
    ],
    [
      'syncing: a synced room, nothing journaled yet',
      event([{ email: A001, response: 'none' }]),
      [],
      'syncing',
      /not handled this meeting yet/,
    ],
    [
      'other: the journal’s reason (V2)',
      event([{ email: A001, response: 'accepted' }]),
      [ignored("the meeting's end is not after its start")],
      'other',
      /end is not after its start/,
    ],
    [
      'other: a journal decision without reasons gives its message',
      event([{ email: A001, response: 'accepted' }]),
      [ignored()],
      'other',
      /^Ignored$/,
    ],
    [
      'other: a journal decision with neither reasons nor message still explains',
      event([{ email: A001, response: 'accepted' }]),
      [{ kind: 'ignored', message: '', reasons: [] }],
      'other',
      /did not create a loan/,
    ],
    [
      'B3: a series (its master) nothing was decided about yet → syncing, as any meeting',
      event([{ email: A001, response: 'accepted' }], 'seriesMaster'),
      [],
      'syncing',
      /not handled this meeting yet/,
    ],
    [
      'B3 K2: an occurrence Hector’s opening schedule refused → room_unavailable with the rule',
      event([{ email: A001, response: 'accepted' }], 'occurrence'),
      [
        ignored(
          'OUTSIDE_SCHEDULE (K2): The loan is outside the opening schedule of Salle A-001 (Europe/Paris).',
        ),
      ],
      'room_unavailable',
      /outside the opening schedule of Salle A-001/,
    ],
  ];

  it.each(cases)('%s', (_title, facts, journal, code, message) => {
    const reason = reasonFor(facts, synced, journal, 'en');
    expect(reason.code).toBe(code);
    expect(reason.message).toMatch(message);
  });

  it.each(cases)(
    'A2: every reason has a message a person can read, in both languages: %s',
    (_t, facts, journal) => {
      for (const language of ['fr', 'en'] as const) {
        const { message } = reasonFor(facts, synced, journal, language);
        expect(typeof message).toBe('string');
        expect(message.trim()).not.toBe('');
      }
    },
  );

  it('V3: one room declined, another accepted and nothing decided yet → still syncing', () => {
    const facts = event([
      { email: A001, response: 'declined' },
      { email: A101, response: 'accepted' },
    ]);
    expect(reasonFor(facts, synced, [], 'fr').code).toBe('syncing');
  });

  it('A2: a declined room is named in French for a French user', () => {
    expect(reasonFor(event([{ email: A001, response: 'declined' }]), synced, [], 'fr').message).toBe(
      "Salle A-001 a refusé l'invitation.",
    );
  });

  it('A2: "no synced room" and "syncing" are explained in French for a French user', () => {
    expect(reasonFor(event([]), synced, [], 'fr').message).toMatch(
      /aucune? .*salle synchronisée avec Hector/i,
    );
    expect(reasonFor(event([{ email: A001, response: 'none' }]), synced, [], 'fr').message).toMatch(
      /pas encore traité cette réunion/,
    );
  });

  it('A2: the language is ?lang= first, then Accept-Language, English by default', () => {
    expect(languageOf('fr', 'en-US')).toBe('fr');
    expect(languageOf(undefined, 'fr-CA,fr;q=0.9,en;q=0.5')).toBe('fr');
    expect(languageOf(undefined, 'de-DE')).toBe('en');
    expect(languageOf(undefined, undefined)).toBe('en');
  });
});

describe('B3 A2: a series (its master) and its occurrences', () => {
  const occ = (loan: boolean, code?: 'syncing' | 'room_unavailable'): SeriesOccurrenceView => ({
    start: '2026-12-01T08:00:00.000Z',
    end: '2026-12-01T09:00:00.000Z',
    loan: loan ? { id: 'l', number: 7, status: 'new', statusLabel: 'New' } : null,
    reason: code ? { code, message: code } : null,
  });
  const syncing = { code: 'syncing' as const, message: 'not yet' };

  it('B3: no occurrence decided yet → syncing; some decided → series, counting their loans', () => {
    expect(seriesReason(syncing, [occ(false, 'syncing'), occ(false, 'syncing')], 180, 'en').code).toBe(
      'syncing',
    );
    const some = seriesReason(syncing, [occ(true), occ(false, 'room_unavailable'), occ(true)], 180, 'en');
    expect(some).toEqual({
      code: 'series',
      message: expect.stringMatching(/^2 of 3 upcoming occurrences have a loan of their own\.$/),
    });
    expect(seriesReason(syncing, [occ(true), occ(false, 'syncing')], 180, 'fr').message).toMatch(
      /^1 sur 2 occurrences à venir a son propre prêt\.$/,
    );
  });

  it('B3: no occurrence in the window, or a reason about the whole series, is said as such', () => {
    expect(seriesReason(syncing, [], 30, 'fr')).toEqual({
      code: 'other',
      message: expect.stringMatching(/fenêtre de réservation \(30 jours\)/),
    });
    const declined = { code: 'room_declined' as const, message: 'Salle A-001 declined' };
    expect(seriesReason(declined, [occ(false, 'syncing')], 180, 'en')).toBe(declined);
    // An occurrence never journaled, of a series the room declined whole, shares that reason.
    expect(occurrenceReason(syncing, declined)).toBe(declined);
    expect(occurrenceReason({ code: 'room_unavailable', message: 'x' }, declined).code).toBe(
      'room_unavailable',
    );
    expect(occurrenceReason(syncing, { code: 'series', message: 'y' })).toBe(syncing);
  });

  it('A2: the journal’s reasons in French for a French user; unknown ones as written', () => {
    expect(
      localizeReason('The loan is outside the opening schedule of Salle B-101 (Europe/Paris).', 'fr'),
    ).toBe('Hors des horaires d’ouverture de Salle B-101 dans Hector (Europe/Paris).');
    expect(localizeReason('Salle A-001 is taken by loan #12, #14', 'fr')).toBe(
      'Salle A-001 est déjà prise par le prêt #12, #14',
    );
    expect(localizeReason('Salle A-001 is taken by loan #12', 'en')).toBe('Salle A-001 is taken by loan #12');
    expect(localizeReason('something new', 'fr')).toBe('something new');
    // Hector's rule errors come with their rule's name first: not a person's words.
    const ruled =
      'OUTSIDE_SCHEDULE (K2): The loan is outside the opening schedule of Salle B-101 (Europe/Paris).';
    expect(localizeReason(ruled, 'en')).toBe(
      'The loan is outside the opening schedule of Salle B-101 (Europe/Paris).',
    );
    expect(localizeReason(ruled, 'fr')).toMatch(/^Hors des horaires d’ouverture de Salle B-101/);
  });
});

describe('flow 8: token audience and rate limit', () => {
  it('the audience is exactly our client id or our Application ID URI (issue 13: not any api://…/<id>)', () => {
    const id = '33333333-3333-4333-8333-333333333333';
    const uri = `api://hector.example.org/${id}`;
    expect(isOurAudience(id, id, uri)).toBe(true);
    expect(isOurAudience([uri], id, uri)).toBe(true);
    expect(isOurAudience(`API://Hector.example.org/${id}`, id, uri)).toBe(true);
    expect(isOurAudience(`api://evil.example/${id}`, id, uri)).toBe(false);
    expect(isOurAudience(`https://evil.example/${id}`, id, uri)).toBe(false);
    expect(isOurAudience('44444444-4444-4444-8444-444444444444', id, uri)).toBe(false);
    expect(isOurAudience(undefined, id, uri)).toBe(false);
  });

  it('the limit resets when the minute is over (injected clock)', () => {
    let now = new Date('2026-11-25T10:00:00Z');
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000, now: () => now });
    expect(limiter.take('u')).toBeNull();
    expect(limiter.take('u')).toBeNull();
    expect(limiter.take('u')).toBe(60);
    expect(limiter.take('v')).toBeNull();
    now = new Date('2026-11-25T10:00:45Z');
    expect(limiter.take('u')).toBe(15);
    now = new Date('2026-11-25T10:01:00Z');
    expect(limiter.take('u')).toBeNull();
  });
});

describe('flow 8: not configured → 503 with a clear message', () => {
  const app = (deps: Partial<AddinRouterDeps>) => {
    const server = express();
    server.use(
      '/api/addin',
      addinRouter({
        verifyToken: async () => ({ tenantId: 't', oid: 'o', upn: null, assertion: 'token' }),
        tenantId: async () => 't',
        rateLimiter: createRateLimiter({ limit: 60, windowMs: 60_000, now: () => new Date() }),
        loans: {
          graph: async () => null,
          hector: { getLoan: async () => null, listPlaces: async () => [], getStore: async () => null },
          links: {
            findLoanIdByICalUId: async () => null,
            findLinkByEventId: async () => null,
            listSeriesLinks: async () => [],
          },
          journal: { list: async () => [], record: async () => undefined },
          loanUrl: 'https://hector.example.org/loans/{id}',
          now: () => new Date('2026-11-25T10:00:00Z'),
        },
        // The actions are never reached here: every request stops at the 503 before them.
        actions: {
          graph: async () => null,
          hector: {} as AddinActionDeps['hector'],
          links: {} as AddinActionDeps['links'],
          journal: { list: async () => [], record: async () => undefined },
          loanUrl: 'https://hector.example.org/loans/{id}',
          now: () => new Date('2026-11-25T10:00:00Z'),
        },
        logger: createLogger('silent'),
        ...deps,
      }),
    );
    server.use(errorHandler);
    return server;
  };

  it('without ADDIN_CLIENT_ID', async () => {
    const res = await request(app({ verifyToken: null })).get('/api/addin/loan?itemId=AAMk');
    expect(res.status).toBe(503);
    expect(res.body.error).toEqual({
      code: 'ADDIN_NOT_CONFIGURED',
      message: expect.stringMatching(/add-in API is not configured.*ADDIN_CLIENT_ID/),
    });
  });

  it('before the integration is saved (no tenant yet)', async () => {
    const res = await request(app({ tenantId: async () => null })).get('/api/addin/loan?itemId=AAMk');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('INTEGRATION_NOT_CONFIGURED');
  });

  it('with a tenant but no Graph gateway', async () => {
    const res = await request(app({})).get('/api/addin/loan?itemId=AAMk');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('INTEGRATION_NOT_CONFIGURED');
  });
});
