import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { graphClientFor, inDays, relativeLink } from './support';

const ORGANIZER = 'camille.martin@universite.test';
const ROOM_1 = 'salle-a101@universite.test';
const ROOM_2 = 'salle-b201@universite.test';

describe.each([
  ['https', true],
  ['http', false],
])('Graph over %s with the real graph-client', (_name, tls) => {
  let emu: RunningEmulator;
  let graph: Client;
  beforeAll(async () => {
    emu = await startEmulator({ tls });
    graph = await graphClientFor(emu);
  });
  afterAll(() => emu.close());
  afterEach(() => {
    emu.control.resetFaults();
    emu.control.reset();
  });

  it('lists rooms with paging by $top and $skip, without @odata.nextLink (GRAPH-FACTS "Real tenants", docs-contrib#341)', async () => {
    const rooms: MSGraph.Room[] = [];
    let pages = 0;
    for (;;) {
      const page = await graph.api('/places/microsoft.graph.room').top(5).skip(rooms.length).get();
      expect(page).not.toHaveProperty('@odata.nextLink');
      rooms.push(...page.value);
      pages++;
      if (page.value.length < 5) break;
    }
    expect(pages).toBe(3);
    expect(rooms).toHaveLength(12);
    expect(rooms.find((r) => r.emailAddress === 'salle-b103@universite.test')?.tags).toEqual(['non-hector']);
    expect(rooms[0]).toMatchObject({
      address: { city: 'Paris', countryOrRegion: 'France' },
      building: expect.stringMatching(/^Bâtiment/),
    });
    const lists = await graph.api('/places/microsoft.graph.roomlist').get();
    expect(lists.value.map((l: MSGraph.RoomList) => l.displayName)).toEqual(['Bâtiment A', 'Bâtiment B']);
  });

  it('users: default property set without accountEnabled; $select asks for it; mailboxSettings.userPurpose', async () => {
    const users = await graph.api('/users').get();
    expect(users.value[0]).not.toHaveProperty('accountEnabled');
    const disabled = await graph
      .api('/users')
      .select('id,userPrincipalName,accountEnabled')
      .filter('accountEnabled eq false')
      .top(999)
      .get();
    expect(
      disabled.value.some((u: MSGraph.User) => u.userPrincipalName === 'paul.morel@universite.test'),
    ).toBe(true);
    const settings = await graph.api(`/users/${ROOM_1}/mailboxSettings`).get();
    expect(settings.userPurpose).toBe('room');
    const me = await graph.api(`/users/${ORGANIZER}`).get();
    expect(me.displayName).toBe('Camille Martin');
  });

  it('a meeting with 2 rooms → two room copies with their own ids, one iCalUId, subject = organizer name', async () => {
    const created: MSGraph.Event = await graph.api(`/users/${ORGANIZER}/events`).post({
      subject: 'Conseil de département',
      body: { contentType: 'html', content: '<p>Ordre du jour</p>' },
      start: { dateTime: inDays(3, 9, emu).slice(0, 19), timeZone: 'UTC' },
      end: { dateTime: inDays(3, 10, emu).slice(0, 19), timeZone: 'UTC' },
      attendees: [ROOM_1, ROOM_2].map((address) => ({ type: 'resource', emailAddress: { address } })),
      singleValueExtendedProperties: [
        { id: 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HectorLoanId', value: 'L-1' },
      ],
    });
    const copies = await Promise.all(
      [ROOM_1, ROOM_2].map(
        async (room) =>
          (await graph.api(`/users/${room}/events`).filter(`iCalUId eq '${created.iCalUId}'`).get())
            .value[0] as MSGraph.Event,
      ),
    );
    expect(new Set([created.id, copies[0].id, copies[1].id]).size).toBe(3);
    for (const c of copies) {
      expect(c.iCalUId).toBe(created.iCalUId);
      expect(c.subject).toBe('Camille Martin');
      expect(c.body?.content).toBe('');
      expect(c.organizer?.emailAddress?.address).toBe(ORGANIZER);
    }
    const withProp = await graph
      .api(`/users/${ROOM_1}/events/${copies[0].id}`)
      .expand(
        `singleValueExtendedProperties($filter=id eq 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name HectorLoanId')`,
      )
      .get();
    expect(withProp.singleValueExtendedProperties[0].value).toBe('L-1');
    const organizerCopy = await graph
      .api(`/users/${ORGANIZER}/events/${created.id}`)
      .header('Prefer', 'outlook.timezone="Romance Standard Time"')
      .get();
    expect(organizerCopy.attendees.map((a: MSGraph.Attendee) => a.status?.response)).toEqual([
      'accepted',
      'accepted',
    ]);
    expect(organizerCopy.start.timeZone).toBe('Romance Standard Time');
  });

  it('a conflicting meeting is declined by the room, visible on the organizer copy (Exchange AutoAccept)', async () => {
    emu.control.person('lea.dubois@universite.test').createMeeting({
      subject: 'Soutenance',
      start: inDays(2, 14, emu),
      end: inDays(2, 16, emu),
      rooms: [ROOM_1],
    });
    const second: MSGraph.Event = await graph.api(`/users/${ORGANIZER}/events`).post({
      subject: 'Réunion',
      start: { dateTime: inDays(2, 15, emu).slice(0, 19), timeZone: 'UTC' },
      end: { dateTime: inDays(2, 17, emu).slice(0, 19), timeZone: 'UTC' },
      attendees: [{ type: 'resource', emailAddress: { address: ROOM_1 } }],
    });
    const organizerCopy = await graph.api(`/users/${ORGANIZER}/events/${second.id}`).get();
    expect(organizerCopy.attendees[0].status.response).toBe('declined');
    const roomEvents = await graph.api(`/users/${ROOM_1}/events`).get();
    expect(roomEvents.value.map((e: MSGraph.Event) => e.iCalUId)).not.toContain(second.iCalUId);
  });

  it('transactionId de-duplicates a retried create', async () => {
    const body = {
      subject: 'Retry',
      transactionId: 'tx-1',
      start: { dateTime: inDays(4, 9, emu).slice(0, 19), timeZone: 'UTC' },
      end: { dateTime: inDays(4, 10, emu).slice(0, 19), timeZone: 'UTC' },
    };
    const a = await graph.api(`/users/${ORGANIZER}/events`).post(body);
    const b = await graph.api(`/users/${ORGANIZER}/events`).post(body);
    expect(b.id).toBe(a.id);
  });

  it("a missing permission → 403 with Graph's error code", async () => {
    emu.control.setPermissions(emu.control.clientId, ['Calendars.Read']);
    await expect(graph.api('/places/microsoft.graph.room').get()).rejects.toMatchObject({
      statusCode: 403,
      code: 'ErrorAccessDenied',
    });
    await expect(graph.api('/users').get()).rejects.toMatchObject({
      statusCode: 403,
      code: 'Authorization_RequestDenied',
    });
    await expect(
      graph.api(`/users/${ORGANIZER}/events`).post({
        subject: 'x',
        start: { dateTime: '2030-01-01T09:00:00', timeZone: 'UTC' },
        end: { dateTime: '2030-01-01T10:00:00', timeZone: 'UTC' },
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });

  it('6 parallel requests on one mailbox → some 429 with Retry-After (MailboxConcurrency)', async () => {
    emu.control.setFaults({ latencyMs: 300 });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => graph.api(`/users/${ROOM_1}/events`).get()),
    );
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(rejected).toHaveLength(2);
    expect(rejected[0].reason).toMatchObject({ statusCode: 429, code: 'ApplicationThrottled' });
    expect(rejected[0].reason.headers.get('Retry-After')).toBe('2');
    expect(emu.control.stats().throttled429).toBeGreaterThanOrEqual(2);
  });

  it('delta returns exactly the changes since the last deltaLink, and 410 for a stale link (GRAPH-FACTS "Delta")', async () => {
    const camille = emu.control.person(ORGANIZER);
    const keep = camille.createMeeting({
      subject: 'A',
      start: inDays(1, 9, emu),
      end: inDays(1, 10, emu),
      rooms: [ROOM_1],
    });
    const gone = camille.createMeeting({
      subject: 'B',
      start: inDays(1, 11, emu),
      end: inDays(1, 12, emu),
      rooms: [ROOM_1],
    });
    const win = `startDateTime=${inDays(0, 0, emu)}&endDateTime=${inDays(30, 0, emu)}`;
    const ids: string[] = [];
    let page = await graph
      .api(`/users/${ROOM_1}/calendarView/delta?${win}`)
      .header('Prefer', 'odata.maxpagesize=1')
      .get();
    ids.push(...page.value.map((e: MSGraph.Event) => e.id));
    while (page['@odata.nextLink']) {
      page = await graph
        .api(relativeLink(page['@odata.nextLink'], emu))
        .header('Prefer', 'odata.maxpagesize=1')
        .get();
      ids.push(...page.value.map((e: MSGraph.Event) => e.id));
    }
    expect(ids).toHaveLength(2);
    const deltaLink = relativeLink(page['@odata.deltaLink'], emu);

    camille.moveMeeting(keep.id!, { start: inDays(1, 13, emu), end: inDays(1, 14, emu) });
    camille.cancelMeeting(gone.id!);
    const replay = await graph.api(deltaLink).get();
    const roomCopies = emu.control.eventsOf(ROOM_1);
    expect(replay.value).toHaveLength(2);
    const moved = replay.value.find((e: MSGraph.Event & { '@removed'?: unknown }) => !e['@removed']);
    expect(moved.id).toBe(roomCopies[0].id);
    expect(moved.start.dateTime).toMatch(/T13:00:00/);
    expect(replay.value.filter((e: { '@removed'?: unknown }) => e['@removed'])).toHaveLength(1);
    const nothing = await graph.api(relativeLink(replay['@odata.deltaLink'], emu)).get();
    expect(nothing.value).toHaveLength(0);

    emu.control.expireDeltaTokens();
    await expect(graph.api(relativeLink(replay['@odata.deltaLink'], emu)).get()).rejects.toMatchObject({
      statusCode: 410,
      code: 'syncStateNotFound',
    });
  });
});
