import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { KyselyPlugin } from 'kysely';
import request from 'supertest';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { createLogger } from '../../server/logger';
import type { Service } from '../../server/main';
import { pgliteDir } from '../../server/store/pgliteDatabase';
import { SecretBox } from '../../server/store/secretBox';
import { hashClientState, SubscriptionDirectory } from '../../server/store/subscriptionDirectory';
import { LIFECYCLE_QUEUE, ROOM_EVENT_QUEUE } from '../../server/sync/jobs';
import { startTestService, TEST_ADMIN_TOKEN } from '../support/service';
import { createTestStorage, onPostgres, type TestStorage } from '../support/testDatabase';

// Issue 16: the review's findings, each probed through the real server over HTTP (PGlite).
const SUB = 'aaaaaaaa-0000-4000-8000-0000000000a1';
const CLIENT_STATE = 'the-review-client-state';
const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

let emulator: RunningEmulator;
let storage: TestStorage;
let service: Service;
let logs = '';
let businessNow = Date.now();
const logLines = (): Array<Record<string, unknown>> =>
  logs
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const notification = (over: Record<string, unknown> = {}) => ({
  subscriptionId: SUB,
  clientState: CLIENT_STATE,
  changeType: 'updated',
  resource: 'Users/0000/Events/AAMk-1',
  resourceData: { id: 'AAMk-1' },
  ...over,
});
const queued = async () =>
  (await service.queue.size(ROOM_EVENT_QUEUE)) + (await service.queue.size(LIFECYCLE_QUEUE));
const unknownId = (i: number) => `ffffffff-0000-4000-8000-${String(i).padStart(12, '0')}`;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, tls: false, seed: 'sample' });
  storage = await createTestStorage('review');
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs += chunk.toString();
      done();
    },
  });
  service = await startTestService(
    storage,
    {
      GRAPH_BASE_URL: emulator.graphUrl,
      AUTHORITY_URL: emulator.authorityUrl,
      PUBLIC_URL: 'http://127.0.0.1:0',
    },
    { workers: false, logger: createLogger('info', sink), now: () => new Date(businessNow) },
  );
  await service.database.db
    .insertInto('graph_subscriptions')
    .values({
      id: SUB,
      room_email: 'salle-a001@universite.test',
      resource: '/users/salle-a001@universite.test/events',
      client_state_hash: hashClientState(CLIENT_STATE),
      expires_at: new Date(Date.now() + 3 * 86_400_000),
      confirmed_at: new Date(),
      created_at: new Date(),
    })
    .execute();
}, 60_000);

afterAll(async () => {
  await service?.close();
  await emulator?.close();
  await storage?.drop();
});

