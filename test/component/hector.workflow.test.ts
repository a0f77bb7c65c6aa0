import request from 'supertest';
import type { Loan, Place, Store } from '../../contract/hector';
import type { Service } from '../../server/main';
import { startTestService, TEST_ADMIN_TOKEN } from '../support/service';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

// Issue 15: the Hector staff's loan workflow, as the admin page drives it over /api/hector — edit
// dates, rooms and assets, cancel one item, check out and return — with the allowed actions the
// server gives per loan and per item; stores made and places moved between them.
jest.setTimeout(60_000);
const HOOK_TIMEOUT_MS = 60_000;
// Wednesday 25 November 2026; loans on Tuesday 1 December, inside the default store's 07:00–20:00.
const clock = { now: new Date('2026-11-25T08:00:00Z') };
const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

let storage: TestStorage;
let service: Service;
let api: ReturnType<typeof request.agent>;
let curie: Place;
let pasteur: Place;
let projector: { id: string };
let screen: { id: string };

beforeAll(async () => {
  storage = await createTestStorage('hector-workflow');
  service = await startTestService(storage, {}, { now: () => clock.now });
  api = request.agent(service.url).set(auth);
  curie = (await api.post('/api/hector/places').send({ name: 'Salle Curie', email: 'curie@contoso.fr' }))
    .body;
  pasteur = (
    await api.post('/api/hector/places').send({ name: 'Salle Pasteur', email: 'pasteur@contoso.fr' })
  ).body;
  projector = (await api.post('/api/hector/assets').send({ name: 'Projecteur 1' })).body;
  screen = (await api.post('/api/hector/assets').send({ name: 'Écran 2' })).body;
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  await service?.close();
  await storage?.drop();
}, HOOK_TIMEOUT_MS);

const read = async (id: string): Promise<Loan> => {
  const res = await api.get(`/api/hector/loans/${id}`);
  expect(res.status).toBe(200);
  return res.body as Loan;
};

/** The parts of a loan a refused request must leave as they were. */
const state = (loan: Loan) => ({
  status: loan.status,
  start: loan.start,
  end: loan.end,
  items: loan.items.map((i) => `${i.kind}:${i.id}:${i.status}`),
  version: loan.version,
});

/** Each loan on its own day (1–4 December, Tuesday to Friday), so that none conflicts (V4). */
let day = 0;
async function newLoan(): Promise<Loan> {
  day++;
  const res = await api.post('/api/hector/loans').send({
    requester: { email: 'alice@contoso.fr', name: 'Alice Martin' },
    start: `2026-12-0${day}T09:00:00Z`,
    end: `2026-12-0${day}T10:00:00Z`,
    items: [
      { kind: 'place', id: curie.id },
      { kind: 'asset', id: projector.id },
    ],
  });
  expect(res.status).toBe(201);
  return res.body as Loan;
}

