import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { goodWebhook, graphClientFor, inDays, startReceiver, type Receiver } from './support';

const ROOM = 'salle-a102@universite.test';

describe('subscriptions and change notifications (GRAPH-FACTS "Change notifications")', () => {
  let emu: RunningEmulator;
  let graph: Client;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    // http mode: loopback http webhooks are accepted, as documented.
    emu = await startEmulator({ tls: false, faults: { validationTimeoutMs: 300, retryBackoffMs: 10 } });
    graph = await graphClientFor(emu);
  });
  afterAll(async () => {
    await emu.close();
    await Promise.all(receivers.map((r) => r.close()));
  });
  afterEach(async () => {
    await emu.control.flushNotifications();
    emu.control.reset();
    emu.control.resetStats();
    emu.control.resetFaults();
    emu.control.setFaults({ validationTimeoutMs: 300, retryBackoffMs: 10 });
  });

  const receiver = async (...args: Parameters<typeof startReceiver>): Promise<Receiver> => {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  };

  const subscribe = (url: string): Promise<MSGraph.Subscription> =>
    graph.api('/subscriptions').post({
      changeType: 'created,updated,deleted',
      notificationUrl: `${url}/webhooks/graph?tenant=t1`,
      lifecycleNotificationUrl: `${url}/webhooks/graph/lifecycle`,
      resource: `/users/${ROOM}/events`,
      expirationDateTime: new Date(emu.control.clock.nowMs() + 4000 * 60_000).toISOString(),
      clientState: 'secret-state',
    });

  it('refuses a subscription when the handshake answers the wrong body', async () => {
    const r = await receiver((_req, _b, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('nope'),
    );
    await expect(subscribe(r.url)).rejects.toMatchObject({ statusCode: 400, code: 'ValidationError' });
  });

  it('refuses a subscription when the handshake answers the wrong content type', async () => {
    const r = await receiver((req, _b, res) => {
      const token = new URL(req.url!, 'http://x').searchParams.get('validationToken') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' }).end(token);
    });
    await expect(subscribe(r.url)).rejects.toMatchObject({ statusCode: 400, code: 'ValidationError' });
  });

  it('refuses a subscription when the handshake is too slow (10 s in Graph, 300 ms here)', async () => {
    const r = await receiver((req, body, res) => setTimeout(() => goodWebhook(req, body, res), 600));
    await expect(subscribe(r.url)).rejects.toMatchObject({ statusCode: 400, code: 'ValidationError' });
  });

  it('refuses an expiration beyond 4,230 minutes', async () => {
    const r = await receiver(goodWebhook);
    await expect(
      graph.api('/subscriptions').post({
        changeType: 'updated',
        notificationUrl: `${r.url}/n`,
        resource: `/users/${ROOM}/events`,
        expirationDateTime: new Date(emu.control.clock.nowMs() + 4231 * 60_000).toISOString(),
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('creates after validating both URLs, delivers batched notifications, renews, expires on the clock', async () => {
    const r = await receiver(goodWebhook);
    const sub = await subscribe(r.url);
    expect(r.received.filter((x) => x.query.has('validationToken')).map((x) => x.path)).toEqual([
      '/webhooks/graph',
      '/webhooks/graph/lifecycle',
    ]);
    const meeting = emu.control.person('hugo.bernard@universite.test').createMeeting({
      subject: 'Cours',
      start: inDays(1, 8, emu),
      end: inDays(1, 9, emu),
      rooms: [ROOM],
    });
    await emu.control.flushNotifications();
    const posts = r.received.filter((x) => !x.query.has('validationToken') && x.path === '/webhooks/graph');
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(posts[0].query.get('tenant')).toBe('t1');
    const n = JSON.parse(posts[0].body).value[0];
    const roomCopy = emu.control.findEventsByICalUId(meeting.iCalUId!).find((e) => e.mailbox === ROOM)!.event;
    expect(n).toMatchObject({
      subscriptionId: sub.id,
      clientState: 'secret-state',
      changeType: 'created',
      tenantId: emu.tenantId,
      resourceData: { '@odata.type': '#Microsoft.Graph.Event', id: roomCopy.id },
    });
    expect(n.resource).toMatch(/^Users\/[0-9a-f-]{36}\/Events\//);

    const renewed = await graph
      .api(`/subscriptions/${sub.id}`)
      .patch({ expirationDateTime: new Date(emu.control.clock.nowMs() + 60 * 60_000).toISOString() });
    expect(renewed.id).toBe(sub.id);
    emu.control.clock.advance(61 * 60_000);
    const list = await graph.api('/subscriptions').get();
    expect(list.value).toHaveLength(0);
  });

  it('delivers duplicates and reorders when asked, and records deliveries', async () => {
    const r = await receiver(goodWebhook);
    await subscribe(r.url);
    emu.control.setFaults({
      notifications: {
        duplicates: { min: 2, max: 3 },
        reorderWindow: 10,
        delayMs: 0,
        dropRate: 0,
        maxBatch: 50,
      },
    });
    const person = emu.control.person('lea.dubois@universite.test');
    for (let i = 0; i < 4; i++) {
      person.createMeeting({
        subject: `M${i}`,
        start: inDays(5, 8 + i, emu),
        end: inDays(5, 9 + i, emu),
        rooms: [ROOM],
      });
    }
    await emu.control.flushNotifications();
    const items = r.received
      .filter((x) => x.path === '/webhooks/graph' && !x.query.has('validationToken'))
      .flatMap(
        (x) => JSON.parse(x.body).value as Array<{ resourceData: { id: string }; changeType: string }>,
      );
    const created = items.filter((i) => i.changeType === 'created');
    const ids = created.map((i) => i.resourceData.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids.length).toBeGreaterThanOrEqual(8);
    const firstSeen = [...new Set(ids)];
    // Several POSTs (one per tick) each shuffled: at least the flattened order is not the pure repetition order.
    expect(ids.join()).not.toBe(firstSeen.flatMap((id) => ids.filter((x) => x === id)).join());
    expect(emu.control.deliveries().every((d) => d.status === 202)).toBe(true);
  });

  it('retries a failed delivery, and sends lifecycle notifications on demand', async () => {
    let failures = 1;
    const r = await receiver((req, body, res) => {
      if (
        !new URL(req.url!, 'http://x').searchParams.has('validationToken') &&
        req.url!.startsWith('/webhooks/graph?') &&
        failures-- > 0
      ) {
        res.writeHead(503).end();
        return;
      }
      goodWebhook(req, body, res);
    });
    const sub = await subscribe(r.url);
    emu.control
      .person('lea.dubois@universite.test')
      .createMeeting({ subject: 'R', start: inDays(6, 8, emu), end: inDays(6, 9, emu), rooms: [ROOM] });
    await emu.control.flushNotifications();
    const attempts = emu.control.deliveries().filter((d) => d.kind === 'change' && d.url.startsWith(r.url));
    expect(attempts.map((d) => d.status)).toEqual([503, 202]);

    const removed = await emu.control.sendLifecycle(sub.id!, 'subscriptionRemoved');
    expect(removed?.status).toBe(202);
    const lifecycle = r.received.find(
      (x) => x.path === '/webhooks/graph/lifecycle' && !x.query.has('validationToken'),
    );
    expect(JSON.parse(lifecycle!.body).value[0]).toMatchObject({
      subscriptionId: sub.id,
      lifecycleEvent: 'subscriptionRemoved',
      clientState: 'secret-state',
    });
    expect(emu.control.subscriptions()).toHaveLength(0);
  });
});
