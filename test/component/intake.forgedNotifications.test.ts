import request from 'supertest';
import {
  startEmulator,
  SAMPLE_CLIENT_ID,
  SAMPLE_CLIENT_SECRET,
  SAMPLE_DOMAIN,
  type RunningEmulator,
} from '../../emulator';
import type { IntakeTimeline } from '../../server/http/intakeTimeline';
import type { Service } from '../../server/main';
import { hashClientState } from '../../server/store/subscriptionDirectory';
import { ROOM_EVENT_QUEUE } from '../../server/sync/jobs';
import { startTestService, TEST_ADMIN_TOKEN } from '../support/service';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

// Flow 3 (E1): the webhook intake. Forged and malformed notifications change nothing and never
// get a 5xx; valid ones become one queued job per room event.
const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const SUB = 'aaaaaaaa-0000-4000-8000-000000000001';
const CLIENT_STATE = 'the-real-client-state';

let emulator: RunningEmulator;
let storage: TestStorage;
let service: Service;
const timelines: IntakeTimeline[] = [];

const notification = (over: Record<string, unknown> = {}) => ({
  subscriptionId: SUB,
  clientState: CLIENT_STATE,
  changeType: 'updated',
  resource: 'Users/0000/Events/AAMk-1',
  tenantId: '22222222-2222-4222-8222-222222222222',
  resourceData: { '@odata.type': '#Microsoft.Graph.Event', id: 'AAMk-1' },
  ...over,
});

const queued = () => service.queue.size(ROOM_EVENT_QUEUE);
const metric = async (outcome: string): Promise<number> => {
  const text = (await request(service.url).get('/metrics')).text;
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('hector_outlook_intake_notifications_total') &&
        l.includes(`outcome="${outcome}"`) &&
        l.includes('endpoint="graph"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
};

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, tls: false, seed: 'sample' });
  storage = await createTestStorage('intake');
  service = await startTestService(
    storage,
    {
      GRAPH_BASE_URL: emulator.graphUrl,
      AUTHORITY_URL: emulator.authorityUrl,
      PUBLIC_URL: 'http://127.0.0.1:0',
    },
    { workers: false, onIntakeTimeline: (t) => timelines.push(t) },
  ); // no inbound worker: the queued jobs stay where the test can count them
  // A subscription known to the service, as if created by it (no inbound worker runs here).
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