describe('the loan workflow with allowed actions', () => {
  it('K1: a new loan may be edited, cancelled, refused or checked out; each active item cancelled', async () => {
    const loan = await newLoan();
    expect(loan.allowedActions).toEqual(['edit', 'cancel', 'refuse', 'check-out']);
    expect(loan.allowedItemActions).toEqual({ [curie.id]: ['cancel'], [projector.id]: ['cancel'] });
    const listed = (await api.get('/api/hector/loans').query({ limit: 500 })).body.items as Loan[];
    expect(listed.find((l) => l.id === loan.id)?.allowedActions).toEqual(loan.allowedActions);
  });

  it('HU1: edit dates, rooms and assets in one PATCH; bad input is a 4xx and changes nothing', async () => {
    const loan = await newLoan();
    const edited = await api.patch(`/api/hector/loans/${loan.id}`).send({
      start: '2026-12-02T13:00:00Z',
      end: '2026-12-02T15:00:00Z',
      items: [
        { kind: 'place', id: pasteur.id },
        { kind: 'asset', id: projector.id },
        { kind: 'asset', id: screen.id },
      ],
      version: loan.version,
    });
    expect(edited.status).toBe(200);
    const after = edited.body as Loan;
    expect(after).toMatchObject({ start: '2026-12-02T13:00:00.000Z', end: '2026-12-02T15:00:00.000Z' });
    expect(after.items.map((i) => [i.id, i.status])).toEqual(
      expect.arrayContaining([
        [curie.id, 'cancelled'],
        [pasteur.id, 'active'],
        [projector.id, 'active'],
        [screen.id, 'active'],
      ]),
    );
    expect(after.allowedItemActions[curie.id]).toEqual([]);
    expect(after.allowedItemActions[pasteur.id]).toEqual(['cancel']);

    const kept = state(await read(loan.id));
    const bad: Array<[object, number]> = [
      [{ start: '2026-12-02T16:00:00Z', end: '2026-12-02T15:00:00Z' }, 422], // V2: end before start
      [{ start: 'tomorrow at nine' }, 400],
      [{ items: [{ kind: 'room', id: curie.id }] }, 400],
      [{ items: [{ kind: 'place', id: '00000000-0000-4000-8000-000000000000' }] }, 404],
      [{ start: '2026-12-02T14:00:00Z', version: loan.version }, 409], // another change came first
    ];
    for (const [body, status] of bad) {
      const res = await api.patch(`/api/hector/loans/${loan.id}`).send(body);
      expect([res.status, body]).toEqual([status, body]);
      expect(res.body.error.code).toEqual(expect.any(String));
      expect(state(await read(loan.id))).toEqual(kept);
    }
  });

  it('OU2: cancel one item; the rest of the loan stays; cancelling it again is refused', async () => {
    const loan = await newLoan();
    const res = await api.post(`/api/hector/loans/${loan.id}/items/${projector.id}/cancel`);
    expect(res.status).toBe(200);
    const after = res.body as Loan;
    expect(after.status).toBe('new');
    expect(after.items.find((i) => i.id === projector.id)?.status).toBe('cancelled');
    expect(after.items.find((i) => i.id === curie.id)?.status).toBe('active');
    expect(after.allowedItemActions).toEqual({ [curie.id]: ['cancel'], [projector.id]: [] });

    const kept = state(after);
    const again = await api.post(`/api/hector/loans/${loan.id}/items/${projector.id}/cancel`);
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    const unknown = await api.post(`/api/hector/loans/${loan.id}/items/${screen.id}/cancel`);
    expect(unknown.status).toBe(404);
    expect(state(await read(loan.id))).toEqual(kept);
  });

  it('K1: check out, then return; each step offers only what the statuses allow next', async () => {
    const loan = await newLoan();
    const out = await api.post(`/api/hector/loans/${loan.id}/check-out`);
    expect(out.status).toBe(200);
    expect(out.body.status).toBe('out');
    expect(out.body.allowedActions).toEqual(['edit', 'return']);
    // An action not offered is refused, and the loan stays as it is.
    const kept = state(out.body as Loan);
    const cancel = await api.post(`/api/hector/loans/${loan.id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(state(await read(loan.id))).toEqual(kept);

    const returned = await api.post(`/api/hector/loans/${loan.id}/return`);
    expect(returned.status).toBe(200);
    const done = returned.body as Loan;
    expect(done.status).toBe('returned');
    expect(done.allowedActions).toEqual([]);
    expect(Object.values(done.allowedItemActions).flat()).toEqual([]);

    // Finished: no edit, no item cancel, no second check-out.
    const finished = state(done);
    for (const attempt of [
      api.patch(`/api/hector/loans/${loan.id}`).send({ end: '2026-12-04T11:00:00Z' }),
      api.post(`/api/hector/loans/${loan.id}/items/${curie.id}/cancel`),
      api.post(`/api/hector/loans/${loan.id}/check-out`),
    ]) {
      const res = await attempt;
      expect(res.status).toBe(409);
    }
    expect(state(await read(loan.id))).toEqual(finished);
  });
});

describe('stores and places', () => {
  it('K2: create a store and move a place into it and back; an unknown store changes nothing', async () => {
    const created = await api
      .post('/api/hector/stores')
      .send({ name: 'Bibliothèque', timeZone: 'Europe/Paris' });
    expect(created.status).toBe(201);
    const store = created.body as Store;
    expect(((await api.get('/api/hector/stores')).body.items as Store[]).map((s) => s.id)).toContain(
      store.id,
    );

    const from = curie.storeId;
    const moved = await api.patch(`/api/hector/places/${curie.id}`).send({ storeId: store.id });
    expect(moved.status).toBe(200);
    expect((await api.get(`/api/hector/places/${curie.id}`)).body.storeId).toBe(store.id);

    const unknown = await api
      .patch(`/api/hector/places/${curie.id}`)
      .send({ storeId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    const empty = await api.post('/api/hector/stores').send({ name: '  ' });
    expect(empty.status).toBe(400);
    expect((await api.get(`/api/hector/places/${curie.id}`)).body.storeId).toBe(store.id);

    expect((await api.patch(`/api/hector/places/${curie.id}`).send({ storeId: from })).status).toBe(200);
    expect((await api.get(`/api/hector/places/${curie.id}`)).body.storeId).toBe(from);
  });
});
