import request from 'supertest';
import { SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS } from '../../emulator';
import type { AdminStatus, ConnectionTest, SettingsView, SubscriptionList } from '../../contract/admin';
import { ROOM_EVENT_QUEUE } from '../../server/sync/jobs';
import { settled } from '../support/settled';
import { ADMIN, at, sampleSettings, startStack, waitFor, type Stack } from '../support/stack';

// Issue 15 on the real service and emulator: the status page's figures (rooms, subscriptions,
// queues, lag, credentials) and the connection test that saves nothing (S2).
jest.setTimeout(90_000);

const ORGANIZER = 'hugo.bernard@universite.test';
const ROOMS = [
  'salle-a101@universite.test',
  'salle-a102@universite.test',
  'salle-a201@universite.test',
  'salle-b001@universite.test',
];
const DAY_MS = 24 * 3_600_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ label: 'ops-status' });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  stack.emulator.control.setPermissions(SAMPLE_CLIENT_ID, SAMPLE_PERMISSIONS);
});

const status = async (): Promise<AdminStatus> => {
  const res = await request(stack.service.url).get('/api/admin/status').set(ADMIN);
  expect(res.status).toBe(200);
  return res.body as AdminStatus;
};
const settings = async (): Promise<SettingsView> =>
  (await request(stack.service.url).get('/api/admin/integration').set(ADMIN)).body as SettingsView;

describe('GET /api/admin/status', () => {
  it('B6: needs the admin token', async () => {
    expect((await request(stack.service.url).get('/api/admin/status')).status).toBe(401);
  });

  it('B6 E1: per room, its subscription with its expiry; the queues as numbers', async () => {
    const body = await status();
    const subscriptions = (
      (await request(stack.service.url).get('/api/admin/integration/subscriptions').set(ADMIN))
        .body as SubscriptionList
    ).subscriptions;
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const sub of subscriptions) {
      const room = body.rooms.find((r) => r.email === sub.roomEmail);
      expect(room).toMatchObject({
        active: true,
        subscription: { id: sub.id, state: 'active', expiresAt: new Date(sub.expiresAt).toISOString() },
        errors: 0,
      });
      expect(typeof room!.name).toBe('string');
    }
    expect(typeof body.queue.depth).toBe('number');
    expect(typeof body.queue.deadLetters).toBe('number');
    expect(body.queue.byQueue[ROOM_EVENT_QUEUE]).toEqual({
      depth: expect.any(Number),
      deadLetters: expect.any(Number),
    });
    expect(new Date(body.checkedAt).toString()).not.toBe('Invalid Date');
  });

  it('B6: after a burst of changes both ways, the lag p50/p95 per change (and the /metrics histogram)', async () => {
    const person = stack.emulator.control.person(ORGANIZER);
    ROOMS.forEach((room, i) =>
      person.createMeeting({
        subject: `Rafale ${i}`,
        start: at(3, `${String(9 + i).padStart(2, '0')}:00`),
        end: at(3, `${String(9 + i).padStart(2, '0')}:30`),
        rooms: [room],
      }),
    );
    await waitFor(
      async () => {
        for (const room of ROOMS) if ((await stack.loansOfRoom(room)).length === 0) return undefined;
        return true;
      },
      { what: 'a loan per meeting of the burst' },
    );
    // Hector → Outlook: a loan made in Hector becomes an event.
    const places = await stack.places();
    const made = await request(stack.service.url)
      .post('/api/hector/loans')
      .set(ADMIN)
      .send({
        requester: { email: ORGANIZER, name: 'Hugo Bernard' },
        start: at(7, '14:00'),
        end: at(7, '15:00'),
        items: [{ kind: 'place', id: places.get(ROOMS[0])!.id }],
      });
    expect(made.status).toBe(201);
    await settled(stack);

    const { lag, rooms } = await status();
    expect(lag.inbound.count).toBeGreaterThanOrEqual(ROOMS.length);
    expect(lag.inbound.p50Ms).toEqual(expect.any(Number));
    expect(lag.inbound.p95Ms).toBeGreaterThanOrEqual(lag.inbound.p50Ms!);
    expect(lag.outbound.count).toBeGreaterThanOrEqual(1);
    expect(lag.outbound.p95Ms).toBeGreaterThanOrEqual(lag.outbound.p50Ms!);
    for (const room of ROOMS) {
      expect(rooms.find((r) => r.email === room)?.lastNotificationAt).toEqual(expect.any(String));
    }

    const metrics = await request(stack.service.url).get('/metrics');
    const count = (direction: string) =>
      Number(
        new RegExp(`hector_outlook_sync_lag_seconds_count\\{direction="${direction}"\\} (\\d+)`).exec(
          metrics.text,
        )?.[1] ?? 0,
      );
    expect(count('inbound')).toBe(lag.inbound.count);
    expect(count('outbound')).toBe(lag.outbound.count);
  });

  it('S1 B6: the client secret expiry is kept with the settings; the status warns 30 days before', async () => {
    const soon = new Date(Date.now() + 10 * DAY_MS).toISOString().slice(0, 10);
    const saved = await request(stack.service.url)
      .put('/api/admin/integration')
      .set(ADMIN)
      .send(sampleSettings({ secretExpiresAt: soon }));
    expect(saved.status).toBe(200);
    expect((saved.body as SettingsView).secretExpiresAt).toBe(`${soon}T00:00:00.000Z`);
    const warned = (await status()).credentials;
    expect(warned.secretExpiresAt).toBe(`${soon}T00:00:00.000Z`);
    expect(warned.warning).toMatch(new RegExp(`^The client secret expires on ${soon} \\(in (9|10) days\\)`));

    // Left out (same secret): kept. A bad date: 400, nothing changed.
    const { clientSecret: _kept, ...withoutSecret } = sampleSettings();
    expect(
      (await request(stack.service.url).put('/api/admin/integration').set(ADMIN).send(withoutSecret)).status,
    ).toBe(200);
    expect((await settings()).secretExpiresAt).toBe(`${soon}T00:00:00.000Z`);
    const bad = await request(stack.service.url)
      .put('/api/admin/integration')
      .set(ADMIN)
      .send(sampleSettings({ secretExpiresAt: 'next spring' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await settings()).secretExpiresAt).toBe(`${soon}T00:00:00.000Z`);

    const later = new Date(Date.now() + 90 * DAY_MS).toISOString();
    await request(stack.service.url)
      .put('/api/admin/integration')
      .set(ADMIN)
      .send(sampleSettings({ secretExpiresAt: later }));
    expect((await status()).credentials).toEqual({
      secretExpiresAt: later,
      warning: null,
      source: 'settings',
    });
  });
});

