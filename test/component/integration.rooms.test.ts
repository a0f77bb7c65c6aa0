import request from 'supertest';
import {
  startEmulator,
  SAMPLE_CLIENT_ID,
  SAMPLE_CLIENT_SECRET,
  SAMPLE_DOMAIN,
  SAMPLE_PERMISSIONS,
  type RunningEmulator,
} from '../../emulator';
import type { Service } from '../../server/main';
import { startTestService, TEST_ADMIN_TOKEN } from '../support/service';
import { createTestStorage, type TestStorage } from '../support/testDatabase';

// Settings (S1–S3), room import (R1, R3) and subscriptions (E1) against the emulator over http.
const auth = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const DAY = 24 * 60 * 60_000;

let emulator: RunningEmulator;
let storage: TestStorage;
let service: Service;
let offsetMs = 0; // the service's clock = real time + offset, moved with the emulator's

const settings = (over: Record<string, unknown> = {}) => ({
  primaryDomain: SAMPLE_DOMAIN,
  clientId: SAMPLE_CLIENT_ID,
  clientSecret: SAMPLE_CLIENT_SECRET,
  defaultStoreId: null,
  defaultUserEmail: 'camille.martin@universite.test',
  ignoredTags: ' Non-Hector , autre',
  enabled: true,
  ...over,
});

interface PlaceView {
  name: string;
  email: string | null;
  address: string | null;
  active: boolean;
  synced: boolean;
}

const places = async (): Promise<PlaceView[]> => {
  const res = await request(service.url).get('/api/hector/places').set(auth).expect(200);
  const body = res.body as { items: PlaceView[] };
  return body.items.filter((p) => p.synced);
};

const subscriptions = async (): Promise<Array<{ id: string; roomEmail: string; expiresAt: string }>> =>
  (await request(service.url).get('/api/admin/integration/subscriptions').set(auth).expect(200)).body
    .subscriptions;

const syncNow = () => request(service.url).post('/api/admin/integration/sync').set(auth).expect(200);

const liveOnEmulator = (): Set<string> =>
  new Set(emulator.control.state().subscriptions.map((s) => String(s.id)));

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, tls: false, seed: 'sample' });
  storage = await createTestStorage('integration-rooms');
  service = await startTestService(
    storage,
    {
      GRAPH_BASE_URL: emulator.graphUrl,
      AUTHORITY_URL: emulator.authorityUrl,
      PUBLIC_URL: 'http://127.0.0.1:0',
    },
    { now: () => new Date(Date.now() + offsetMs) },
  );
}, 60_000);

afterAll(async () => {
  await service?.close();
  await emulator?.close();
  await storage?.drop();
});

