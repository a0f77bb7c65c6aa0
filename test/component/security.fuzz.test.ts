import fc from 'fast-check';
import request from 'supertest';
import { SAMPLE_CLIENT_ID, SAMPLE_CLIENT_SECRET } from '../../emulator';
import { TEST_ADMIN_TOKEN } from '../support/service';
import { settled } from '../support/settled';
import { ADMIN, at, sampleSettings, startStack, type Stack } from '../support/stack';

// Issue 16: property-based fuzzing of every HTTP surface, over the real server (emulator, PGlite).
// Whatever arrives: never a 5xx, never a change from a refused request, never a secret echoed.
// Runs are bounded (numRuns) so the file stays under a minute; a failure prints its seed and the
// shrunk request, which `fc.assert(…, { seed, path })` replays.

const NEVER = '0 0 1 1 *'; // crons out of the way: nothing changes state unless a request does
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
const SECRETS = [TEST_ADMIN_TOKEN, SAMPLE_CLIENT_SECRET];

let stack: Stack;
let subscriptionIds: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    label: 'fuzz',
    service: {
      timings: {
        reconcileCron: NEVER,
        subscriptionMaintenanceCron: NEVER,
        statusTickCron: NEVER,
        journalRetentionCron: NEVER,
        outboundSweepCron: NEVER,
      },
    },
  });
  await settled(stack, { timeoutMs: 60_000 });
  subscriptionIds = stack.emulator.control.state().subscriptions.map((s) => String(s.id));
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** Everything a refused request must leave alone, as the APIs show it. */
async function snapshot(): Promise<string> {
  const get = async (path: string) => (await request(stack.service.url).get(path).set(ADMIN)).text;
  const journal = await request(stack.service.url).get('/api/admin/journal').query({ limit: '1' }).set(ADMIN);
  const [loans, places, stores, assets, settings] = await Promise.all([
    get('/api/hector/loans?limit=5000'),
    get('/api/hector/places'),
    get('/api/hector/stores'),
    get('/api/hector/assets'),
    get('/api/admin/integration'),
  ]);
  const jobs = await stack.service.database.executeSql(
    "SELECT count(*) AS n FROM pgboss.job WHERE name NOT LIKE '\\_\\_pgboss\\_\\_%'",
  );
  return JSON.stringify({
    loans,
    places,
    stores,
    assets,
    settings,
    journal: journal.text,
    jobs: jobs.rows[0].n,
  });
}

/** A request of any method to the service. */
const call = (method: string, path: string): request.Test => {
  const agent = request(stack.service.url);
  const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  return agent[verb](path);
};

/** Any JSON value as the body (superagent sends only objects itself). */
const withJson = (req: request.Test, body: unknown): request.Test =>
  req.set('Content-Type', 'application/json').send(JSON.stringify(body) ?? 'null');

const expectSafe = (res: request.Response, echoes: string[] = []): void => {
  expect(res.status).toBeLessThan(500);
  for (const secret of [...SECRETS, ...echoes.filter((e) => e.length >= 12)]) {
    expect(res.text).not.toContain(secret);
    expect(JSON.stringify(res.headers)).not.toContain(secret);
  }
};

// --- generators --------------------------------------------------------------------------------

const junkString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    '%zz',
    '../../etc/passwd',
    '\u0000',
    "'; DROP TABLE loans;--",
    '<script>x</script>',
    'a'.repeat(5000),
  ),
);
const junkJson = fc.jsonValue({ maxDepth: 4 });
const forgedToken = fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/);
const authorization = fc.oneof(
  fc.constant(undefined),
  forgedToken.map((t) => `Bearer ${t}`),
  fc.tuple(forgedToken, forgedToken, forgedToken).map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
  forgedToken.map((t) => `Basic ${t}`),
  // What an HTTP header can carry at all (Node refuses to send anything else).
  junkString.filter((v) => /^[\x20-\x7e]*$/.test(v)),
);
const ip = fc.ipV4();

/** A notification as Graph shapes it, with hostile values in any field (our real subscription ids too). */
const notificationOf = (subscriptionIds: string[]) =>
  fc.record(
    {
      subscriptionId: fc.oneof(fc.uuid(), fc.constantFrom(...subscriptionIds), junkString),
      clientState: fc.oneof(fc.constant(null), junkString, forgedToken),
      changeType: fc.oneof(fc.constantFrom('created', 'updated', 'deleted'), junkString),
      resource: fc.oneof(
        junkString,
        junkString.map((s) => `Users/0000/Events/${s}`),
        fc.constantFrom('Users/x/Events/%E0%A4%A', 'Users/x/Events/%'),
      ),
      resourceData: fc.oneof(fc.constant(null), fc.record({ id: junkString }), junkJson),
      lifecycleEvent: fc.oneof(
        fc.constantFrom('missed', 'reauthorizationRequired', 'subscriptionRemoved'),
        junkString,
      ),
      tenantId: fc.oneof(fc.uuid(), junkString),
    },
    { requiredKeys: [] },
  );