describe('issue 16: unknown subscription ids cost one read, and many are refused', () => {
  /** The directory over the service's own database, counting its queries. */
  const countingDirectory = () => {
    const counter = { queries: 0 };
    const plugin: KyselyPlugin = {
      transformQuery: (args) => {
        counter.queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    return { directory: new SubscriptionDirectory(service.database.db.withPlugin(plugin)), counter };
  };

  it('E1: the unknown ids of one request are looked up in one query, not one per id', async () => {
    const { directory, counter } = countingDirectory();
    const ids = Array.from({ length: 50 }, (_, i) => unknownId(1000 + i));
    const verdicts = await directory.checkAll([
      ...ids.map((subscriptionId) => ({ subscriptionId })),
      { subscriptionId: SUB, clientState: CLIENT_STATE },
    ]);
    expect(counter.queries).toBe(1);
    expect(verdicts.slice(0, 50).every((v) => v === 'unknown')).toBe(true);
    expect(verdicts[50]).toEqual({ roomEmail: 'salle-a001@universite.test' });
    // Remembered as unknown: asking again reads nothing.
    await directory.checkAll(ids.map((subscriptionId) => ({ subscriptionId })));
    expect(counter.queries).toBe(1);
  });

  it('E1: a flood of concurrent requests with fresh unknown ids shares reads (one in flight at a time)', async () => {
    const { directory, counter } = countingDirectory();
    await Promise.all(
      Array.from({ length: 40 }, (_, r) =>
        directory.checkAll([
          { subscriptionId: unknownId(5000 + r) },
          { subscriptionId: unknownId(6000 + r) },
        ]),
      ),
    );
    // The first read starts alone; everything that arrived meanwhile is read in the next one.
    expect(counter.queries).toBeLessThanOrEqual(2);
  });

  it('E1: a request naming more than 3 unknown subscriptions → 400, nothing queued, a log line', async () => {
    const before = await queued();
    const value = [1, 2, 3, 4].map((i) => notification({ subscriptionId: unknownId(i) }));
    const res = await request(service.url)
      .post('/webhooks/graph')
      .send({ value: [...value, notification()] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(await queued()).toBe(before);
    expect(logLines()).toContainEqual(
      expect.objectContaining({ event: 'webhook.refused', status: 400, reason: 'unknown_subscriptions' }),
    );
    // Three unknown ones beside a real one: the real one is queued as before.
    const few = [1, 2, 3].map((i) => notification({ subscriptionId: unknownId(i) }));
    await request(service.url)
      .post('/webhooks/graph')
      .send({ value: [...few, notification()] })
      .expect(202);
    expect(await queued()).toBe(before + 1);
  });

  it('E1: a flood of anonymous unknown-id requests leaves /readyz and real notifications answering', async () => {
    const flood = Array.from({ length: 60 }, (_, r) =>
      request(service.url)
        .post('/webhooks/graph')
        .send({
          value: [1, 2, 3, 4, 5].map((i) => notification({ subscriptionId: unknownId(r * 10 + i + 20_000) })),
        }),
    );
    const [ready, real, ...answers] = await Promise.all([
      request(service.url).get('/readyz'),
      request(service.url)
        .post('/webhooks/graph')
        .send({ value: [notification({ resourceData: { id: 'AAMk-flood' } })] }),
      ...flood,
    ]);
    expect(ready.status).toBe(200);
    expect(real.status).toBe(202);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([400]));
  });
});

describe('issue 16: every malformed notification → 4xx and a log line (the webhooks sit before the request logger)', () => {
  const refusedWith = (reason: string) =>
    expect(logLines()).toContainEqual(expect.objectContaining({ event: 'webhook.refused', reason }));

  it('E1: a bad %-escape in `resource` → 400 (was a 500), nothing queued', async () => {
    const before = await queued();
    const res = await request(service.url)
      .post('/webhooks/graph')
      .send({ value: [notification({ resource: 'Users/0000/Events/AAMk%E0%A4%A', resourceData: null })] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(await queued()).toBe(before);
    refusedWith('bad_escape');
  });

  it('E1: a body sent with Content-Encoding: gzip → 415 (was a 500), on both endpoints', async () => {
    for (const endpoint of ['/webhooks/graph', '/webhooks/graph/lifecycle']) {
      const res = await request(service.url)
        .post(endpoint)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send(Buffer.from('not really gzip'));
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    refusedWith('content_encoding');
  });

  it('E1: a wrong content type (text/plain, form, none) → 415 with a log line', async () => {
    const body = JSON.stringify({ value: [notification()] });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const req = request(service.url).post('/webhooks/graph');
      if (type) void req.set('Content-Type', type);
      const res = await req.send(Buffer.from(body));
      expect(res.status).toBe(415);
    }
    refusedWith('content_type');
  });

  it('E1: broken JSON is logged too (body-parser refusals)', async () => {
    await request(service.url)
      .post('/webhooks/graph')
      .set('Content-Type', 'application/json')
      .send('{"value": [')
      .expect(400);
    refusedWith('entity.parse.failed');
  });
});

describe('issue 16: failed admin authentications are limited per IP', () => {
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });

  it('ten wrong tokens from one address → then 429 with Retry-After, even with the right token; other addresses unaffected; the window passes with the clock', async () => {
    for (let i = 0; i < 10; i++) {
      await request(service.url)
        .get('/api/admin/journal')
        .set({ Authorization: `Bearer wrong-${i}`, ...from('198.51.100.7') })
        .expect(401);
    }
    const locked = await request(service.url)
      .get('/api/hector/loans')
      .set({ Authorization: 'Bearer wrong-again', ...from('198.51.100.7') });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    await request(service.url)
      .get('/api/admin/journal')
      .set({ ...auth, ...from('198.51.100.7') })
      .expect(429);
    await request(service.url)
      .get('/api/admin/journal')
      .set({ ...auth, ...from('198.51.100.8') })
      .expect(200);
    expect(logLines()).toContainEqual(
      expect.objectContaining({ event: 'admin.auth_locked', ip: '198.51.100.7' }),
    );
    businessNow += 15 * 60_000 + 1000;
    await request(service.url)
      .get('/api/admin/journal')
      .set({ ...auth, ...from('198.51.100.7') })
      .expect(200);
  });
});

describe('issue 16: /readyz, headers and secrets', () => {
  it('the admin page: CSP default-src self and frame-ancestors none, X-Frame-Options DENY', async () => {
    const res = await request(service.url).get('/admin/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/(^|; )default-src 'self'(;|$)/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('A1: the task pane: Office.js CDN allowed, framed by Outlook hosts only, no X-Frame-Options', async () => {
    const res = await request(service.url).get('/addin/taskpane.html');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' https:\/\/appsforoffice\.microsoft\.com/);
    const ancestors = /frame-ancestors ([^;]*)/.exec(csp)![1].split(' ');
    expect(ancestors).toEqual(
      expect.arrayContaining(['https://outlook.office.com', 'https://outlook.office365.com']),
    );
    expect(
      ancestors.every((a) =>
        /^https:\/\/([\w*-]+\.)*(office\.com|office365\.com|live\.com|cloud\.microsoft)$/.test(a),
      ),
    ).toBe(true);
    // The authority it signs in with (here the emulator) is reachable from it.
    expect(csp).toContain(
      `connect-src 'self' https://login.microsoftonline.com ${new URL(emulator.authorityUrl).origin}`,
    );
    expect(res.headers['x-frame-options']).toBeUndefined();
  });
});

describe('issue 16: DATA_DIR private, the generated admin token named by its path, secrets resealed', () => {
  it('DATA_DIR 0700; database files, secret key and admin token 0600 (existing ones tightened); the token is not printed', async () => {
    if (onPostgres()) return; // PGlite's files only
    const own = await createTestStorage('private');
    // As an older version left it: world-readable files.
    const db = pgliteDir(own.dataDir);
    fs.mkdirSync(db, { recursive: true });
    fs.chmodSync(own.dataDir, 0o755);
    const stray = path.join(db, 'postgresql.conf');
    if (fs.existsSync(stray)) fs.chmodSync(stray, 0o644);
    const printed: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      printed.push(String(chunk));
      return true;
    });
    let svc: Service | undefined;
    try {
      svc = await startTestService(own, { ADMIN_TOKEN: '' }, { workers: false });
    } finally {
      write.mockRestore();
    }
    try {
      const mode = (p: string) => fs.statSync(p).mode & 0o777;
      expect(mode(own.dataDir)).toBe(0o700);
      expect(mode(path.join(own.dataDir, 'secret.key'))).toBe(0o600);
      const tokenFile = path.join(own.dataDir, 'admin-token');
      expect(mode(tokenFile)).toBe(0o600);
      const loose: string[] = [];
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) walk(full);
          if ((fs.lstatSync(full).mode & 0o077) !== 0 && !e.isSymbolicLink()) loose.push(full);
        }
      };
      walk(own.dataDir);
      expect(loose).toEqual([]);
      const token = fs.readFileSync(tokenFile, 'utf8').trim();
      expect(token.length).toBeGreaterThanOrEqual(32);
      const out = printed.join('');
      expect(out).toContain(tokenFile);
      expect(out).not.toContain(token);
      expect(svc.adminToken).toBe(token);
    } finally {
      await svc?.close();
      await own.drop();
    }
  });

  it('S1: a client secret sealed in the old format (no AAD) still opens and is resealed as v2 at start', async () => {
    const own = await createTestStorage('reseal');
    const key = randomBytes(32);
    const legacy = (() => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update('the-old-secret', 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), data]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join(':');
    })();
    const env = { SECRET_KEY: key.toString('hex') };
    let svc = await startTestService(own, env, { workers: false });
    try {
      await svc.database.db
        .insertInto('integration_settings')
        .values({
          id: 1,
          primary_domain: 'universite.test',
          tenant_id: '22222222-2222-4222-8222-222222222222',
          authority_metadata: JSON.stringify({}),
          client_id: '11111111-1111-4111-8111-111111111111',
          client_secret_encrypted: legacy,
          default_store_id: null,
          default_user_email: null,
          ignored_tags: '',
          enabled: false,
          connection: null,
          updated_at: new Date(),
        })
        .execute();
      await svc.close();
      svc = await startTestService(own, env, { workers: false });
      const row = await svc.database.db
        .selectFrom('integration_settings')
        .select('client_secret_encrypted')
        .executeTakeFirstOrThrow();
      expect(row.client_secret_encrypted).toMatch(/^v2:/);
      expect(SecretBox.fromConfig(key.toString('hex'), own.dataDir).open(row.client_secret_encrypted)).toBe(
        'the-old-secret',
      );
      // The admin still sees the secret's hint: nothing saved was lost.
      const saved = await request(svc.url).get('/api/admin/integration').set(auth);
      expect(saved.status).toBe(200);
      expect(JSON.stringify(saved.body)).not.toContain('the-old-secret');
    } finally {
      await svc.close();
      await own.drop();
    }
  });
});