describe('integration settings, room import and subscriptions', () => {
  it('S1: refuses a wrong client secret with a clear 4xx and saves nothing', async () => {
    const res = await request(service.url)
      .put('/api/admin/integration')
      .set(auth)
      .send(settings({ clientSecret: 'wrong' }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toBe('INVALID_CLIENT_SECRET');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
    const get = await request(service.url).get('/api/admin/integration').set(auth).expect(200);
    expect(get.body.configured).toBe(false);
  });

  it('S1: requires the admin token', async () => {
    await request(service.url).get('/api/admin/integration').expect(401);
  });

  it('S1 S3 R1 R3: saving imports every room but the tagged one, with name, e-mail and address', async () => {
    const res = await request(service.url)
      .put('/api/admin/integration')
      .set(auth)
      .send(settings())
      .expect(200);
    expect(res.body.clientSecretSet).toBe(true);
    expect(res.body).not.toHaveProperty('clientSecret');
    expect(JSON.stringify(res.body)).not.toContain(SAMPLE_CLIENT_SECRET);
    expect(res.body.tenantId).toBe(emulator.tenantId);
    expect(res.body.connection.missingPermissions).toEqual([]);

    const imported = await places();
    const emails = imported.map((p) => p.email).sort();
    expect(emails).toHaveLength(11);
    expect(emails).not.toContain('salle-b103@universite.test');
    const a101 = imported.find((p) => p.email === 'salle-a101@universite.test')!;
    expect(a101.name).toBe('Salle A-101');
    expect(a101.address).toContain('12 rue des Écoles');
    expect(a101.active).toBe(true);

    const get = await request(service.url).get('/api/admin/integration').set(auth).expect(200);
    expect(get.body.clientSecretSet).toBe(true);
    expect(get.body.ignoredTags).toBe(' Non-Hector , autre');
    expect(JSON.stringify(get.body)).not.toContain(SAMPLE_CLIENT_SECRET);
  });

  it('E1: each active room has exactly one live subscription', async () => {
    const subs = await subscriptions();
    expect(subs).toHaveLength(11);
    expect(new Set(subs.map((s) => s.roomEmail)).size).toBe(11);
    const live = liveOnEmulator();
    for (const s of subs) expect(live.has(s.id)).toBe(true);
    expect(live.size).toBe(11);
  });

  it('R1: a room renamed in Exchange is renamed at the next import', async () => {
    emulator.control.updateRoom('salle-a101@universite.test', { displayName: 'Salle A-101 (Amphi)' });
    await syncNow();
    const a101 = (await places()).find((p) => p.email === 'salle-a101@universite.test')!;
    expect(a101.name).toBe('Salle A-101 (Amphi)');
  });

  it('R1 R3: a room removed or newly tagged is deactivated, never deleted, and loses its subscription', async () => {
    const a102 = (
      (await request(service.url).get('/api/hector/places').set(auth).expect(200)).body.items as Array<{
        id: string;
        email: string;
      }>
    ).find((p) => p.email === 'salle-a102@universite.test')!;
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const loan = (
      await request(service.url)
        .post('/api/hector/loans')
        .set(auth)
        .send({
          requester: { email: 'lea.dubois@universite.test', name: 'Léa Dubois' },
          start: `${tomorrow}T09:00:00Z`,
          end: `${tomorrow}T10:00:00Z`,
          items: [{ kind: 'place', id: a102.id }],
        })
        .expect(201)
    ).body as { id: string; status: string };
    emulator.control.updateRoom('salle-a102@universite.test', { remove: true });
    emulator.control.updateRoom('salle-a103@universite.test', { tags: ['NON-HECTOR'] });
    await syncNow();
    const all = await places();
    expect(all.find((p) => p.email === 'salle-a102@universite.test')?.active).toBe(false);
    expect(all.find((p) => p.email === 'salle-a103@universite.test')?.active).toBe(false);
    const kept = (await request(service.url).get(`/api/hector/loans/${loan.id}`).set(auth).expect(200)).body;
    expect(kept.status).toBe(loan.status);
    const subs = await subscriptions();
    expect(subs.map((s) => s.roomEmail)).not.toContain('salle-a102@universite.test');
    expect(subs.map((s) => s.roomEmail)).not.toContain('salle-a103@universite.test');
    expect(subs).toHaveLength(9);
    expect(liveOnEmulator().size).toBe(9);
  });

  it('E1: advancing both clocks by 7 days in steps keeps every subscription alive by renewal alone', async () => {
    const before = (await subscriptions()).map((s) => s.id).sort();
    for (let step = 0; step < 14; step++) {
      offsetMs += DAY / 2;
      emulator.control.clock.advance(DAY / 2);
      await syncNow();
    }
    const after = await subscriptions();
    expect(after.map((s) => s.id).sort()).toEqual(before);
    const live = liveOnEmulator();
    for (const s of after) {
      expect(live.has(s.id)).toBe(true);
      expect(Date.parse(s.expiresAt)).toBeGreaterThan(Date.now() + offsetMs + DAY);
    }
  }, 60_000);

  it('E1 B2: a subscriptionRemoved lifecycle event → recreated, and the gap recorded', async () => {
    const [victim] = await subscriptions();
    await emulator.control.sendLifecycle(victim.id, 'subscriptionRemoved');
    await waitFor(async () => (await subscriptions()).every((s) => s.id !== victim.id));
    const subs = await waitFor(async () => {
      const s = await subscriptions();
      return s.some((x) => x.roomEmail === victim.roomEmail) ? s : undefined;
    });
    const fresh = subs.find((s) => s.roomEmail === victim.roomEmail)!;
    expect(liveOnEmulator().has(fresh.id)).toBe(true);
    const gaps = (await request(service.url).get('/api/admin/integration/gaps').set(auth).expect(200)).body
      .gaps;
    expect(
      gaps.some(
        (g: { roomEmail: string; reason: string }) =>
          g.roomEmail === victim.roomEmail && g.reason === 'subscriptionRemoved',
      ),
    ).toBe(true);
  });

  it('E1 B2: a subscription the emulator silently expired is recreated by the maintenance pass', async () => {
    const [, victim] = await subscriptions();
    expect(emulator.control.expireSubscription(victim.id)).toBe(true);
    await syncNow();
    const subs = await subscriptions();
    expect(subs.map((s) => s.id)).not.toContain(victim.id);
    const fresh = subs.find((s) => s.roomEmail === victim.roomEmail)!;
    expect(liveOnEmulator().has(fresh.id)).toBe(true);
    expect(subs).toHaveLength(9);
  });

  it('S2: without Calendars.ReadWrite the settings response names it', async () => {
    emulator.control.setPermissions(
      SAMPLE_CLIENT_ID,
      SAMPLE_PERMISSIONS.filter((p) => p !== 'Calendars.ReadWrite'),
    );
    const res = await request(service.url)
      .put('/api/admin/integration')
      .set(auth)
      .send(settings({ clientSecret: undefined }))
      .expect(200);
    const missing = res.body.connection.missingPermissions.map((m: { permission: string }) => m.permission);
    expect(missing).toEqual(['Calendars.ReadWrite']);
    expect(res.body.connection.missingPermissions[0].breaks).toMatch(/Outlook/);
    emulator.control.setPermissions(SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS);
  });

  it('S2 R1: without Place.Read.All the import goes through users with a room mailbox', async () => {
    emulator.control.setPermissions(
      SAMPLE_CLIENT_ID,
      SAMPLE_PERMISSIONS.filter((p) => p !== 'Place.Read.All'),
    );
    emulator.control.updateRoom('salle-b201@universite.test', { displayName: 'Salle B-201 via users' });
    const res = await request(service.url)
      .put('/api/admin/integration')
      .set(auth)
      .send(settings({ clientSecret: undefined }))
      .expect(200);
    expect(res.body.connection.missingPermissions.map((m: { permission: string }) => m.permission)).toEqual([
      'Place.Read.All',
    ]);
    expect(res.body.sync.rooms.source).toBe('users');
    const b201 = (await places()).find((p) => p.email === 'salle-b201@universite.test')!;
    expect(b201.name).toBe('Salle B-201 via users');
    expect(b201.active).toBe(true);
    emulator.control.setPermissions(SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS);
  });

  it('S1: disabling the integration deletes every subscription', async () => {
    await request(service.url)
      .put('/api/admin/integration')
      .set(auth)
      .send(settings({ clientSecret: undefined, enabled: false }))
      .expect(200);
    expect(await subscriptions()).toHaveLength(0);
    expect(liveOnEmulator().size).toBe(0);
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as T;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
