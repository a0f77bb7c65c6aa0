/**
 * Application access policies (GRAPH-FACTS "Real tenants"; GDC concepts/auth-limit-mailbox-access.md,
 * "Handling API errors"): app-only calls on a mailbox outside the policy answer 403 ErrorAccessDenied
 * "Access to OData is disabled."; directory reads stay open.
 */
import { startEmulator, type RunningEmulator } from '../../emulator';
import { appToken, goodWebhook, inDays, startReceiver, type Receiver } from './support';

const ROOM = 'salle-a101@universite.test';
const DEFAULT_USER = 'camille.martin@universite.test';
const PERSON = 'lea.dubois@universite.test';

describe('application access policies (GDC concepts/auth-limit-mailbox-access.md)', () => {
  let emu: RunningEmulator;
  let token: string;
  let receiver: Receiver;
  beforeAll(async () => {
    emu = await startEmulator({ tls: false });
    token = await appToken(emu);
    receiver = await startReceiver(goodWebhook);
  });
  afterAll(async () => {
    await emu.close();
    await receiver.close();
  });
  afterEach(() => {
    emu.control.reset();
    emu.control.resetStats();
  });

  const graph = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${emu.graphUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const control = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${emu.url}/_emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const restrict = async (mailboxes: string[]): Promise<void> => {
    const res = await control('PUT', `/access-policies/${emu.control.clientId}`, { mailboxes });
    expect(res.status).toBe(200);
  };
  const meeting = (): Record<string, unknown> => ({
    subject: 'Point',
    start: { dateTime: inDays(3, 9, emu).slice(0, 19), timeZone: 'UTC' },
    end: { dateTime: inDays(3, 10, emu).slice(0, 19), timeZone: 'UTC' },
    attendees: [{ type: 'resource', emailAddress: { address: ROOM } }],
  });
  const expectDenied = (r: { status: number; body: Record<string, unknown> }): void => {
    expect(r.status).toBe(403);
    const error = r.body.error as Record<string, unknown>;
    expect(error).toMatchObject({ code: 'ErrorAccessDenied', message: 'Access to OData is disabled.' });
    expect(Object.keys(error).sort()).toEqual(['code', 'innerError', 'message']);
  };

  it('S2 / access policy: app-only reads and writes of a mailbox outside the policy answer 403 ErrorAccessDenied', async () => {
    await restrict([ROOM, DEFAULT_USER]);
    const window = `startDateTime=${inDays(0, 0, emu)}&endDateTime=${inDays(10, 0, emu)}`;
    expectDenied(await graph('GET', `/users/${PERSON}/events`));
    expectDenied(await graph('GET', `/users/${PERSON}/calendarView?${window}`));
    expectDenied(await graph('GET', `/users/${PERSON}/calendarView/delta?${window}`));
    expectDenied(await graph('GET', `/users/${PERSON}/mailboxSettings`));
    expectDenied(await graph('POST', `/users/${PERSON}/events`, meeting()));
    // …addressed by object id just the same
    const person = emu.control.state().users.find((u) => u.userPrincipalName === PERSON)!;
    expectDenied(await graph('GET', `/users/${person.id}/calendar/events`));
    expect(emu.control.eventsOf(PERSON)).toHaveLength(0);
    // Inside the policy: the room and the default user.
    expect((await graph('GET', `/users/${ROOM}/events`)).status).toBe(200);
    expect((await graph('GET', `/users/${ROOM}/mailboxSettings`)).status).toBe(200);
    expect((await graph('POST', `/users/${DEFAULT_USER}/events`, meeting())).status).toBe(201);
  });

  it('S2 / access policy: a subscription on a mailbox outside the policy is refused before any handshake', async () => {
    await restrict([ROOM]);
    const subscription = (mailbox: string): Record<string, unknown> => ({
      changeType: 'created,updated,deleted',
      notificationUrl: `${receiver.url}/webhooks/graph`,
      resource: `/users/${mailbox}/events`,
      expirationDateTime: new Date(emu.control.clock.nowMs() + 60 * 60_000).toISOString(),
      clientState: 'state',
    });
    expectDenied(await graph('POST', '/subscriptions', subscription(PERSON)));
    expect(emu.control.stats().validations).toBe(0);
    expect((await graph('POST', '/subscriptions', subscription(ROOM))).status).toBe(201);
  });

  it('S2 / access policy: $batch steps are judged one by one (403 inside a 200 batch)', async () => {
    await restrict([ROOM]);
    const r = await graph('POST', '/$batch', {
      requests: [
        { id: '1', method: 'GET', url: `/users/${ROOM}/events` },
        { id: '2', method: 'GET', url: `/users/${PERSON}/events` },
      ],
    });
    expect(r.status).toBe(200);
    const responses = r.body.responses as Array<{
      id: string;
      status: number;
      body: Record<string, unknown>;
    }>;
    expect(responses.find((x) => x.id === '1')!.status).toBe(200);
    const denied = responses.find((x) => x.id === '2')!;
    expectDenied({ status: denied.status, body: denied.body });
  });

  it('S2 / access policy: directory reads (/users, /users/{id}, places) are not restricted', async () => {
    await restrict([ROOM]);
    expect((await graph('GET', '/users?$top=5')).status).toBe(200);
    const user = await graph('GET', `/users/${PERSON}?$select=id,accountEnabled`);
    expect(user.status).toBe(200);
    expect((await graph('GET', '/places/microsoft.graph.room')).status).toBe(200);
  });

  it('S2 / access policy: GET lists the policies, DELETE lifts one, reset lifts all', async () => {
    await restrict([ROOM, DEFAULT_USER]);
    const listed = (await (await control('GET', '/access-policies')).json()) as { value: unknown[] };
    expect(listed.value).toEqual([{ appId: emu.control.clientId, mailboxes: [DEFAULT_USER, ROOM].sort() }]);
    expect((await control('DELETE', `/access-policies/${emu.control.clientId}`)).status).toBe(204);
    expect((await graph('GET', `/users/${PERSON}/events`)).status).toBe(200);
    expect((await control('DELETE', `/access-policies/${emu.control.clientId}`)).status).toBe(404);
    await restrict([ROOM]);
    emu.control.reset();
    expect(emu.control.accessPolicies()).toEqual([]);
    expect((await graph('GET', `/users/${PERSON}/events`)).status).toBe(200);
  });

  it('S2 / access policy: a bad body is refused (400) and changes nothing', async () => {
    await restrict([ROOM]);
    const put = (body: unknown): Promise<Response> =>
      control('PUT', `/access-policies/${emu.control.clientId}`, body);
    for (const body of [{}, { mailboxes: 'salle' }, { mailboxes: [42] }, { mailboxes: [''] }, [ROOM]]) {
      const res = await put(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ErrorInvalidRequest');
    }
    const unknown = await put({ mailboxes: [ROOM, 'nobody@universite.test'] });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toContain(
      'nobody@universite.test',
    );
    expect((await control('PUT', '/access-policies/not-an-app', { mailboxes: [ROOM] })).status).toBe(404);
    expect(emu.control.accessPolicies()).toEqual([{ appId: emu.control.clientId, mailboxes: [ROOM] }]);
  });
});
