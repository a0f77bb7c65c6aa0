import request from 'supertest';
import type { Service } from '../../server/main';
import { startTestService, TEST_ADMIN_TOKEN } from '../support/service';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

// Starting PGlite, migrating and starting pg-boss take seconds on a busy 2-core machine.
const HOOK_TIMEOUT_MS = 60_000;

// The service's clock: Wednesday 25 November 2026, 08:00 UTC. Loans below are on Tuesday
// 1 December (Europe/Paris is UTC+1 then: 09:00Z is 10:00 local, inside the default 07:00–20:00).
const clock = { now: new Date('2026-11-25T08:00:00Z') };
const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

let storage: TestStorage;
let service: Service;
let api: ReturnType<typeof request.agent>;
let roomA: { id: string; name: string };
let roomB: { id: string; name: string };
let projector: { id: string; name: string };

const countRows = async (table: 'hector_loan' | 'hector_outbox' | 'hector_user'): Promise<number> => {
  const row = await service.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

const newLoan = (over: Record<string, unknown> = {}) => ({
  requester: { email: 'alice@contoso.fr', name: 'Alice Martin' },
  start: '2026-12-01T09:00:00Z',
  end: '2026-12-01T10:00:00Z',
  items: [{ kind: 'place', id: roomA.id }],
  ...over,
});

beforeAll(async () => {
  storage = await createTestStorage('hector-api');
  service = await startTestService(storage, {}, { now: () => clock.now });
  api = request.agent(service.url).set(auth);
  roomA = (
    await api
      .post('/api/hector/places')
      .send({ name: 'Salle Curie', email: 'curie@contoso.fr', capacity: 12 })
  ).body;
  roomB = (await api.post('/api/hector/places').send({ name: 'Salle Pasteur', email: 'pasteur@contoso.fr' }))
    .body;
  projector = (await api.post('/api/hector/assets').send({ name: 'Projecteur 1' })).body;
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await service?.close();
  await storage?.drop();
}, HOOK_TIMEOUT_MS);

describe('/api/hector authentication', () => {
  it('answers 401 without a token or with a wrong one', async () => {
    const none = await request(service.url).get('/api/hector/loans');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    const wrong = await request(service.url)
      .get('/api/hector/places')
      .set('Authorization', 'Bearer nope-nope-nope-nope');
    expect(wrong.status).toBe(401);
  });
});

describe('/api/hector/stores', () => {
  it('lists the default store seeded by the migration (Europe/Paris, K1 automation on)', async () => {
    const res = await api.get('/api/hector/stores');
    expect(res.status).toBe(200);
    const store = res.body.items.find((s: { isDefault: boolean }) => s.isDefault);
    expect(store).toMatchObject({ timeZone: 'Europe/Paris', autoCheckOut: true, autoClose: true });
    expect(store.schedule.mon).toEqual([{ from: '07:00', to: '20:00' }]);
  });

  it('creates, reads and updates a store; unknown id is 404; bad body is 400', async () => {
    const created = await api
      .post('/api/hector/stores')
      .send({ name: 'Annexe', timeZone: 'America/Montreal' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Annexe', timeZone: 'America/Montreal', isDefault: false });
    const patched = await api.patch(`/api/hector/stores/${created.body.id}`).send({ bookingWindowDays: 30 });
    expect(patched.status).toBe(200);
    expect(patched.body.bookingWindowDays).toBe(30);
    expect((await api.get(`/api/hector/stores/${created.body.id}`)).body.name).toBe('Annexe');
    expect((await api.get('/api/hector/stores/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api.post('/api/hector/stores').send({ name: 'X', timeZone: 'Mars/Olympus' })).status).toBe(
      400,
    );
  });
});

describe('/api/hector/places', () => {
  it('creates a place with the exact JSON shape and lists it', async () => {
    const created = await api.post('/api/hector/places').send({
      name: 'Salle Hugo',
      email: 'hugo@contoso.fr',
      address: '1 rue X',
      building: 'B1',
      capacity: 8,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Salle Hugo',
      email: 'hugo@contoso.fr',
      address: '1 rue X',
      building: 'B1',
      capacity: 8,
      active: true,
      synced: false,
    });
    expect(typeof created.body.id).toBe('string');
    expect(typeof created.body.storeId).toBe('string');
    const list = await api.get('/api/hector/places');
    expect(list.body.items.map((p: { id: string }) => p.id)).toContain(created.body.id);
    const got = await api.get(`/api/hector/places/${created.body.id}`);
    expect(got.body.name).toBe('Salle Hugo');
  });

  it('refuses a second place with the same e-mail in another case (409)', async () => {
    const res = await api.post('/api/hector/places').send({ name: 'Copie', email: 'CURIE@contoso.fr' });
    expect(res.status).toBe(409);
  });

  it('updates a place; unknown place is 404; malformed body is 400', async () => {
    const res = await api.patch(`/api/hector/places/${roomB.id}`).send({ capacity: 20, building: 'Bât. A' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ capacity: 20, building: 'Bât. A' });
    expect((await api.patch('/api/hector/places/not-a-uuid').send({ capacity: 1 })).status).toBe(404);
    expect((await api.patch(`/api/hector/places/${roomB.id}`).send({ capacity: 'many' })).status).toBe(400);
  });
});

describe('/api/hector/assets', () => {
  it('creates, lists, reads and updates assets', async () => {
    const created = await api.post('/api/hector/assets').send({ name: 'Micro' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Micro', active: true });
    expect((await api.get('/api/hector/assets')).body.items.length).toBeGreaterThanOrEqual(2);
    expect((await api.get(`/api/hector/assets/${created.body.id}`)).body.name).toBe('Micro');
    const patched = await api.patch(`/api/hector/assets/${created.body.id}`).send({ active: false });
    expect(patched.body.active).toBe(false);
    expect((await api.get('/api/hector/assets/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('POST /api/hector/loans', () => {
  it('OC4: creates a new loan with the Loan JSON shape, a number from 1001 and the requester created', async () => {
    const res = await api.post('/api/hector/loans').send(newLoan({ notes: 'Réunion' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      number: 1001,
      status: 'new',
      statusLabel: { fr: 'Nouveau', en: 'New' },
      start: '2026-12-01T09:00:00.000Z',
      end: '2026-12-01T10:00:00.000Z',
      requester: { email: 'alice@contoso.fr', name: 'Alice Martin' },
      items: [{ kind: 'place', id: roomA.id, name: 'Salle Curie', status: 'active' }],
      origin: 'hector',
      notes: 'Réunion',
      version: 1,
    });
    expect(res.body.store).toEqual({ id: expect.any(String), name: 'Magasin principal' });
    expect(typeof res.body.id).toBe('string');
    expect(typeof res.body.createdAt).toBe('string');
    const outbox = await service.database.db
      .selectFrom('hector_outbox')
      .selectAll()
      .where('loan_id', '=', res.body.id)
      .execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ origin: 'hector', change: { type: 'created', number: 1001 } });
  });

  it('V4: an overlapping booking is a 409 naming the conflicting loan number, and nothing is written', async () => {
    const before = await Promise.all([
      countRows('hector_loan'),
      countRows('hector_outbox'),
      countRows('hector_user'),
    ]);
    const res = await api.post('/api/hector/loans').send(
      newLoan({
        requester: { email: 'nobody.yet@contoso.fr' },
        start: '2026-12-01T09:30:00Z',
        end: '2026-12-01T11:00:00Z',
        items: [
          { kind: 'place', id: roomB.id },
          { kind: 'place', id: roomA.id },
        ],
      }),
    );
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('LOAN_CONFLICT');
    expect(res.body.error.message).toContain('1001');
    expect(res.body.error.message).toContain('Salle Curie');
    const after = await Promise.all([
      countRows('hector_loan'),
      countRows('hector_outbox'),
      countRows('hector_user'),
    ]);
    expect(after).toEqual(before);
  });

  it('V4: back-to-back loans do not overlap ([start, end) intervals)', async () => {
    const res = await api
      .post('/api/hector/loans')
      .send(newLoan({ start: '2026-12-01T10:00:00Z', end: '2026-12-01T10:15:00Z' }));
    expect(res.status).toBe(201);
    expect(res.body.number).toBe(1002);
  });

  it.each([
    ['OC2: unaligned times', { start: '2026-12-01T09:05:00Z' }, 'QUARTER_HOUR_BLOCKS'],
    [
      'V2: end before start',
      { start: '2026-12-02T10:00:00Z', end: '2026-12-02T09:00:00Z' },
      'END_BEFORE_START',
    ],
    [
      'K2: outside the schedule (Saturday)',
      { start: '2026-12-05T09:00:00Z', end: '2026-12-05T10:00:00Z' },
      'OUTSIDE_SCHEDULE',
    ],
    [
      'K2: outside the schedule (21:00 Paris)',
      { start: '2026-12-02T19:00:00Z', end: '2026-12-02T20:00:00Z' },
      'OUTSIDE_SCHEDULE',
    ],
    [
      'K2: outside the booking window',
      { start: '2028-01-04T09:00:00Z', end: '2028-01-04T10:00:00Z' },
      'OUTSIDE_BOOKING_WINDOW',
    ],
  ])('%s → 422 RULE_VIOLATION naming the rule, nothing written', async (_name, over, rule) => {
    const before = await countRows('hector_loan');
    const res = await api.post('/api/hector/loans').send(
      newLoan({
        items: [{ kind: 'place', id: roomB.id }],
        start: '2026-12-02T09:00:00Z',
        end: '2026-12-02T10:00:00Z',
        ...(over as Record<string, unknown>),
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('RULE_VIOLATION');
    expect(res.body.error.details.rule).toBe(rule);
    expect(res.body.error.message).toContain(rule);
    expect(await countRows('hector_loan')).toBe(before);
  });

  it('K2: the place override of the maximum duration wins over the store', async () => {
    await api.patch(`/api/hector/places/${roomB.id}`).send({ maxDurationMinutes: 60 });
    const res = await api.post('/api/hector/loans').send(
      newLoan({
        items: [{ kind: 'place', id: roomB.id }],
        start: '2026-12-03T09:00:00Z',
        end: '2026-12-03T10:15:00Z',
      }),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.details.rule).toBe('OVER_MAX_DURATION');
    await api.patch(`/api/hector/places/${roomB.id}`).send({ maxDurationMinutes: null });
  });

  it('K2: schedule from the store, else the place override; everyday schedule spellings accepted', async () => {
    const store = await api.post('/api/hector/stores').send({
      name: 'Samedi',
      timeZone: 'Europe/Paris',
      schedule: { saturday: '10:00-12:00' },
      automaticClose: false,
    });
    expect(store.status).toBe(201);
    expect(store.body).toMatchObject({
      schedule: { sat: [{ from: '10:00', to: '12:00' }] },
      autoClose: false,
    });
    const hall = (await api.post('/api/hector/places').send({ name: 'Hall', storeId: store.body.id })).body;
    const at = (start: string, end: string) =>
      api.post('/api/hector/loans').send(newLoan({ items: [{ kind: 'place', id: hall.id }], start, end }));
    expect((await at('2026-12-05T09:00:00Z', '2026-12-05T10:00:00Z')).status).toBe(201);
    const late = await at('2026-12-05T11:00:00Z', '2026-12-05T12:00:00Z');
    expect(late.status).toBe(422);
    expect(late.body.error.details.rule).toBe('OUTSIDE_SCHEDULE');
    await api
      .patch(`/api/hector/places/${hall.id}`)
      .send({ schedule: { sat: [{ open: '10:00', close: '14:00' }] } });
    expect((await at('2026-12-05T11:00:00Z', '2026-12-05T12:00:00Z')).status).toBe(201);
    expect(
      (await api.patch(`/api/hector/places/${hall.id}`).send({ schedule: { sat: ['25:00-26:00'] } })).status,
    ).toBe(400);
  });

  it('answers 400 for malformed bodies and 404 for unknown items', async () => {
    const badJson = await api
      .post('/api/hector/loans')
      .set('Content-Type', 'application/json')
      .send('{"start":');
    expect(badJson.status).toBe(400);
    expect((await api.post('/api/hector/loans').send({ start: 'tomorrow' })).status).toBe(400);
    expect(
      (await api.post('/api/hector/loans').send(newLoan({ requester: { email: 'not-an-email' } }))).status,
    ).toBe(400);
    expect((await api.post('/api/hector/loans').send(newLoan({ start: '2026-12-01 09:00' }))).status).toBe(
      400,
    );
    const unknown = await api
      .post('/api/hector/loans')
      .send(newLoan({ items: [{ kind: 'place', id: '00000000-0000-4000-8000-000000000000' }] }));
    expect(unknown.status).toBe(404);
  });
});

describe('GET /api/hector/loans and /loans/{id}', () => {
  it('filters by period, place and status', async () => {
    const all = await api.get('/api/hector/loans').query({ to: '2026-12-02T00:00:00Z' });
    expect(all.status).toBe(200);
    expect(all.body.items.map((l: { number: number }) => l.number)).toEqual([1001, 1002]);
    const byPlace = await api.get('/api/hector/loans').query({ placeId: roomB.id });
    expect(byPlace.body.items).toEqual([]);
    const byPeriod = await api
      .get('/api/hector/loans')
      .query({ from: '2026-12-01T10:00:00Z', to: '2026-12-01T11:00:00Z' });
    expect(byPeriod.body.items.map((l: { number: number }) => l.number)).toEqual([1002]);
    const byStatus = await api.get('/api/hector/loans').query({ status: 'cancelled' });
    expect(byStatus.body.items).toEqual([]);
    expect((await api.get('/api/hector/loans').query({ status: 'lost' })).status).toBe(400);
  });

  it('reads one loan; unknown or malformed id is 404', async () => {
    const [first] = (await api.get('/api/hector/loans')).body.items;
    expect((await api.get(`/api/hector/loans/${first.id}`)).body.number).toBe(1001);
    expect((await api.get('/api/hector/loans/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await api.get('/api/hector/loans/1001x')).status).toBe(404);
  });
});

describe('PATCH /api/hector/loans/{id}', () => {
  it('OU1: changes dates, items and requester, bumps the version and records what changed', async () => {
    const created = (
      await api
        .post('/api/hector/loans')
        .send(newLoan({ start: '2026-12-08T09:00:00Z', end: '2026-12-08T10:00:00Z' }))
    ).body;
    const res = await api.patch(`/api/hector/loans/${created.id}`).send({
      end: '2026-12-08T10:30:00Z',
      items: [{ kind: 'place', id: roomB.id }],
      requester: { email: 'bob@contoso.fr', name: 'Bob' },
      version: 1,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      end: '2026-12-08T10:30:00.000Z',
      version: 2,
      requester: { email: 'bob@contoso.fr', name: 'Bob' },
      items: [
        { kind: 'place', id: roomA.id, status: 'cancelled' },
        { kind: 'place', id: roomB.id, status: 'active' },
      ],
    });
    const changes = await service.database.db
      .selectFrom('hector_outbox')
      .select('change')
      .where('loan_id', '=', created.id)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => c.change)).toEqual([
      { type: 'created', number: created.number },
      { type: 'updated', changed: ['end', 'items', 'requester'] },
    ]);
  });

  it('refuses a stale version (409), a conflicting move (409 with number) and bad times (422)', async () => {
    const [first, second] = (await api.get('/api/hector/loans')).body.items;
    expect((await api.patch(`/api/hector/loans/${first.id}`).send({ notes: 'x', version: 99 })).status).toBe(
      409,
    );
    const moved = await api.patch(`/api/hector/loans/${second.id}`).send({ start: '2026-12-01T09:45:00Z' });
    expect(moved.status).toBe(409);
    expect(moved.body.error.code).toBe('LOAN_CONFLICT');
    expect(moved.body.error.message).toContain(String(first.number));
    const unaligned = await api.patch(`/api/hector/loans/${second.id}`).send({ end: '2026-12-01T10:20:00Z' });
    expect(unaligned.status).toBe(422);
    expect((await api.get(`/api/hector/loans/${second.id}`)).body.version).toBe(second.version);
  });

  it('V4: a loan may move over its own former slot', async () => {
    const [, second] = (await api.get('/api/hector/loans')).body.items;
    const res = await api.patch(`/api/hector/loans/${second.id}`).send({ end: '2026-12-01T10:30:00Z' });
    expect(res.status).toBe(200);
  });
});

describe('status actions', () => {
  const create = async (start: string, end: string, status?: string) =>
    (await api.post('/api/hector/loans').send(newLoan({ start, end, ...(status ? { status } : {}) }))).body;

  it('cancel: a new loan becomes cancelled and frees its slot; cancelling again is 409', async () => {
    const loan = await create('2026-12-09T09:00:00Z', '2026-12-09T10:00:00Z');
    const res = await api.post(`/api/hector/loans/${loan.id}/cancel`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', statusLabel: { fr: 'Annulé', en: 'Cancelled' } });
    const again = await api.post(`/api/hector/loans/${loan.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('FORBIDDEN_TRANSITION');
    expect((await create('2026-12-09T09:00:00Z', '2026-12-09T10:00:00Z')).status).toBe('new');
  });

  it('refuse: a loan pending approval is refused', async () => {
    const loan = await create('2026-12-10T09:00:00Z', '2026-12-10T10:00:00Z', 'pending_approval');
    expect(loan.statusLabel.fr).toBe("En attente d'approbation");
    const res = await api.post(`/api/hector/loans/${loan.id}/refuse`);
    expect(res.body).toMatchObject({ status: 'refused', statusLabel: { fr: 'Refusé', en: 'Refused' } });
  });

  it('check-out then return; returning a new loan or checking out a returned one is 409', async () => {
    const loan = await create('2026-12-11T09:00:00Z', '2026-12-11T10:00:00Z');
    expect((await api.post(`/api/hector/loans/${loan.id}/return`)).status).toBe(409);
    const out = await api.post(`/api/hector/loans/${loan.id}/check-out`);
    expect(out.body).toMatchObject({ status: 'out', statusLabel: { fr: 'Sorti', en: 'Out' } });
    const back = await api.post(`/api/hector/loans/${loan.id}/return`);
    expect(back.body).toMatchObject({ status: 'returned', statusLabel: { fr: 'Retourné', en: 'Returned' } });
    expect((await api.post(`/api/hector/loans/${loan.id}/check-out`)).status).toBe(409);
    expect((await api.patch(`/api/hector/loans/${loan.id}`).send({ status: 'new' })).status).toBe(409);
    expect((await api.post('/api/hector/loans/00000000-0000-4000-8000-000000000000/cancel')).status).toBe(
      404,
    );
  });

  it('each loan says which statuses it may move to, from Hector’s transitions (none once cancelled)', async () => {
    const loan = await create('2026-12-16T09:00:00Z', '2026-12-16T10:00:00Z', 'pending_approval');
    expect(loan.allowedStatuses).toEqual(['new', 'refused', 'cancelled']);
    const read = await api.get(`/api/hector/loans/${loan.id}`);
    expect(read.body.allowedStatuses).toEqual(['new', 'refused', 'cancelled']);
    const listed = await api
      .get('/api/hector/loans')
      .query({ from: '2026-12-16T00:00:00Z', to: '2026-12-17T00:00:00Z' });
    expect(listed.body.items.map((l: { allowedStatuses: string[] }) => l.allowedStatuses)).toEqual([
      ['new', 'refused', 'cancelled'],
    ]);
    const cancelled = await api.post(`/api/hector/loans/${loan.id}/cancel`);
    expect(cancelled.body.allowedStatuses).toEqual([]);
  });

  it('OU2: cancelling one item keeps the rest; cancelling the last one cancels the loan', async () => {
    const loan = (
      await api.post('/api/hector/loans').send(
        newLoan({
          start: '2026-12-14T09:00:00Z',
          end: '2026-12-14T10:00:00Z',
          items: [
            { kind: 'place', id: roomA.id },
            { kind: 'asset', id: projector.id },
          ],
        }),
      )
    ).body;
    const one = await api.post(`/api/hector/loans/${loan.id}/items/${roomA.id}/cancel`);
    expect(one.status).toBe(200);
    expect(one.body.status).toBe('new');
    expect(one.body.items).toEqual([
      expect.objectContaining({ kind: 'place', id: roomA.id, status: 'cancelled' }),
      expect.objectContaining({ kind: 'asset', id: projector.id, name: 'Projecteur 1', status: 'active' }),
    ]);
    expect((await api.post(`/api/hector/loans/${loan.id}/items/${roomA.id}/cancel`)).status).toBe(409);
    const last = await api.post(`/api/hector/loans/${loan.id}/items/${projector.id}/cancel`);
    expect(last.body.status).toBe('cancelled');
    expect((await api.post(`/api/hector/loans/${loan.id}/items/${roomB.id}/cancel`)).status).toBe(404);
  });
});

describe('GET /api/hector/availability', () => {
  it('V4: names the loans that hold the place, or says it is free', async () => {
    const busy = await api
      .get('/api/hector/availability')
      .query({ placeId: roomA.id, from: '2026-12-01T09:00:00Z', to: '2026-12-01T12:00:00Z' });
    expect(busy.status).toBe(200);
    expect(busy.body.available).toBe(false);
    expect(busy.body.conflicts.map((c: { loanNumber: number }) => c.loanNumber)).toEqual([1001, 1002]);
    expect(busy.body.conflicts[0]).toMatchObject({ itemId: roomA.id, itemName: 'Salle Curie' });
    const free = await api
      .get('/api/hector/availability')
      .query({ placeId: roomA.id, from: '2026-12-01T12:00:00Z', to: '2026-12-01T13:00:00Z' });
    expect(free.body).toEqual({ available: true, conflicts: [] });
  });

  it('answers 400 without dates, 404 for an unknown place and 422 when to is before from', async () => {
    expect((await api.get('/api/hector/availability').query({ placeId: roomA.id })).status).toBe(400);
    const unknown = await api.get('/api/hector/availability').query({
      placeId: '00000000-0000-4000-8000-000000000000',
      from: '2026-12-01T12:00:00Z',
      to: '2026-12-01T13:00:00Z',
    });
    expect(unknown.status).toBe(404);
    const reversed = await api
      .get('/api/hector/availability')
      .query({ placeId: roomA.id, from: '2026-12-01T13:00:00Z', to: '2026-12-01T12:00:00Z' });
    expect(reversed.status).toBe(422);
  });
});
