import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { Client } from '@microsoft/microsoft-graph-client';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { goodWebhook, graphClientFor, inDays, startReceiver, type Receiver } from './support';

// Immutable ids (issue 13 part 5). Sources: GDC concepts/outlook-immutable-id.md ("How it works":
// the header applies to the request it comes with; "Immutable ID with change notifications": only
// a subscription created with the header gets immutable ids), api/user-translateexchangeids.md and
// resources/convertidresult.md.
const ROOM = 'salle-a102@universite.test';
const HUGO = 'hugo.bernard@universite.test';
const IMMUTABLE = { Prefer: 'IdType="ImmutableId"' };

describe('immutable ids (GDC concepts/outlook-immutable-id.md)', () => {
  let emu: RunningEmulator;
  let graph: Client;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ tls: false, faults: { validationTimeoutMs: 1000, retryBackoffMs: 10 } });
    graph = await graphClientFor(emu);
  });
  afterAll(async () => {
    await emu.close();
    await Promise.all(receivers.map((r) => r.close()));
  });
  afterEach(async () => {
    await emu.control.flushNotifications();
    emu.control.reset();
  });

  const meeting = (): MSGraph.Event =>
    emu.control.person(HUGO).createMeeting({
      subject: 'Conseil',
      start: inDays(2, 9, emu),
      end: inDays(2, 10, emu),
      rooms: [ROOM],
    });
  const roomCopyId = (m: MSGraph.Event): string =>
    emu.control.findEventsByICalUId(m.iCalUId!).find((e) => e.mailbox === ROOM)!.event.id!;
  const immutableOf = async (mailbox: string, id: string): Promise<string> =>
    ((await graph.api(`/users/${mailbox}/events/${id}?$select=id`).headers(IMMUTABLE).get()) as MSGraph.Event)
      .id!;

  it('every item has a regular id and a different immutable id; GET, PATCH and DELETE take either', async () => {
    const m = meeting();
    const regular = roomCopyId(m);
    const plain: MSGraph.Event = await graph.api(`/users/${ROOM}/events/${regular}`).get();
    expect(plain.id).toBe(regular);
    const immutable = await immutableOf(ROOM, regular);
    expect(immutable).not.toBe(regular);
    expect(immutable).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    // The immutable id resolves without the header, and then the regular id comes back.
    const byImmutable: MSGraph.Event = await graph.api(`/users/${ROOM}/events/${immutable}`).get();
    expect(byImmutable).toMatchObject({ id: regular, iCalUId: m.iCalUId });

    // The organizer's PATCH answers with the id its own header asks for.
    const orgImmutable = await immutableOf(HUGO, m.id!);
    const patched: MSGraph.Event = await graph
      .api(`/users/${HUGO}/events/${orgImmutable}`)
      .headers(IMMUTABLE)
      .patch({ subject: 'Conseil (salle changée)' });
    expect(patched).toMatchObject({ id: orgImmutable, subject: 'Conseil (salle changée)' });
    const patchedPlain: MSGraph.Event = await graph
      .api(`/users/${HUGO}/events/${orgImmutable}`)
      .patch({ subject: 'Conseil' });
    expect(patchedPlain.id).toBe(m.id);

    await graph.api(`/users/${HUGO}/events/${orgImmutable}`).delete();
    await expect(graph.api(`/users/${HUGO}/events/${m.id}`).get()).rejects.toMatchObject({ statusCode: 404 });
    await expect(graph.api(`/users/${HUGO}/events/${orgImmutable}`).get()).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('POST, list and calendarView honour the header per request', async () => {
    const created: MSGraph.Event = await graph
      .api(`/users/${HUGO}/events`)
      .headers(IMMUTABLE)
      .post({
        subject: 'Créé par une app',
        start: { dateTime: inDays(3, 9, emu).replace(/Z$/, ''), timeZone: 'UTC' },
        end: { dateTime: inDays(3, 10, emu).replace(/Z$/, ''), timeZone: 'UTC' },
      });
    const stored = emu.control.eventsOf(HUGO).find((e) => e.iCalUId === created.iCalUId)!;
    expect(created.id).not.toBe(stored.id);
    expect(created.id).toBe(await immutableOf(HUGO, stored.id!));

    const listed = (asked: boolean) =>
      graph
        .api(`/users/${HUGO}/events`)
        .headers(asked ? IMMUTABLE : {})
        .get()
        .then((p: { value: MSGraph.Event[] }) => p.value.map((e) => e.id));
    expect(await listed(false)).toEqual([stored.id]);
    expect(await listed(true)).toEqual([created.id]);

    const view = (asked: boolean) =>
      graph
        .api(
          `/users/${HUGO}/calendarView?startDateTime=${inDays(0, 0, emu)}&endDateTime=${inDays(8, 0, emu)}`,
        )
        .headers(asked ? IMMUTABLE : {})
        .get()
        .then((p: { value: MSGraph.Event[] }) => p.value.map((e) => e.id));
    expect(await view(false)).toEqual([stored.id]);
    expect(await view(true)).toEqual([created.id]);
  });

  it('calendarView/delta honours the header on each request, removals included', async () => {
    const m = meeting();
    const regular = roomCopyId(m);
    const immutable = await immutableOf(ROOM, regular);
    const first = await graph
      .api(
        `/users/${ROOM}/calendarView/delta?startDateTime=${inDays(0, 0, emu)}&endDateTime=${inDays(8, 0, emu)}`,
      )
      .headers(IMMUTABLE)
      .get();
    expect(first.value.map((e: MSGraph.Event) => e.id)).toEqual([immutable]);
    const deltaLink = String(first['@odata.deltaLink']).slice(emu.graphUrl.length);

    emu.control.person(HUGO).cancelMeeting(m.id!);
    const replayPlain = await graph.api(deltaLink).get();
    expect(replayPlain.value).toEqual([
      expect.objectContaining({ id: regular, '@removed': expect.anything() }),
    ]);
    const replayAsked = await graph.api(deltaLink).headers(IMMUTABLE).get();
    expect(replayAsked.value).toEqual([
      expect.objectContaining({ id: immutable, '@removed': expect.anything() }),
    ]);
  });

  it('notifications carry the immutable id only when POST /subscriptions asked for it', async () => {
    const r = await startReceiver(goodWebhook);
    receivers.push(r);
    const subscribe = (headers: Record<string, string>, path: string): Promise<MSGraph.Subscription> =>
      graph
        .api('/subscriptions')
        .headers(headers)
        .post({
          changeType: 'created,updated,deleted',
          notificationUrl: `${r.url}/${path}`,
          resource: `/users/${ROOM}/events`,
          expirationDateTime: new Date(emu.control.clock.nowMs() + 4000 * 60_000).toISOString(),
          clientState: path,
        });
    const plainSub = await subscribe({}, 'plain');
    const immutableSub = await subscribe(IMMUTABLE, 'immutable');
    expect(emu.control.state().subscriptions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: plainSub.id, immutableIds: false }),
        expect.objectContaining({ id: immutableSub.id, immutableIds: true }),
      ]),
    );

    const m = meeting();
    await emu.control.flushNotifications();
    const regular = roomCopyId(m);
    const immutable = await immutableOf(ROOM, regular);
    const notes = (path: string) =>
      r.received
        .filter((x) => x.path === `/${path}` && !x.query.has('validationToken'))
        .flatMap(
          (x) => JSON.parse(x.body).value as Array<{ resource: string; resourceData: { id: string } }>,
        );
    const plain = notes('plain');
    const asked = notes('immutable');
    expect(plain.length).toBeGreaterThan(0);
    expect(asked.length).toBe(plain.length);
    for (const n of plain) {
      expect(n.resourceData.id).toBe(regular);
      expect(n.resource).toMatch(new RegExp(`/Events/${regular}$`));
    }
    for (const n of asked) {
      expect(n.resourceData.id).toBe(immutable);
      expect(n.resource).toMatch(new RegExp(`/Events/${immutable}$`));
    }

    // Per subscription, for good: a later deletion is named the same way.
    emu.control.person(HUGO).cancelMeeting(m.id!);
    await emu.control.flushNotifications();
    expect(notes('plain').at(-1)?.resourceData.id).toBe(regular);
    expect(notes('immutable').at(-1)?.resourceData.id).toBe(immutable);
  });

  it('$batch sub-requests carry their own Prefer headers', async () => {
    const m = meeting();
    const regular = roomCopyId(m);
    const immutable = await immutableOf(ROOM, regular);
    const out = await graph.api('/$batch').post({
      requests: [
        { id: '1', method: 'GET', url: `/users/${ROOM}/events/${regular}?$select=id` },
        { id: '2', method: 'GET', url: `/users/${ROOM}/events/${regular}?$select=id`, headers: IMMUTABLE },
      ],
    });
    const byId = Object.fromEntries(
      (out.responses as Array<{ id: string; body: MSGraph.Event }>).map((x) => [x.id, x.body.id]),
    );
    expect(byId).toEqual({ '1': regular, '2': immutable });
  });

  describe('POST /users/{id}/translateExchangeIds (GDC api/user-translateexchangeids.md)', () => {
    const translate = (mailbox: string, body: unknown) =>
      graph.api(`/users/${mailbox}/translateExchangeIds`).post(body);

    it('converts restId ↔ restImmutableEntryId; an id of no item gets errorDetails (docs-contrib#4823)', async () => {
      const m = meeting();
      const regular = roomCopyId(m);
      const immutable = await immutableOf(ROOM, regular);
      const toImmutable = await translate(ROOM, {
        inputIds: [regular, 'AAMkNoSuchItem'],
        sourceIdType: 'restId',
        targetIdType: 'restImmutableEntryId',
      });
      expect(toImmutable.value).toEqual([
        { sourceId: regular, targetId: immutable },
        { sourceId: 'AAMkNoSuchItem', errorDetails: expect.objectContaining({ code: expect.any(String) }) },
      ]);
      const back = await translate(ROOM, {
        inputIds: [immutable],
        sourceIdType: 'restImmutableEntryId',
        targetIdType: 'restId',
      });
      expect(back.value).toEqual([{ sourceId: immutable, targetId: regular }]);
      // Ids are per mailbox: the room's copy is not an item of the organizer's mailbox.
      const elsewhere = await translate(HUGO, {
        inputIds: [regular],
        sourceIdType: 'restId',
        targetIdType: 'restImmutableEntryId',
      });
      expect(elsewhere.value[0]).toHaveProperty('errorDetails');
    });

    it.each([
      ['no inputIds', { sourceIdType: 'restId', targetIdType: 'restImmutableEntryId' }],
      ['inputIds empty', { inputIds: [], sourceIdType: 'restId', targetIdType: 'restImmutableEntryId' }],
      ['a non-string id', { inputIds: [42], sourceIdType: 'restId', targetIdType: 'restImmutableEntryId' }],
      ['an unknown format', { inputIds: ['x'], sourceIdType: 'restId', targetIdType: 'shortId' }],
      [
        'a format the emulator does not model',
        { inputIds: ['x'], sourceIdType: 'restId', targetIdType: 'ewsId' },
      ],
      [
        'more than 1,000 ids',
        {
          inputIds: Array.from({ length: 1001 }, (_, i) => `id${i}`),
          sourceIdType: 'restId',
          targetIdType: 'restImmutableEntryId',
        },
      ],
    ])('answers 400 to %s', async (_what, body) => {
      await expect(translate(ROOM, body)).rejects.toMatchObject({ statusCode: 400 });
    });

    it('needs User.Read.All (application), and a known user', async () => {
      const body = { inputIds: ['x'], sourceIdType: 'restId', targetIdType: 'restImmutableEntryId' };
      await expect(translate('nobody@universite.test', body)).rejects.toMatchObject({ statusCode: 404 });
      // (reset() after each test gives the sample app its permissions back)
      emu.control.setPermissions(emu.control.clientId, ['Calendars.ReadWrite', 'Place.Read.All']);
      await expect(translate(ROOM, body)).rejects.toMatchObject({ statusCode: 403 });
    });
  });
});
