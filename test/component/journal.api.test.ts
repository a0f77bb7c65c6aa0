import request from 'supertest';
import type { JournalEntry, JournalPage } from '../../contract/journal';
import type { Service } from '../../server/main';
import { createJournal, type Journal, type JournalEntryInput } from '../../server/store/journal';
import { JOURNAL_RETENTION_QUEUE } from '../../server/sync/journalEntries';
import { journalMessage } from '../../server/sync/journalText/render';
import { startTestService, TEST_ADMIN_TOKEN } from '../support/service';
import { waitFor } from '../support/stack';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

// Issue 15, "a journal you can use" (B4): filters, cursor paging, FR/EN and retention, over real
// HTTP on PGlite. Entries are written through the service's own journal writer (store/journal.ts),
// each at an instant of the test's clock; the service reads the same clock.
jest.setTimeout(60_000);
const HOOK_TIMEOUT_MS = 60_000;
const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2026-11-25T08:00:00Z');
const clock = { now: NOW };
const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const A101 = 'salle-a101@universite.test';
const B204 = 'salle-b204@universite.test';

let storage: TestStorage;
let service: Service;
let journal: Journal;
let loan: { id: string; number: number };

const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * DAY);

/** Writes an entry as the service does, at that instant. */
async function write(at: Date, entry: Partial<JournalEntryInput> = {}): Promise<void> {
  const saved = clock.now;
  clock.now = at;
  try {
    await journal.record({ kind: 'ignored', message: 'Not synced: no synced room', ...entry });
  } finally {
    clock.now = saved;
  }
}

const get = (query: Record<string, string | number>, headers: Record<string, string> = {}) =>
  request(service.url).get('/api/admin/journal').query(query).set(auth).set(headers);

async function entries(query: Record<string, string | number>): Promise<JournalEntry[]> {
  const res = await get({ limit: 1000, ...query });
  expect(res.status).toBe(200);
  return (res.body as JournalPage).items;
}

beforeAll(async () => {
  storage = await createTestStorage('journal-api');
  service = await startTestService(storage, {}, { now: () => clock.now });
  journal = createJournal(service.database.db, () => clock.now);
  const api = request.agent(service.url).set(auth);
  const place = (await api.post('/api/hector/places').send({ name: 'Salle A-101', email: A101 })).body;
  loan = (
    await api.post('/api/hector/loans').send({
      requester: { email: 'alice@universite.test', name: 'Alice Martin' },
      start: '2026-12-01T09:00:00Z',
      end: '2026-12-01T10:00:00Z',
      items: [{ kind: 'place', id: place.id }],
    })
  ).body;
  expect(loan.number).toBeGreaterThan(0);

  // The fixture: 10 days of a small journal, plus old entries for the retention pass.
  await write(daysAgo(10), {
    kind: 'created',
    message: `Created loan #${loan.number} from Salle A-101's copy`,
    roomEmail: A101,
    loanId: loan.id,
    iCalUId: 'ical-1',
    eventId: 'copy-1',
  });
  await write(daysAgo(8), {
    kind: 'updated',
    message: `Updated loan #${loan.number} (start 09:00 → 09:30)`,
    roomEmail: A101,
    loanId: loan.id,
    iCalUId: 'ical-1',
    eventId: 'copy-1',
  });
  await write(daysAgo(6), {
    kind: 'ignored',
    message: `Not synced (loan #${loan.number} unchanged): Salle B-204 is taken`,
    roomEmail: B204,
    iCalUId: 'ical-2',
    details: { loanNumber: loan.number },
  });
  await write(daysAgo(4), {
    kind: 'error',
    message: "Hector cannot read Salle B-204's calendar: the app lacks Calendars.Read",
    roomEmail: B204,
  });
  await write(daysAgo(2), {
    kind: 'subscription',
    ...journalMessage('subscription.created', { room: A101, until: '2026-11-28T08:00:00.000Z' }),
    roomEmail: A101,
  });
  await write(daysAgo(1), {
    kind: 'rooms',
    ...journalMessage('reconcile.summary', { rooms: 12, changes: 30 }),
  });
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await service?.close();
  await storage?.drop();
}, HOOK_TIMEOUT_MS);

