import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Client } from '@microsoft/microsoft-graph-client';
import { SAMPLE_INITIAL_DOMAIN, startEmulator, type RunningEmulator } from '../../emulator';
import { goodWebhook, graphClientFor, inDays, startReceiver, type Receiver } from './support';

// GRAPH-FACTS "Real tenants", mailbox addressing: /users/{id | userPrincipalName}; an e-mail address
// that is not the UPN is not resolved (microsoft-graph-docs#3979). Mailbox calls answer
// ErrorInvalidUser "The requested user '…' is invalid." (as seen in InnoGE/laravel-msgraph-mail#16).
const MAIL = 'yanis.haddad@universite.test';
const UPN = `yanis.haddad@${SAMPLE_INITIAL_DOMAIN}`;
const ROOM_MAIL = 'salle-c201@universite.test';
const ROOM_UPN = `salle-c201@${SAMPLE_INITIAL_DOMAIN}`;

describe('mailbox addressing: id or UPN, never a mail that is not the UPN (docs#3979)', () => {
  let emu: RunningEmulator;
  let graph: Client;
  let receiver: Receiver;
  let id: string;
  beforeAll(async () => {
    emu = await startEmulator({ tls: false });
    graph = await graphClientFor(emu);
    receiver = await startReceiver(goodWebhook);
    id = emu.control.state().users.find((u) => u.mail === MAIL)!.id!;
  });
  afterAll(async () => {
    await emu.close();
    await receiver.close();
  });

  it('the sample tenant has people whose mail is not their UPN (an alias domain)', () => {
    const person = emu.control.state().users.find((u) => u.mail === MAIL)!;
    expect(person.userPrincipalName).toBe(UPN);
  });

  it('GET /users/{mail} → 404; by id and by UPN → the user (docs#3979)', async () => {
    await expect(graph.api(`/users/${MAIL}`).get()).rejects.toMatchObject({
      statusCode: 404,
      code: 'Request_ResourceNotFound',
    });
    expect(await graph.api(`/users/${id}`).get()).toMatchObject({ id, mail: MAIL, userPrincipalName: UPN });
    expect(await graph.api(`/users/${UPN}`).get()).toMatchObject({ id, mail: MAIL });
  });

  it('mailbox calls by mail → 404 ErrorInvalidUser; by id and UPN they work (docs#3979)', async () => {
    for (const path of [`/users/${MAIL}/events`, `/users/${MAIL}/mailboxSettings`]) {
      await expect(graph.api(path).get()).rejects.toMatchObject({
        statusCode: 404,
        code: 'ErrorInvalidUser',
        message: `The requested user '${MAIL}' is invalid.`,
      });
    }
    expect((await graph.api(`/users/${id}/events`).get()).value).toEqual([]);
    expect((await graph.api(`/users/${UPN}/mailboxSettings`).get()).userPurpose).toBe('user');
  });

  it('a subscription on /users/{mail}/events is refused; on /users/{id}/events it is made (docs#3979)', async () => {
    const body = (resource: string): MSGraph.Subscription => ({
      changeType: 'created,updated,deleted',
      notificationUrl: receiver.url,
      resource,
      expirationDateTime: new Date(emu.control.clock.now().getTime() + 3600_000).toISOString(),
      clientState: 'state',
    });
    await expect(graph.api('/subscriptions').post(body(`/users/${MAIL}/events`))).rejects.toMatchObject({
      statusCode: 404,
    });
    const made = (await graph
      .api('/subscriptions')
      .post(body(`/users/${id}/events`))) as MSGraph.Subscription;
    expect(made.id).toBeTruthy();
  });

  it("$filter=mail eq '…' and proxyAddresses/any(p:p eq 'smtp:…') find the user (GRAPH-FACTS \"Real tenants\")", async () => {
    const byMail = await graph.api('/users').filter(`mail eq '${MAIL}'`).get();
    expect(byMail.value.map((u: MSGraph.User) => u.id)).toEqual([id]);
    const byProxy = await graph.api('/users').filter(`proxyAddresses/any(p:p eq 'smtp:${MAIL}')`).get();
    expect(byProxy.value.map((u: MSGraph.User) => u.id)).toEqual([id]);
    const secondary = await graph.api('/users').filter(`proxyAddresses/any(x:x eq 'SMTP:${UPN}')`).get();
    expect(secondary.value.map((u: MSGraph.User) => u.id)).toEqual([id]);
    expect((await graph.api('/users').filter("mail eq 'nobody@universite.test'").get()).value).toEqual([]);
  });

  it('a meeting to an alias person, organized by one, reaches their calendar; the organizer is their mail', async () => {
    const organizer = emu.control.person(MAIL);
    const created = organizer.createMeeting({
      subject: 'TD',
      start: inDays(3, 9, emu),
      end: inDays(3, 10, emu),
      attendees: ['nora.benali@universite.test'],
    });
    expect(created.organizer?.emailAddress?.address).toBe(MAIL);
    await emu.control.flushNotifications();
    expect(emu.control.eventsOf('nora.benali@universite.test').map((e) => e.subject)).toEqual(['TD']);
  });

  it('POST /_emulator/rooms with a userPrincipalName adds a room whose mailbox answers by id or UPN only', async () => {
    const res = await fetch(`${emu.url}/_emulator/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ROOM_MAIL, userPrincipalName: ROOM_UPN, displayName: 'Salle C-201' }),
    });
    expect(res.status).toBe(201);
    const room = emu.control.state().users.find((u) => u.mail === ROOM_MAIL)!;
    expect(room).toMatchObject({ userPrincipalName: ROOM_UPN, purpose: 'room' });
    const places = await graph.api('/places/microsoft.graph.room').get();
    expect(places.value.map((p: MSGraph.Room) => p.emailAddress)).toContain(ROOM_MAIL);
    await expect(graph.api(`/users/${ROOM_MAIL}/events`).get()).rejects.toMatchObject({
      code: 'ErrorInvalidUser',
    });
    expect((await graph.api(`/users/${room.id}/mailboxSettings`).get()).userPurpose).toBe('room');
    const bad = await fetch(`${emu.url}/_emulator/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'salle-c202@universite.test',
        userPrincipalName: 'nope',
        displayName: 'X',
      }),
    });
    expect(bad.status).toBe(400);
  });
});