const notificationBody = (subscriptionIds: string[]) =>
  fc.oneof(
    fc
      .array(notificationOf(subscriptionIds), { minLength: 1, maxLength: 8 })
      .map((value) => JSON.stringify({ value })),
    junkJson.map((v) => JSON.stringify(v)),
    junkString,
  );

// --- properties --------------------------------------------------------------------------------

describe('issue 16: fuzzing every surface (fast-check)', () => {
  it('E1: webhooks and lifecycle — any body, type, encoding or query: never a 5xx, nothing queued or changed', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/webhooks/graph', '/webhooks/graph/lifecycle', '/webhooks/nope'),
        notificationBody(subscriptionIds),
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'application/json; charset=latin1',
          'text/plain',
          undefined,
        ),
        fc.constantFrom(undefined, 'gzip', 'br', 'identity', 'x'),
        fc.option(
          fc.oneof(
            junkString,
            fc.constantFrom('validationToken=', 'validationToken=%zz', 'tenant=1&tenant=2'),
          ),
          { nil: undefined },
        ),
        async (path, body, type, encoding, query) => {
          const req = request(stack.service.url).post(query ? `${path}?${encodeURI(query)}` : path);
          if (type) void req.set('Content-Type', type);
          if (encoding) void req.set('Content-Encoding', encoding);
          const res = await req.send(Buffer.from(body));
          expectSafe(res);
        },
      ),
      { numRuns: RUNS * 2 },
    );
    await settled(stack);
    expect(await snapshot()).toBe(before);
  }, 60_000);

  it('A1: the add-in API — forged or absent tokens, any query: 401 (or 4xx), never a 5xx, the token never echoed', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/api/addin/loan',
          '/api/addin/loan/assets',
          '/api/addin/availability',
          '/api/addin/x',
        ),
        fc.dictionary(
          fc.constantFrom('itemId', 'eventId', 'iCalUId', 'start', 'end', 'rooms', 'x'),
          junkString,
          { maxKeys: 3 },
        ),
        authorization,
        fc.constantFrom('GET', 'POST', 'PUT'),
        junkJson,
        async (path, query, auth, method, body) => {
          const req = call(method, path).query(query);
          if (auth !== undefined) void req.set('Authorization', auth);
          const res = await (method === 'GET' ? req : withJson(req, body));
          expectSafe(res, auth ? [auth.replace(/^\w+\s+/, '')] : []);
          expect(res.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await snapshot()).toBe(before);
  }, 60_000);

  it('S1/B6: admin and Hector APIs without the admin token — 401/404/429 only, never a 2xx or 5xx, nothing changed', async () => {
    const before = await snapshot();
    const paths = [
      '/api/admin/integration',
      '/api/admin/integration/test',
      '/api/admin/integration/sync',
      '/api/admin/integration/reconcile',
      '/api/admin/status',
      '/api/admin/reconcile',
      '/api/admin/dead-letters',
      '/api/admin/journal',
      '/api/hector/loans',
      '/api/hector/places',
      '/api/hector/stores',
      '/api/hector/assets',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        authorization,
        junkJson,
        ip,
        async (path, method, auth, body, from) => {
          const req = call(method, path).set('X-Forwarded-For', from);
          if (auth !== undefined) void req.set('Authorization', auth);
          const res = await (method === 'GET' ? req : withJson(req, body));
          expectSafe(res, auth ? [auth.replace(/^\w+\s+/, '')] : []);
          expect([401, 404, 429]).toContain(res.status);
        },
      ),
      { numRuns: RUNS },
    );
    expect(await snapshot()).toBe(before);
  }, 60_000);

  it('S1: the integration settings with the admin token — a broken field or wrong credentials: 4xx, nothing saved, secrets not echoed', async () => {
    const broken = fc.oneof(
      fc.record({ primaryDomain: junkString.filter((s) => !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(s.trim())) }),
      fc.record({ clientId: fc.uuid() }), // a GUID Entra ID does not know
      fc.record({ clientId: junkString }),
      fc.record({ clientSecret: forgedToken }), // the right app, a wrong secret
      fc.record({ defaultUserEmail: junkString.filter((s) => !s.includes('@')) }),
      fc.record({ enabled: fc.oneof(fc.string(), fc.integer()) as fc.Arbitrary<never> }),
      fc.record({ secretExpiresAt: junkString }),
    );
    await fc.assert(
      fc.asyncProperty(broken, fc.constantFrom('PUT /', 'POST /test'), async (over, route) => {
        const before = await snapshot();
        const [method, sub] = route.split(' ');
        const body = { ...sampleSettings(), ...over };
        const url = `/api/admin/integration${sub === '/' ? '' : sub}`;
        const res = await (
          method === 'PUT' ? request(stack.service.url).put(url) : request(stack.service.url).post(url)
        )
          .set(ADMIN)
          .send(body);
        expectSafe(res, [String((over as { clientSecret?: string }).clientSecret ?? '')]);
        if (method === 'PUT') {
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(await snapshot()).toBe(before);
        } else {
          // A connection test saves nothing, whatever it finds.
          expect(await snapshot()).toBe(before);
        }
        expect(body.clientId === SAMPLE_CLIENT_ID || res.status >= 400 || method === 'POST').toBe(true);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  }, 60_000);

  it('OC2/V2: the Hector API with the admin token — invalid loans, places, stores, assets and queries: 4xx, nothing changed', async () => {
    const loans = await stack.loans();
    const loanId = fc.oneof(
      fc.constantFrom(...loans.map((l) => String(l.id)), '0', '-1', '999999999'),
      junkString,
    );
    const instant = fc.date({
      min: new Date('2000-01-01'),
      max: new Date('2100-01-01'),
      noInvalidDate: true,
    });
    // End never after start (V2): no such loan can be created, whatever else it holds.
    const invalidLoan = fc
      .tuple(
        instant,
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        junkJson,
        fc.array(fc.oneof(fc.integer(), junkString), { maxLength: 3 }),
      )
      .map(([start, back, extra, items]) => ({
        start: start.toISOString(),
        end: new Date(start.getTime() - back).toISOString(),
        items: items.map((id) => ({ placeId: id })),
        requesterEmail: 'camille.martin@universite.test',
        extra,
      }));
    const request_ = fc.oneof(
      fc.record({
        method: fc.constant('POST'),
        path: fc.constant('/api/hector/loans'),
        body: fc.oneof(invalidLoan, junkJson),
      }),
      fc.record({
        method: fc.constant('PATCH'),
        path: loanId.map((id) => `/api/hector/loans/${encodeURIComponent(id)}`),
        body: fc.oneof(
          fc.constant({ start: at(3, '10:00'), end: at(3, '09:00') }),
          junkJson.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
        ),
      }),
      fc.record({
        method: fc.constant('POST'),
        path: fc
          .tuple(loanId, fc.constantFrom('cancel', 'refuse', 'check-out', 'return', 'items/x/cancel', 'nope'))
          .map(([id, action]) => `/api/hector/loans/${encodeURIComponent(id)}x/${action}`),
        body: junkJson,
      }),
      fc.record({
        method: fc.constantFrom('POST', 'PATCH'),
        path: fc.constantFrom(
          '/api/hector/places',
          '/api/hector/stores',
          '/api/hector/assets',
          '/api/hector/places/0',
          '/api/hector/stores/zz',
        ),
        body: fc.oneof(
          fc.array(junkJson),
          fc.string(),
          fc.integer(),
          fc.record({ name: fc.oneof(fc.integer(), fc.constant(null), fc.constant('')) }),
        ),
      }),
      fc.record({
        method: fc.constant('GET'),
        path: fc
          .dictionary(
            fc.constantFrom('limit', 'offset', 'status', 'from', 'to', 'placeId', 'storeId', 'cursor'),
            junkString,
            { maxKeys: 3 },
          )
          .map((q) => `/api/hector/loans?${new URLSearchParams(q).toString()}`),
        body: fc.constant(null),
      }),
      fc.record({
        method: fc.constant('GET'),
        path: fc
          .dictionary(
            fc.constantFrom('limit', 'before', 'kind', 'room', 'loanId', 'iCalUId', 'level', 'q'),
            junkString,
            { maxKeys: 3 },
          )
          .map((q) => `/api/admin/journal?${new URLSearchParams(q).toString()}`),
        body: fc.constant(null),
      }),
    );
    await fc.assert(
      fc.asyncProperty(request_, async ({ method, path, body }) => {
        const before = await snapshot();
        const verb = method.toLowerCase() as 'get' | 'post' | 'patch';
        const req = request(stack.service.url)[verb](path).set(ADMIN);
        const res = await (method === 'GET' ? req : withJson(req, body));
        expectSafe(res);
        if (method !== 'GET') expect(res.status).toBeGreaterThanOrEqual(400);
        if (res.status >= 400 || method === 'GET') expect(await snapshot()).toBe(before);
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});