describe('GET /api/admin/journal filters', () => {
  it('B4: each filter narrows — kind (one or several), room, from/to, loan number, free text', async () => {
    expect(await entries({ kind: 'error' })).toEqual([
      expect.objectContaining({ kind: 'error', roomEmail: B204 }),
    ]);
    expect((await entries({ kind: 'created,updated' })).map((e) => e.kind)).toEqual(['updated', 'created']);

    const ofB204 = await entries({ roomEmail: B204.toUpperCase() });
    expect(ofB204.map((e) => e.kind)).toEqual(['error', 'ignored']);

    const window = await entries({ from: daysAgo(7).toISOString(), to: daysAgo(3).toISOString() });
    expect(window.map((e) => e.kind)).toEqual(['error', 'ignored']);
    // `since` (the older name) still works alone.
    expect((await entries({ since: daysAgo(1.5).toISOString() })).map((e) => e.kind)).toEqual(['rooms']);

    // By number: the entries naming the loan by id, and the one that only recorded its number.
    const byNumber = await entries({ loanNumber: loan.number });
    expect(byNumber.map((e) => e.kind)).toEqual(['ignored', 'updated', 'created']);
    expect(await entries({ loanNumber: loan.number + 1000 })).toEqual([]);

    // Free text: case-insensitive, in the message, parameters and ids; `%` is taken literally.
    expect((await entries({ q: 'calendars.READ' })).map((e) => e.kind)).toEqual(['error']);
    expect((await entries({ q: 'ical-2' })).map((e) => e.kind)).toEqual(['ignored']);
    expect(await entries({ q: '%' })).toEqual([]);

    // Filters combine.
    expect((await entries({ roomEmail: A101, kind: 'updated,subscription' })).map((e) => e.kind)).toEqual([
      'subscription',
      'updated',
    ]);
  });

  it('B4: a bad query is a 400 naming the parameter, and changes nothing', async () => {
    const before = await entries({});
    const bad: Array<[Record<string, string | number>, RegExp]> = [
      [{ kind: 'nonsense' }, /kind/],
      [{ from: 'yesterday' }, /from/],
      [{ from: daysAgo(1).toISOString(), to: daysAgo(2).toISOString() }, /from must be before to/],
      [{ loanNumber: 'abc' }, /loanNumber/],
      [{ limit: 0 }, /limit/],
      [{ cursor: 'not-a-cursor' }, /cursor/],
      [{ lang: 'de' }, /lang/],
      // PostgreSQL stores no NUL character: refused at the edge, not a 500 (found by the fuzz test).
      [{ q: '\u0000' }, /q/],
      [{ eventId: 'AAMk\u0000' }, /eventId/],
    ];
    for (const [query, names] of bad) {
      const res = await get(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BAD_REQUEST');
      expect(res.body.error.message).toMatch(names);
    }
    expect(await entries({})).toEqual(before);
    expect((await request(service.url).get('/api/admin/journal')).status).toBe(401);
  });

  it('issue 16: a NUL character the database cannot store is a 400 on any route, and nothing is written', async () => {
    const stores = async () => (await request(service.url).get('/api/hector/stores').set(auth)).body;
    const before = await stores();
    const res = await request(service.url)
      .post('/api/hector/stores')
      .set(auth)
      .send({ name: 'Médiathèque\u0000' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(res.body.error.message).toMatch(/NUL/);
    expect(await stores()).toEqual(before);
  });
});

describe('GET /api/admin/journal cursor paging', () => {
  it('B4: past 200 entries, following nextCursor returns every entry exactly once, newest first', async () => {
    // 450 entries, many sharing one instant (only the id orders those), in their own room.
    const room = 'salle-paging@universite.test';
    for (let i = 0; i < 450; i++) {
      await write(new Date(daysAgo(5).getTime() + Math.floor(i / 7) * 1000), {
        kind: 'in_sync',
        message: `entry ${i}`,
        roomEmail: room,
      });
    }
    const seen: JournalEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get({ roomEmail: room, limit: 200, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const page = res.body as JournalPage;
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(450);
    expect(new Set(seen.map((e) => e.id)).size).toBe(450);
    expect(seen.map((e) => e.message)).toEqual(Array.from({ length: 450 }, (_, i) => `entry ${449 - i}`));
    // The old answer is unchanged beside it: `items`, newest first, at most `limit`.
    const first = (await get({ roomEmail: room })).body as JournalPage;
    expect(first.items).toHaveLength(100);
    expect(first.nextCursor).toEqual(expect.any(String));
  });
});

describe('GET /api/admin/journal in the admin language', () => {
  it('B4: coded entries render in French or English (lang, else Accept-Language); old entries keep their text', async () => {
    const fr = await entries({ kind: 'subscription,rooms', lang: 'fr' });
    expect(fr.map((e) => e.message)).toEqual([
      'Resynchronisation de 12 salles : 30 événements relus ; seuls les changements ont leur propre ligne.',
      `Abonnement au calendrier de ${A101} jusqu'au 2026-11-28T08:00:00.000Z.`,
    ]);
    expect(fr[0]).toMatchObject({ code: 'reconcile.summary', params: { rooms: 12, changes: 30 } });

    const en = await entries({ kind: 'subscription,rooms', lang: 'en' });
    expect(en.map((e) => e.message)).toEqual([
      'Re-sync pass over 12 rooms: 30 events read again; only what changed has its own line.',
      `Subscribed to the calendar of ${A101} until 2026-11-28T08:00:00.000Z.`,
    ]);

    const byHeader = (
      (await get({ kind: 'rooms' }, { 'Accept-Language': 'de-DE, fr-CA;q=0.8, en;q=0.5' }))
        .body as JournalPage
    ).items;
    expect(byHeader[0].message).toMatch(/^Resynchronisation de 12 salles/);
    const byDefault = ((await get({ kind: 'rooms' })).body as JournalPage).items;
    expect(byDefault[0].message).toMatch(/^Re-sync pass over 12 rooms/);

    // An entry written before codes: its text as written, in either language, code null.
    const old = await entries({ kind: 'error', lang: 'fr' });
    expect(old[0]).toMatchObject({
      code: null,
      params: null,
      message: expect.stringMatching(/^Hector cannot read/),
    });
  });
});

describe('journal retention (JOURNAL_RETENTION_DAYS, default 180)', () => {
  it('B4: the retention job prunes only the entries older than 180 days', async () => {
    const room = 'salle-retention@universite.test';
    for (const days of [400, 200, 181, 179, 30]) {
      await write(daysAgo(days), { kind: 'gap', message: `${days} days old`, roomEmail: room });
    }
    const othersBefore = (await entries({ kind: 'created,updated,error,subscription,rooms' })).length;
    await service.queue.send(JOURNAL_RETENTION_QUEUE, { data: {} });
    await waitFor(async () => (await entries({ roomEmail: room })).length === 2, {
      what: 'the retention pass',
    });
    expect((await entries({ roomEmail: room })).map((e) => e.message)).toEqual([
      '30 days old',
      '179 days old',
    ]);
    expect((await entries({ kind: 'created,updated,error,subscription,rooms' })).length).toBe(othersBefore);
  });
});