describe('webhook intake', () => {
  it.each([
    ['spaces', 'a token with spaces'],
    ['percent', '100% sûr'],
    ['script', '<script>alert(1)</script>'],
    ['unicode', 'Réunion — 会議 🚀'],
  ])('E1: the validation handshake answers a token with %s decoded, as text/plain', async (_name, token) => {
    for (const path of ['/webhooks/graph', '/webhooks/graph/lifecycle']) {
      const res = await request(service.url)
        .post(`${path}?validationToken=${encodeURIComponent(token)}`)
        .send('');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.text).toBe(token);
    }
  });

  it('E1: a valid notification becomes one queued job; its duplicates coalesce', async () => {
    const before = await queued();
    const body = { value: [notification(), notification(), notification({ changeType: 'created' })] };
    await request(service.url).post('/webhooks/graph').send(body).expect(202);
    await request(service.url).post('/webhooks/graph').send(body).expect(202);
    expect(await queued()).toBe(before + 1);
  });

  it('E1: each request reports where its time went (parse, check, commit, answer), and /metrics sums it', async () => {
    timelines.length = 0;
    await request(service.url)
      .post('/webhooks/graph')
      .send({ value: [notification({ resourceData: { id: 'AAMk-timeline' } })] })
      .expect(202);
    expect(timelines).toHaveLength(1);
    const [t] = timelines;
    expect(t).toMatchObject({ notifications: 1, jobs: 1 });
    // Cumulative marks, in order: the answer comes after the commit, which comes after the checks.
    expect(0 <= t.parsedMs && t.parsedMs <= t.checkedMs && t.checkedMs <= t.committedMs).toBe(true);
    expect(t.committedMs).toBeLessThanOrEqual(t.answeredMs);
    const text = (await request(service.url).get('/metrics')).text;
    for (const phase of ['parse', 'check', 'commit', 'answer']) {
      const line = text
        .split('\n')
        .find(
          (l) => l.startsWith('hector_outlook_intake_phase_seconds_count') && l.includes(`phase="${phase}"`),
        );
      expect(Number(line?.split(' ').pop())).toBeGreaterThanOrEqual(1);
    }
  });

  it('E1: forged clientState and unknown subscriptions are dropped, counted, and answered without a 5xx', async () => {
    const before = await queued();
    const forged = await metric('forged_client_state');
    const unknown = await metric('unknown_subscription');
    await request(service.url)
      .post('/webhooks/graph')
      .send({ value: [notification({ clientState: 'guess', resourceData: { id: 'X1' } })] })
      .expect(202);
    await request(service.url)
      .post('/webhooks/graph')
      .send({
        value: [
          notification({
            subscriptionId: 'bbbbbbbb-0000-4000-8000-000000000002',
            resourceData: { id: 'X2' },
          }),
        ],
      })
      .expect(202);
    await request(service.url)
      .post('/webhooks/graph')
      .send({ value: [notification({ clientState: undefined, resourceData: { id: 'X3' } })] })
      .expect(202);
    expect(await queued()).toBe(before);
    expect(await metric('forged_client_state')).toBe(forged + 2);
    expect(await metric('unknown_subscription')).toBe(unknown + 1);
  });

  it('E1: broken JSON → 400, wrong types → 400, with the error shape and nothing queued', async () => {
    const before = await queued();
    const broken = await request(service.url)
      .post('/webhooks/graph')
      .set('Content-Type', 'application/json')
      .send('{"value": [');
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('BAD_REQUEST');
    for (const body of [
      { value: 'nope' },
      { value: [{ subscriptionId: 42 }] },
      { nothing: true },
      [1, 2],
      { value: [notification({ clientState: 7 })] },
    ]) {
      const res = await request(service.url).post('/webhooks/graph').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(expect.objectContaining({ code: 'BAD_REQUEST' }));
    }
    const lifecycle = await request(service.url)
      .post('/webhooks/graph/lifecycle')
      .send({ value: [{ lifecycleEvent: 5 }] });
    expect(lifecycle.status).toBe(400);
    expect(await queued()).toBe(before);
  });

  it('E1: a 10 MB body → 413 with the error shape', async () => {
    const huge = JSON.stringify({ value: [notification({ padding: 'x'.repeat(10 * 1024 * 1024) })] });
    const res = await request(service.url)
      .post('/webhooks/graph')
      .set('Content-Type', 'application/json')
      .send(huge);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('E1: a lifecycle event with a forged clientState changes nothing', async () => {
    const res = await request(service.url)
      .post('/webhooks/graph/lifecycle')
      .send({
        value: [{ subscriptionId: SUB, clientState: 'guess', lifecycleEvent: 'subscriptionRemoved' }],
      });
    expect(res.status).toBe(202);
    const rows = await service.database.db.selectFrom('graph_subscriptions').select('id').execute();
    expect(rows.map((r) => r.id)).toEqual([SUB]);
  });

  it('E1: notifications from the emulator for a real subscription are queued (room event jobs)', async () => {
    await request(service.url)
      .put('/api/admin/integration')
      .set(auth)
      .send({
        primaryDomain: SAMPLE_DOMAIN,
        clientId: SAMPLE_CLIENT_ID,
        clientSecret: SAMPLE_CLIENT_SECRET,
        defaultUserEmail: 'camille.martin@universite.test',
        ignoredTags: 'non-hector',
        enabled: true,
      })
      .expect(200);
    const before = await queued();
    await emulator.control.person('camille.martin@universite.test').createMeeting({
      subject: 'Conseil',
      start: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      end: new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString(),
      rooms: ['salle-a201@universite.test'],
    });
    await emulator.control.flushNotifications();
    const deadline = Date.now() + 5000;
    while ((await queued()) <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await queued()).toBeGreaterThan(before);
  });
});
