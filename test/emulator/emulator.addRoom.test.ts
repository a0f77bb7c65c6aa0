import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { goodWebhook, graphClientFor, inDays, startReceiver, type Receiver } from './support';

const ORGANIZER = 'hugo.bernard@universite.test';
const EXTERNAL = 'sophie.rousseau@partenaire.example';
const NEW_ROOM = 'salle-c101@universite.test';

describe('control: added rooms and external organizers (GRAPH-FACTS "Rooms")', () => {
  let emu: RunningEmulator;
  let graph: Client;
  let receiver: Receiver;
  beforeAll(async () => {
    emu = await startEmulator({ tls: false });
    graph = await graphClientFor(emu);
    receiver = await startReceiver(goodWebhook);
  });
  afterAll(async () => {
    await emu.close();
    await receiver.close();
  });
  afterEach(async () => {
    await emu.control.flushNotifications();
    emu.control.reset();
  });

  const post = (path: string, body: unknown, method = 'POST'): Promise<Response> =>
    fetch(`${emu.url}/_emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const roomCopies = (iCalUId: string): string[] =>
    emu.control
      .findEventsByICalUId(iCalUId)
      .filter((e) => e.mailbox.startsWith('salle-'))
      .map((e) => e.mailbox)
      .sort();

  it('POST /_emulator/rooms adds a room to Places, /users (userPurpose room) and its room list; it can be subscribed to and booked', async () => {
    const res = await post('/rooms', {
      email: NEW_ROOM,
      displayName: 'Salle C-101',
      building: 'Bâtiment A',
      capacity: 18,
      floorNumber: 1,
      tags: ['visio'],
      maximumDurationInMinutes: 120,
    });
    expect(res.status).toBe(201);
    const place = (await res.json()) as MSGraph.Room;
    expect(place).toMatchObject({ emailAddress: NEW_ROOM, displayName: 'Salle C-101', capacity: 18 });

    const rooms = (await graph.api('/places/microsoft.graph.room').get()) as { value: MSGraph.Room[] };
    expect(rooms.value).toHaveLength(13);
    expect(rooms.value.find((r) => r.emailAddress === NEW_ROOM)).toMatchObject({
      building: 'Bâtiment A',
      tags: ['visio'],
      address: { city: 'Paris' },
    });
    const listRooms = (await graph
      .api('/places/batiment-a@universite.test/microsoft.graph.roomlist/rooms')
      .get()) as { value: MSGraph.Room[] };
    expect(listRooms.value.map((r) => r.emailAddress)).toContain(NEW_ROOM);
    const user = (await graph
      .api(`/users/${NEW_ROOM}`)
      .select('id,accountEnabled,mail')
      .get()) as MSGraph.User;
    expect(user).toMatchObject({ mail: NEW_ROOM, accountEnabled: false });
    const settings = (await graph.api(`/users/${user.id}/mailboxSettings`).get()) as MSGraph.MailboxSettings;
    expect(settings.userPurpose).toBe('room');

    const sub = (await graph.api('/subscriptions').post({
      changeType: 'created,updated,deleted',
      notificationUrl: `${receiver.url}/n`,
      resource: `/users/${NEW_ROOM}/events`,
      expirationDateTime: new Date(emu.control.clock.nowMs() + 60 * 60_000).toISOString(),
      clientState: 's',
    })) as MSGraph.Subscription;
    const meeting = emu.control.person(ORGANIZER).createMeeting({
      subject: 'Jury',
      start: inDays(2, 9, emu),
      end: inDays(2, 10, emu),
      rooms: [NEW_ROOM],
    });
    const tooLong = emu.control.person(ORGANIZER).createMeeting({
      subject: 'Journée',
      start: inDays(3, 8, emu),
      end: inDays(3, 11, emu),
      rooms: [NEW_ROOM],
    });
    await emu.control.flushNotifications();
    expect(roomCopies(meeting.iCalUId!)).toEqual([NEW_ROOM]);
    expect(roomCopies(tooLong.iCalUId!)).toEqual([]); // over its 120-minute maximum
    const copy = emu.control.eventsOf(NEW_ROOM)[0];
    expect(copy.subject).toBe('Hugo Bernard');
    const notified = receiver.received
      .filter((r) => r.path === '/n' && r.body)
      .flatMap((r) => (JSON.parse(r.body) as { value: Array<{ subscriptionId: string }> }).value);
    expect(notified.some((n) => n.subscriptionId === sub.id)).toBe(true);

    expect((await post('/rooms', { email: NEW_ROOM, displayName: 'Again' })).status).toBe(409);
    expect((await post('/rooms', { displayName: 'No address' })).status).toBe(400);
  });

  it('addRoom in process: defaults of a room mailbox, no room list for an unknown building, gone after reset', () => {
    const place = emu.control.addRoom({
      email: 'labo-x@universite.test',
      displayName: 'Labo X',
      building: 'Annexe',
    });
    expect(place).toMatchObject({ building: 'Annexe', tags: [], capacity: null });
    const snapshot = emu.control.state().rooms.find((r) => r.emailAddress === 'labo-x@universite.test');
    expect(snapshot).toMatchObject({
      bookingWindowInDays: 180,
      maximumDurationInMinutes: 1440,
      processExternalMeetingMessages: false,
    });
    emu.control.reset();
    expect(emu.control.state().rooms).toHaveLength(12);
  });

  it('an external organizer: rooms ignore the request unless ProcessExternalMeetingMessages is true', async () => {
    const A101 = 'salle-a101@universite.test';
    const A102 = 'salle-a102@universite.test';
    expect((await post(`/rooms/${A102}`, { processExternalMeetingMessages: true }, 'PUT')).status).toBe(200);
    const external = emu.control.person(EXTERNAL);
    const meeting = external.createMeeting({
      subject: 'Comité de pilotage',
      start: inDays(2, 14, emu),
      end: inDays(2, 15, emu),
      rooms: [A101, A102],
      attendees: [ORGANIZER],
    });
    expect(meeting.organizer?.emailAddress).toEqual({ name: 'Sophie Rousseau', address: EXTERNAL });
    expect(roomCopies(meeting.iCalUId!)).toEqual([A102]);
    const roomCopy = emu.control.eventsOf(A102)[0];
    expect(roomCopy).toMatchObject({
      subject: 'Sophie Rousseau',
      organizer: { emailAddress: { address: EXTERNAL } },
    });
    // The organizer hears back from the processing room only; the ignoring one never answers.
    const statuses = Object.fromEntries(
      external.events()[0].attendees!.map((a) => [a.emailAddress!.address, a.status?.response]),
    );
    expect(statuses).toEqual({ [ORGANIZER]: 'none', [A101]: 'none', [A102]: 'accepted' });
    // A person of the tenant gets the invitation as usual.
    expect(emu.control.eventsOf(ORGANIZER).map((e) => e.iCalUId)).toEqual([meeting.iCalUId]);
    // Not a Graph user: the external's calendar is not reachable through /users.
    await expect(graph.api(`/users/${EXTERNAL}/events`).get()).rejects.toMatchObject({ statusCode: 404 });

    // Over HTTP too, and a cancellation reaches only the room that processed the request.
    const res = await post(`/people/${EXTERNAL}/meetings/${meeting.id}/cancel`, {});
    expect(res.status).toBe(204);
    expect(roomCopies(meeting.iCalUId!)).toEqual([]);
  });
});
