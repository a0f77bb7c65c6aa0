import type { Service } from '../../server/main';
import { startTestService, TEST_ADMIN_TOKEN } from '../support/service';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

// Starting PGlite, migrating and starting pg-boss take seconds on a busy 2-core machine.
const HOOK_TIMEOUT_MS = 60_000;

/**
 * V4 under load: 50 simultaneous requests for the same room and slot create exactly one loan.
 * The guarantee is the database's (rows locked FOR UPDATE in the loan's transaction), so on
 * PostgreSQL the requests are spread over two service instances sharing the database.
 */
const clock = { now: new Date('2026-11-25T08:00:00Z') };
const headers = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

let storage: TestStorage;
const services: Service[] = [];

beforeAll(async () => {
  storage = await createTestStorage('hector-concurrency');
  services.push(await startTestService(storage, {}, { now: () => clock.now }));
  if (storage.kind === 'postgres') {
    services.push(await startTestService(storage, {}, { now: () => clock.now, workers: false }));
  }
}, HOOK_TIMEOUT_MS);

afterAll(async () => {
  for (const service of services.reverse()) await service.close();
  await storage?.drop();
}, HOOK_TIMEOUT_MS);

interface Json {
  id: string;
  number: number;
  error: { code: string; message: string };
  items: unknown[];
}
const post = (service: Service, path: string, body: unknown) =>
  fetch(`${service.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

it('V4: 50 concurrent requests for the same room and slot create exactly one loan', async () => {
  const place = async (name: string, email: string) =>
    (await (await post(services[0], '/api/hector/places', { name, email })).json()) as Json;
  const room = await place('Salle Lovelace', 'lovelace@contoso.fr');
  const other = await place('Salle Turing', 'turing@contoso.fr');

  const responses = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      post(services[i % services.length], '/api/hector/loans', {
        // Half the requests also ask for a second room, in the other order of ids: no deadlock.
        requester: { email: `person${i}@contoso.fr` },
        start: '2026-12-01T09:00:00Z',
        end: '2026-12-01T10:00:00Z',
        items:
          i % 2 === 0
            ? [{ kind: 'place', id: room.id }]
            : [
                { kind: 'place', id: other.id },
                { kind: 'place', id: room.id },
              ],
      }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  const bodies = await Promise.all(responses.map((r) => r.json() as Promise<Json>));
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(49);
  const winner = bodies[statuses.indexOf(201)];
  for (const body of bodies.filter((_, i) => statuses[i] === 409)) {
    expect(body.error.code).toBe('LOAN_CONFLICT');
    expect(body.error.message).toContain(String(winner.number));
  }

  const list = await fetch(`${services[0].url}/api/hector/loans?placeId=${room.id}`, { headers });
  expect(((await list.json()) as Json).items).toHaveLength(1);
  // Nothing of the 49 refused requests was written: one loan, one outbox row, one new user.
  const db = services[0].database.db;
  const count = async (table: 'hector_loan' | 'hector_outbox' | 'hector_user') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  expect(await count('hector_loan')).toBe(1);
  expect(await count('hector_outbox')).toBe(1);
  expect(await count('hector_user')).toBe(1);
}, 60_000);