describe('POST /api/admin/integration/test (S2 without saving)', () => {
  const test = (body: unknown) =>
    request(stack.service.url)
      .post('/api/admin/integration/test')
      .set(ADMIN)
      .send(body as object);

  it('S2: names each permission, the default user reach and the token; a revoked one is reported, nothing saved', async () => {
    const before = await settings();
    const ok = await test({});
    expect(ok.status).toBe(200);
    const report = ok.body as ConnectionTest;
    expect(report).toMatchObject({ ok: true, saved: false, token: { acquired: true } });
    expect(report.permissions.map((p) => p.permission)).toEqual(
      expect.arrayContaining(['Calendars.Read', 'Calendars.ReadWrite', 'Place.Read.All', 'User.Read.All']),
    );
    expect(report.permissions.every((p) => p.granted && p.breaks === null)).toBe(true);
    expect(report.defaultUser).toEqual({ email: 'camille.martin@universite.test', reachable: true });

    stack.emulator.control.setPermissions(
      SAMPLE_CLIENT_ID,
      SAMPLE_PERMISSIONS.filter((p) => p !== 'Calendars.ReadWrite'),
    );
    const revoked = (await test({})).body as ConnectionTest;
    expect(revoked.ok).toBe(false);
    expect(revoked.permissions.find((p) => p.permission === 'Calendars.ReadWrite')).toEqual({
      permission: 'Calendars.ReadWrite',
      granted: false,
      breaks: expect.stringContaining('Events cannot be written'),
    });
    // Settings as they were: the saved report still the save's.
    expect(await settings()).toEqual(before);
  });

  it('S2: the settings about to be saved are tested as sent (secret left out = the saved one), not saved', async () => {
    const before = await settings();
    const { clientSecret: _saved, ...input } = sampleSettings({
      defaultUserEmail: 'arthur.simon@universite.test',
    });
    const res = await test(input);
    expect(res.status).toBe(200);
    expect((res.body as ConnectionTest).defaultUser?.email).toBe('arthur.simon@universite.test');
    expect(await settings()).toEqual(before);
  });

  it('S2: bad inputs → 4xx with the reason, nothing saved', async () => {
    const before = await settings();
    const invalid = await test({ primaryDomain: 'not a domain', clientId: 'x' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    const wrongSecret = await test(sampleSettings({ clientSecret: 'not-the-secret' }));
    expect(wrongSecret.status).toBeGreaterThanOrEqual(400);
    expect(wrongSecret.status).toBeLessThan(500);
    expect(JSON.stringify(wrongSecret.body)).not.toContain('not-the-secret');
    const notJson = await request(stack.service.url)
      .post('/api/admin/integration/test')
      .set(ADMIN)
      .set('Content-Type', 'application/json')
      .send('{"primaryDomain":');
    expect(notJson.status).toBe(400);
    expect(await settings()).toEqual(before);
  });
});
