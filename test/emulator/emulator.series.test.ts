/**
 * B3 — series as Exchange keeps them (GRAPH-FACTS "Real tenants → Recurring meetings"): patterns and
 * ranges expanded in the series' own zone, one iCalUId per occurrence, which endpoints list what,
 * occurrence changes notified on the master, room processing of a series, exceptions dropped by a
 * new pattern. A person acts through the control API as in Outlook; reads go through real Graph calls.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { goodWebhook, graphClientFor, relativeLink, startReceiver, type Receiver } from './support';

const ORGANIZER = 'hugo.bernard@universite.test';
const ROOM = 'salle-a101@universite.test';
/** Booking window of 30 days in the seed. */
const SHORT_WINDOW_ROOM = 'salle-a202@universite.test';
const LEA_NAME = 'Léa Dubois';

type Ev = MSGraph.Event & Record<string, unknown>;

describe('B3: recurring meetings in the emulator (GRAPH-FACTS "Recurring meetings")', () => {
  let emu: RunningEmulator;
  let graph: Client;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ tls: false, faults: { retryBackoffMs: 10 } });
    graph = await graphClientFor(emu);
  });
  beforeEach(() => {
    emu.control.clock.set('2026-01-05T07:00:00Z'); // a Monday, winter time in Paris
  });
  afterEach(async () => {
    emu.control.reset();
    for (const r of receivers.splice(0)) await r.close();
  });
  afterAll(() => emu.close());

  const organizer = (): ReturnType<RunningEmulator['control']['person']> => emu.control.person(ORGANIZER);
  const view = async (
    user: string,
    from: string,
    to: string,
    headers: Record<string, string> = {},
  ): Promise<Ev[]> => {
    const out: Ev[] = [];
    let req = graph
      .api(`/users/${user}/calendarView?startDateTime=${from}&endDateTime=${to}`)
      .header('Prefer', 'odata.maxpagesize=200');
    for (const [k, v] of Object.entries(headers)) req = req.header(k, v);
    let page = await req.get();
    out.push(...page.value);
    while (page['@odata.nextLink']) {
      page = await graph.api(relativeLink(page['@odata.nextLink'], emu)).get();
      out.push(...page.value);
    }
    return out;
  };
  const instances = async (user: string, id: string, from: string, to: string): Promise<Ev[]> =>
    (
      await graph
        .api(`/users/${user}/events/${id}/instances?startDateTime=${from}&endDateTime=${to}`)
        .top(999)
        .get()
    ).value;
  const starts = (events: Ev[]): string[] => events.map((e) => `${e.start!.dateTime!.slice(0, 16)}`);
  const roomResponse = (eventId: string, room = ROOM): string | undefined =>
    organizer()
      .events()
      .find((e) => e.id === eventId)!
      .attendees!.find((a) => a.emailAddress?.address === room)?.status?.response ?? undefined;
  const roomHasCopy = (iCalUId: string, room = ROOM): boolean =>
    emu.control.findEventsByICalUId(iCalUId).some((e) => e.mailbox === room);

  const weekly = (
    day: MSGraph.DayOfWeek,
    startDate: string,
    range: Partial<MSGraph.RecurrenceRange> = { type: 'numbered', numberOfOccurrences: 6 },
  ): MSGraph.PatternedRecurrence => ({
    pattern: { type: 'weekly', interval: 1, daysOfWeek: [day] },
    range: { startDate, ...range } as MSGraph.RecurrenceRange,
  });

  it('B3: a weekly series of 6 has 6 occurrences, each with its own stable iCalUId, the same in the room copy (GDC resources/event.md; [MS-OXOCAL] 2.2.1.27)', async () => {
    const series = organizer().createMeeting({
      subject: 'Hebdo',
      start: '2026-01-06T09:00:00Z',
      end: '2026-01-06T10:00:00Z',
      rooms: [ROOM],
      recurrence: weekly('tuesday', '2026-01-06'),
    });
    expect(series.type).toBe('seriesMaster');
    const occ = await instances(ORGANIZER, series.id!, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
    expect(starts(occ)).toEqual([
      '2026-01-06T09:00',
      '2026-01-13T09:00',
      '2026-01-20T09:00',
      '2026-01-27T09:00',
      '2026-02-03T09:00',
      '2026-02-10T09:00',
    ]);
    expect(occ.every((o) => o.type === 'occurrence' && o.seriesMasterId === series.id)).toBe(true);
    expect(occ.map((o) => o.originalStart)).toEqual(
      occ.map((o) => new Date(`${o.start!.dateTime}Z`).toISOString()),
    );
    const uids = occ.map((o) => o.iCalUId!);
    expect(new Set(uids).size).toBe(6);
    expect(uids).not.toContain(series.iCalUId);
    // Stable across reads, also when the occurrence is read by id.
    const again = await graph.api(`/users/${ORGANIZER}/events/${occ[2].id}`).get();
    expect(again.iCalUId).toBe(uids[2]);
    // The room's copy is another item (own ids) of the same series: same occurrence iCalUIds.
    const roomOcc = await view(ROOM, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
    expect(roomOcc.map((o) => o.iCalUId)).toEqual(uids);
    expect(roomOcc.map((o) => o.id)).not.toEqual(occ.map((o) => o.id));
  });

  it('B3: a weekly 10:00 Europe/Paris series across the end of summer time keeps its local 10:00 (08:00 UTC, then 09:00 UTC)', async () => {
    emu.control.clock.set('2026-10-01T07:00:00Z');
    // Summer time ends on Sunday 25 October 2026.
    const series = organizer().createMeeting({
      subject: 'Séminaire',
      timeZone: 'Europe/Paris',
      start: '2026-10-15T10:00:00',
      end: '2026-10-15T11:00:00',
      rooms: [ROOM],
      recurrence: weekly('thursday', '2026-10-15', { type: 'numbered', numberOfOccurrences: 4 }),
    });
    const from = '2026-10-01T00:00:00Z';
    const to = '2026-12-01T00:00:00Z';
    expect(starts(await instances(ORGANIZER, series.id!, from, to))).toEqual([
      '2026-10-15T08:00',
      '2026-10-22T08:00',
      '2026-10-29T09:00',
      '2026-11-05T09:00',
    ]);
    const local = await view(ORGANIZER, from, to, { Prefer: 'outlook.timezone="Europe/Paris"' });
    expect(starts(local)).toEqual([
      '2026-10-15T10:00',
      '2026-10-22T10:00',
      '2026-10-29T10:00',
      '2026-11-05T10:00',
    ]);
    // The same through Graph with a Windows zone name and recurrenceTimeZone.
    const viaGraph = await graph.api(`/users/${ORGANIZER}/events`).post({
      subject: 'Graph',
      start: { dateTime: '2026-10-20T10:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-10-20T11:00:00', timeZone: 'UTC' },
      recurrence: {
        pattern: { type: 'daily', interval: 7 },
        range: {
          type: 'numbered',
          numberOfOccurrences: 2,
          startDate: '2026-10-20',
          recurrenceTimeZone: 'Romance Standard Time',
        },
      },
    });
    // 10:00 UTC is 12:00 in Paris on the first day; the series keeps 12:00 Paris (11:00 UTC) after.
    expect(starts(await instances(ORGANIZER, viaGraph.id, from, to))).toEqual([
      '2026-10-20T10:00',
      '2026-10-27T11:00',
    ]);
  });

  it('B3: relativeMonthly "second Tuesday" and "last Friday", absoluteMonthly day 31 on the last day of short months (GDC resources/recurrencepattern.md)', async () => {
    const p = organizer();
    const second = p.createMeeting({
      subject: 'Conseil',
      start: '2026-01-13T14:00:00Z',
      end: '2026-01-13T15:00:00Z',
      recurrence: {
        pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'second' },
        range: { type: 'numbered', numberOfOccurrences: 4, startDate: '2026-01-01' },
      },
    });
    const from = '2026-01-01T00:00:00Z';
    const to = '2027-01-01T00:00:00Z';
    expect(starts(await instances(ORGANIZER, second.id!, from, to))).toEqual([
      '2026-01-13T14:00',
      '2026-02-10T14:00',
      '2026-03-10T14:00',
      '2026-04-14T14:00',
    ]);
    const last = p.createMeeting({
      subject: 'Bilan',
      start: '2026-01-30T16:00:00Z',
      end: '2026-01-30T17:00:00Z',
      recurrence: {
        pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' },
        range: { type: 'numbered', numberOfOccurrences: 3, startDate: '2026-01-01' },
      },
    });
    expect(starts(await instances(ORGANIZER, last.id!, from, to))).toEqual([
      '2026-01-30T16:00',
      '2026-02-27T16:00',
      '2026-03-27T16:00',
    ]);
    const monthEnd = p.createMeeting({
      subject: 'Clôture',
      start: '2026-01-31T08:00:00Z',
      end: '2026-01-31T09:00:00Z',
      recurrence: {
        pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 },
        range: { type: 'numbered', numberOfOccurrences: 4, startDate: '2026-01-31' },
      },
    });
    expect(starts(await instances(ORGANIZER, monthEnd.id!, from, to))).toEqual([
      '2026-01-31T08:00',
      '2026-02-28T08:00',
      '2026-03-31T08:00',
      '2026-04-30T08:00',
    ]);
  });

  it('B3: absoluteYearly (month + dayOfMonth) and relativeYearly (first Monday of September) from the range start', async () => {
    const yearly = organizer().createMeeting({
      subject: 'Rentrée',
      start: '2026-03-15T09:00:00Z',
      end: '2026-03-15T10:00:00Z',
      recurrence: {
        pattern: { type: 'absoluteYearly', interval: 1, month: 3, dayOfMonth: 15 },
        range: { type: 'numbered', numberOfOccurrences: 3, startDate: '2026-01-05' },
      },
    });
    expect(
      starts(await instances(ORGANIZER, yearly.id!, '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z')),
    ).toEqual(['2026-03-15T09:00', '2027-03-15T09:00', '2028-03-15T09:00']);
    const relative = organizer().createMeeting({
      subject: 'Accueil',
      start: '2026-09-07T09:00:00Z',
      end: '2026-09-07T10:00:00Z',
      recurrence: {
        pattern: { type: 'relativeYearly', interval: 1, month: 9, daysOfWeek: ['monday'], index: 'first' },
        range: { type: 'numbered', numberOfOccurrences: 2, startDate: '2026-01-05' },
      },
    });
    expect(
      starts(await instances(ORGANIZER, relative.id!, '2026-01-01T00:00:00Z', '2030-01-01T00:00:00Z')),
    ).toEqual(['2026-09-07T09:00', '2027-09-06T09:00']);
  });

  it('B3: numbered and endDate ranges; weekly with interval 2, several days and firstDayOfWeek (GDC resources/recurrencerange.md)', async () => {
    const p = organizer();
    const numbered = p.createMeeting({
      subject: 'TD',
      start: '2026-01-05T13:00:00Z',
      end: '2026-01-05T14:00:00Z',
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 2,
          daysOfWeek: ['wednesday', 'monday'],
          firstDayOfWeek: 'monday',
        },
        range: { type: 'numbered', numberOfOccurrences: 5, startDate: '2026-01-05' },
      },
    });
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-06-01T00:00:00Z';
    expect(starts(await instances(ORGANIZER, numbered.id!, from, to))).toEqual([
      '2026-01-05T13:00',
      '2026-01-07T13:00',
      '2026-01-19T13:00',
      '2026-01-21T13:00',
      '2026-02-02T13:00',
    ]);
    const until = p.createMeeting({
      subject: 'Permanence',
      start: '2026-01-05T16:00:00Z',
      end: '2026-01-05T17:00:00Z',
      recurrence: {
        pattern: { type: 'daily', interval: 2 },
        range: { type: 'endDate', startDate: '2026-01-05', endDate: '2026-01-13' },
      },
    });
    expect(starts(await instances(ORGANIZER, until.id!, from, to))).toEqual([
      '2026-01-05T16:00',
      '2026-01-07T16:00',
      '2026-01-09T16:00',
      '2026-01-11T16:00',
      '2026-01-13T16:00',
    ]);
    // Invalid input is refused with nothing stored.
    const before = p.events().length;
    expect(() =>
      p.createMeeting({
        subject: 'Mauvais',
        start: '2026-01-05T16:00:00Z',
        end: '2026-01-05T17:00:00Z',
        recurrence: {
          pattern: { type: 'relativeMonthly', daysOfWeek: [] },
          range: { type: 'noEnd', startDate: '2026-01-05' },
        },
      }),
    ).toThrow(/daysOfWeek/);
    expect(p.events()).toHaveLength(before);
  });

  it('B3: a noEnd series expands only over the window asked for', async () => {
    const daily = organizer().createMeeting({
      subject: 'Tous les jours',
      start: '2026-01-05T12:00:00Z',
      end: '2026-01-05T12:30:00Z',
      recurrence: {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'noEnd', startDate: '2026-01-05' },
      },
    });
    expect(
      await instances(ORGANIZER, daily.id!, '2026-01-05T00:00:00Z', '2026-01-15T00:00:00Z'),
    ).toHaveLength(10);
    expect(await view(ORGANIZER, '2030-01-01T00:00:00Z', '2030-01-04T00:00:00Z')).toHaveLength(3);
    expect(await view(ORGANIZER, '2026-01-05T00:00:00Z', '2027-01-05T00:00:00Z')).toHaveLength(365);
  });

  it('B3: /events lists singles and masters; /instances, calendarView and calendarView/delta list singles, occurrences and exceptions — no masters (GDC concepts/delta-query-events.md)', async () => {
    const p = organizer();
    const single = p.createMeeting({
      subject: 'Seul',
      start: '2026-01-07T08:00:00Z',
      end: '2026-01-07T09:00:00Z',
    });
    const series = p.createMeeting({
      subject: 'Série',
      start: '2026-01-06T09:00:00Z',
      end: '2026-01-06T10:00:00Z',
      recurrence: weekly('tuesday', '2026-01-06', { type: 'numbered', numberOfOccurrences: 3 }),
    });
    const listed = (await graph.api(`/users/${ORGANIZER}/events`).get()).value as Ev[];
    expect(listed.map((e) => [e.id, e.type])).toEqual([
      [series.id, 'seriesMaster'],
      [single.id, 'singleInstance'],
    ]);
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-02-01T00:00:00Z';
    expect((await instances(ORGANIZER, series.id!, from, to)).map((e) => e.type)).toEqual([
      'occurrence',
      'occurrence',
      'occurrence',
    ]);
    expect((await view(ORGANIZER, from, to)).map((e) => e.type)).toEqual([
      'occurrence',
      'singleInstance',
      'occurrence',
      'occurrence',
    ]);
    const first = await graph
      .api(`/users/${ORGANIZER}/calendarView/delta?startDateTime=${from}&endDateTime=${to}`)
      .get();
    expect((first.value as Ev[]).map((e) => e.type).sort()).toEqual([
      'occurrence',
      'occurrence',
      'occurrence',
      'singleInstance',
    ]);
    expect((first.value as Ev[]).every((e) => e.id !== series.id)).toBe(true);
    // One occurrence cancelled: the replay removes that occurrence, and says nothing of a master.
    const occ = await instances(ORGANIZER, series.id!, from, to);
    p.cancelMeeting(occ[1].id!);
    const replay = await graph.api(relativeLink(first['@odata.deltaLink'], emu)).get();
    const removed = (replay.value as Ev[]).filter((e) => e['@removed']).map((e) => e.id);
    expect(removed).toEqual([occ[1].id]);
    expect(
      (replay.value as Ev[])
        .filter((e) => !e['@removed'])
        .map((e) => e.id)
        .sort(),
    ).toEqual([occ[0].id, occ[2].id].sort());
  });

  const subscribeTo = async (mailbox: string): Promise<Receiver> => {
    const r = await startReceiver(goodWebhook);
    receivers.push(r);
    await graph.api('/subscriptions').post({
      changeType: 'created,updated,deleted',
      notificationUrl: `${r.url}/n`,
      resource: `/users/${mailbox}/events`,
      expirationDateTime: new Date(emu.control.clock.nowMs() + 4000 * 60_000).toISOString(),
    });
    return r;
  };
  const notifiedIds = (r: Receiver): string[] =>
    r.received
      .filter((x) => !x.query.has('validationToken'))
      .flatMap((x) => (JSON.parse(x.body) as { value: Array<{ resourceData: { id: string } }> }).value)
      .map((n) => n.resourceData.id);

  const roomSeries = (count = 4, room = ROOM): MSGraph.Event =>
    organizer().createMeeting({
      subject: 'Cours',
      start: '2026-01-06T09:00:00Z',
      end: '2026-01-06T10:00:00Z',
      rooms: [room],
      recurrence: weekly('tuesday', '2026-01-06', { type: 'numbered', numberOfOccurrences: count }),
    });
  const roomMaster = (iCalUId: string): MSGraph.Event =>
    emu.control.findEventsByICalUId(iCalUId).find((e) => e.mailbox === ROOM)!.event;

  it('B3: moving one occurrence makes an exception with its originalStart, in the room copy too, notified on the master (docs#5520)', async () => {
    const series = roomSeries();
    const r = await subscribeTo(ROOM);
    const occ = await instances(ORGANIZER, series.id!, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
    organizer().moveMeeting(occ[1].id!, { start: '2026-01-14T15:00:00Z', end: '2026-01-14T16:00:00Z' });
    await emu.control.flushNotifications();
    const master = roomMaster(series.iCalUId!);
    expect(new Set(notifiedIds(r))).toEqual(new Set([master.id]));
    const roomView = await view(ROOM, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z');
    const moved = roomView.find((e) => e.type === 'exception')!;
    expect(moved).toMatchObject({
      seriesMasterId: master.id,
      originalStart: '2026-01-13T09:00:00.000Z',
      iCalUId: occ[1].iCalUId,
    });
    expect(moved.start!.dateTime).toMatch(/^2026-01-14T15:00/);
    expect(roomView.filter((e) => e.type === 'occurrence')).toHaveLength(3);
    // Graph's PATCH on an occurrence id does the same.
    const patched = await graph.api(`/users/${ORGANIZER}/events/${occ[2].id}`).patch({
      start: { dateTime: '2026-01-20T11:00:00', timeZone: 'UTC' },
      end: { dateTime: '2026-01-20T12:00:00', timeZone: 'UTC' },
    });
    expect(patched).toMatchObject({
      type: 'exception',
      originalStart: '2026-01-20T09:00:00.000Z',
      seriesMasterId: series.id,
    });
  });

  it('B3: cancelling one occurrence removes it for everyone, notified on the master; DELETE on an occurrence id too', async () => {
    const series = roomSeries();
    const r = await subscribeTo(ROOM);
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-03-01T00:00:00Z';
    const occ = await instances(ORGANIZER, series.id!, from, to);
    organizer().cancelMeeting(occ[0].id!);
    await graph.api(`/users/${ORGANIZER}/events/${occ[3].id}`).delete();
    await emu.control.flushNotifications();
    expect(new Set(notifiedIds(r))).toEqual(new Set([roomMaster(series.iCalUId!).id]));
    expect((await instances(ORGANIZER, series.id!, from, to)).map((e) => e.id)).toEqual([
      occ[1].id,
      occ[2].id,
    ]);
    expect((await view(ROOM, from, to)).map((e) => e.originalStart)).toEqual([
      occ[1].originalStart,
      occ[2].originalStart,
    ]);
    await expect(graph.api(`/users/${ORGANIZER}/events/${occ[0].id}`).get()).rejects.toMatchObject({
      statusCode: 404,
    });
    // An original start the pattern never produces names nothing.
    await expect(
      graph.api(`/users/${ORGANIZER}/events/${series.id}~${Date.parse('2026-01-07T09:00:00Z')}`).get(),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('B3: a room declining ONE occurrence drops it from its calendar only; the organizer sees that answer on that occurrence', async () => {
    const lea = 'lea.dubois@universite.test';
    const series = organizer().createMeeting({
      subject: 'Cours',
      start: '2026-01-06T09:00:00Z',
      end: '2026-01-06T10:00:00Z',
      rooms: [ROOM],
      attendees: [lea],
      recurrence: weekly('tuesday', '2026-01-06', { type: 'numbered', numberOfOccurrences: 3 }),
    });
    const r = await subscribeTo(ROOM);
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-03-01T00:00:00Z';
    const roomOcc = await view(ROOM, from, to);
    await graph.api(`/users/${ROOM}/events/${roomOcc[1].id}/decline`).post({ sendResponse: true });
    await emu.control.flushNotifications();
    expect(new Set(notifiedIds(r))).toEqual(new Set([roomMaster(series.iCalUId!).id]));
    expect((await view(ROOM, from, to)).map((e) => e.originalStart)).toEqual([
      roomOcc[0].originalStart,
      roomOcc[2].originalStart,
    ]);
    expect(await view(lea, from, to)).toHaveLength(3);
    const status = (e: Ev): string | undefined =>
      e.attendees!.find((a) => a.emailAddress?.address === ROOM)?.status?.response ?? undefined;
    const orgOcc = await instances(ORGANIZER, series.id!, from, to);
    expect(orgOcc.map(status)).toEqual(['accepted', 'declined', 'accepted']);
    // The organizer's later update of the series does not bring the declined occurrence back.
    organizer().updateMeeting(series.id!, { subject: 'Cours (salle confirmée)' });
    expect(await view(ROOM, from, to)).toHaveLength(2);
  });

  it('B3: a change of the recurrence pattern drops the exceptions and cancellations (Outlook: "Any exceptions associated with this recurring appointment will be lost")', async () => {
    const series = roomSeries();
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-03-01T00:00:00Z';
    const occ = await instances(ORGANIZER, series.id!, from, to);
    const p = organizer();
    p.moveMeeting(occ[1].id!, { start: '2026-01-13T15:00:00Z', end: '2026-01-13T16:00:00Z' });
    p.cancelMeeting(occ[2].id!);
    // A change of range only keeps them.
    p.updateMeeting(series.id!, {
      recurrence: weekly('tuesday', '2026-01-06', { type: 'numbered', numberOfOccurrences: 5 }),
    });
    expect((await instances(ORGANIZER, series.id!, from, to)).map((e) => e.type)).toEqual([
      'occurrence',
      'exception',
      'occurrence',
      'occurrence',
    ]);
    const roomBefore = await view(ROOM, from, to);
    const delta = await graph
      .api(`/users/${ROOM}/calendarView/delta?startDateTime=${from}&endDateTime=${to}`)
      .get();
    // A new pattern (Thursdays) drops them all.
    p.updateMeeting(series.id!, {
      start: '2026-01-08T09:00:00Z',
      end: '2026-01-08T10:00:00Z',
      recurrence: weekly('thursday', '2026-01-08', { type: 'numbered', numberOfOccurrences: 4 }),
    });
    const after = await instances(ORGANIZER, series.id!, from, to);
    expect(starts(after)).toEqual([
      '2026-01-08T09:00',
      '2026-01-15T09:00',
      '2026-01-22T09:00',
      '2026-01-29T09:00',
    ]);
    expect(after.every((e) => e.type === 'occurrence')).toBe(true);
    const roomAfter = await view(ROOM, from, to);
    expect(roomAfter.every((e) => e.type === 'occurrence')).toBe(true);
    // The room's delta replay removes the old occurrences and brings the new ones.
    const replay = (await graph.api(relativeLink(delta['@odata.deltaLink'], emu)).get()).value as Ev[];
    expect(
      replay
        .filter((e) => e['@removed'])
        .map((e) => e.id)
        .sort(),
    ).toEqual(roomBefore.map((e) => e.id).sort());
    expect(
      replay
        .filter((e) => !e['@removed'])
        .map((e) => e.id)
        .sort(),
    ).toEqual(roomAfter.map((e) => e.id).sort());
  });

  describe('other rooms or people for one occurrence (an exception with its own attendees)', () => {
    const ROOM_B = 'salle-a102@universite.test';
    const LEA = 'lea.dubois@universite.test';
    const from = '2026-01-01T00:00:00Z';
    const to = '2026-03-01T00:00:00Z';
    const roomsOf = (e: Ev): string[] =>
      (e.attendees ?? []).map((a) => a.emailAddress!.address!).filter((a) => a.startsWith('salle-'));
    const statusOf = (e: Ev, who: string): string | undefined =>
      e.attendees!.find((a) => a.emailAddress?.address === who)?.status?.response ?? undefined;

    it("B3: a room added to ONE occurrence gets it alone — an orphan instance: type exception, no seriesMasterId, the occurrence's own iCalUId — notified as its own item (MS-OXOCAL; MS-ASEMAIL InstanceType 4)", async () => {
      const series = roomSeries();
      const rA = await subscribeTo(ROOM);
      const rB = await subscribeTo(ROOM_B);
      const occ = await instances(ORGANIZER, series.id!, from, to);
      organizer().changeRooms(occ[1].id!, [ROOM, ROOM_B]);
      await emu.control.flushNotifications();
      // The organizer's occurrence is an exception listing both rooms, B has accepted it.
      const orgOcc = await instances(ORGANIZER, series.id!, from, to);
      expect(orgOcc[1]).toMatchObject({ type: 'exception', originalStart: occ[1].originalStart });
      expect(roomsOf(orgOcc[1]).sort()).toEqual([ROOM, ROOM_B]);
      expect(statusOf(orgOcc[1], ROOM_B)).toBe('accepted');
      expect(orgOcc.filter((o) => o !== orgOcc[1]).every((o) => roomsOf(o).join() === ROOM)).toBe(true);
      // Room B holds that occurrence only, as an item of its own: /events lists it, calendarView too.
      const bView = await view(ROOM_B, from, to);
      expect(bView).toHaveLength(1);
      const orphan = bView[0];
      expect(orphan).toMatchObject({
        type: 'exception',
        seriesMasterId: null,
        iCalUId: occ[1].iCalUId,
        originalStart: occ[1].originalStart,
        responseStatus: { response: 'accepted' },
      });
      expect(orphan.start!.dateTime).toMatch(/^2026-01-13T09:00/);
      const bEvents = (await graph.api(`/users/${ROOM_B}/events`).get()).value as Ev[];
      expect(bEvents.map((e) => e.id)).toEqual([orphan.id]);
      expect(
        (
          await graph
            .api(`/users/${ROOM_B}/events/${orphan.id}/instances?startDateTime=${from}&endDateTime=${to}`)
            .get()
        ).value,
      ).toEqual([]);
      expect(new Set(notifiedIds(rB))).toEqual(new Set([orphan.id]));
      // Room A keeps all four, the exception naming both rooms; notified on its master.
      const aView = await view(ROOM, from, to);
      expect(aView).toHaveLength(4);
      expect(roomsOf(aView[1]).sort()).toEqual([ROOM, ROOM_B]);
      expect(new Set(notifiedIds(rA))).toEqual(new Set([roomMaster(series.iCalUId!).id]));
    });

    it('B3: a room replaced in ONE occurrence (Graph PATCH of attendees) loses that occurrence, notified on its master; the new room gets the orphan; a person added gets it too', async () => {
      const series = roomSeries();
      const rA = await subscribeTo(ROOM);
      const occ = await instances(ORGANIZER, series.id!, from, to);
      await graph.api(`/users/${ORGANIZER}/events/${occ[2].id}`).patch({
        attendees: [
          { type: 'resource', emailAddress: { address: ROOM_B } },
          { type: 'required', emailAddress: { address: LEA } },
        ],
      });
      await emu.control.flushNotifications();
      expect((await view(ROOM, from, to)).map((e) => e.originalStart)).toEqual([
        occ[0].originalStart,
        occ[1].originalStart,
        occ[3].originalStart,
      ]);
      expect(new Set(notifiedIds(rA))).toEqual(new Set([roomMaster(series.iCalUId!).id]));
      expect((await view(ROOM_B, from, to)).map((e) => e.iCalUId)).toEqual([occ[2].iCalUId]);
      const leas = await view(LEA, from, to);
      expect(leas).toMatchObject([{ iCalUId: occ[2].iCalUId, type: 'exception', seriesMasterId: null }]);
      // The room's later series processing does not count the occurrence it was left out of.
      organizer().updateMeeting(series.id!, { subject: 'Cours (mis à jour)' });
      expect(await view(ROOM, from, to)).toHaveLength(3);
      expect(await view(ROOM_B, from, to)).toHaveLength(1);
    });

    it('B3: an added room that is busy for that occurrence declines it (that occurrence only); the organizer sees the decline on it', async () => {
      const series = roomSeries();
      const occ = await instances(ORGANIZER, series.id!, from, to);
      emu.control.person(LEA).createMeeting({
        subject: 'Déjà là',
        start: '2026-01-13T09:30:00Z',
        end: '2026-01-13T10:30:00Z',
        rooms: [ROOM_B],
      });
      organizer().changeRooms(occ[1].id!, [ROOM, ROOM_B]);
      expect((await view(ROOM_B, from, to)).map((e) => e.subject)).toEqual([LEA_NAME]);
      const orgOcc = await instances(ORGANIZER, series.id!, from, to);
      expect(statusOf(orgOcc[1], ROOM_B)).toBe('declined');
      expect(statusOf(orgOcc[1], ROOM)).toBe('accepted');
      expect(await view(ROOM, from, to)).toHaveLength(4);
    });

    it('B3: a new pattern drops the exception with its own attendees: the orphan copies go, the left-out room gets the occurrences back; cancelling the series removes orphans too', async () => {
      const series = roomSeries();
      const occ = await instances(ORGANIZER, series.id!, from, to);
      organizer().changeRooms(occ[1].id!, [ROOM, ROOM_B]);
      organizer().changeRooms(occ[2].id!, [ROOM_B]);
      organizer().updateMeeting(occ[3].id!, { attendees: [LEA] });
      expect(await view(ROOM_B, from, to)).toHaveLength(2);
      expect(await view(ROOM, from, to)).toHaveLength(3);
      const leaBefore = await view(LEA, from, to);
      expect(leaBefore).toHaveLength(1);
      const rB = await subscribeTo(ROOM_B);
      organizer().updateMeeting(series.id!, {
        start: '2026-01-08T09:00:00Z',
        end: '2026-01-08T10:00:00Z',
        recurrence: weekly('thursday', '2026-01-08', { type: 'numbered', numberOfOccurrences: 4 }),
      });
      await emu.control.flushNotifications();
      expect(await view(ROOM_B, from, to)).toEqual([]);
      expect(notifiedIds(rB)).toHaveLength(2);
      expect(await view(ROOM, from, to)).toHaveLength(4);
      expect(
        (await instances(ORGANIZER, series.id!, from, to)).every((o) => roomsOf(o).join() === ROOM),
      ).toBe(true);
      // A person's orphan stays, cancelled, as a cancelled single meeting does.
      expect(await view(LEA, from, to)).toMatchObject([{ id: leaBefore[0].id, isCancelled: true }]);
      // Cancelling the whole series takes its orphans with it.
      const again = await instances(ORGANIZER, series.id!, from, to);
      organizer().changeRooms(again[0].id!, [ROOM, ROOM_B]);
      expect(await view(ROOM_B, from, to)).toHaveLength(1);
      organizer().cancelMeeting(series.id!);
      expect(await view(ROOM_B, from, to)).toEqual([]);
    });

    it('B3: a room declining its orphan (its delegate, or the service) drops it; the organizer sees that answer, and later series edits do not offer it again', async () => {
      const series = roomSeries();
      const occ = await instances(ORGANIZER, series.id!, from, to);
      organizer().changeRooms(occ[1].id!, [ROOM, ROOM_B]);
      const orphan = (await view(ROOM_B, from, to))[0];
      await graph.api(`/users/${ROOM_B}/events/${orphan.id}/decline`).post({ sendResponse: true });
      expect(await view(ROOM_B, from, to)).toEqual([]);
      expect(statusOf((await instances(ORGANIZER, series.id!, from, to))[1], ROOM_B)).toBe('declined');
      organizer().updateMeeting(series.id!, { subject: 'Cours (bis)' });
      expect(await view(ROOM_B, from, to)).toEqual([]);
    });
  });

  it('B3: a series with one conflicting occurrence is declined whole by the room (MaximumConflictInstances=0, ConflictPercentageAllowed=0)', () => {
    emu.control.person('lea.dubois@universite.test').createMeeting({
      subject: 'Occupé',
      start: '2026-01-20T09:30:00Z',
      end: '2026-01-20T10:30:00Z',
      rooms: [ROOM],
    });
    const series = roomSeries(4);
    expect(roomResponse(series.id!)).toBe('declined');
    expect(roomHasCopy(series.iCalUId!)).toBe(false);
    // Without the conflict (a shorter series) the room accepts it.
    const shorter = organizer().createMeeting({
      subject: 'Court',
      start: '2026-01-06T11:00:00Z',
      end: '2026-01-06T12:00:00Z',
      rooms: [ROOM],
      recurrence: weekly('tuesday', '2026-01-06', { type: 'numbered', numberOfOccurrences: 4 }),
    });
    expect(roomResponse(shorter.id!)).toBe('accepted');
    // Its own occurrences never conflict with themselves when it is processed again.
    organizer().updateMeeting(shorter.id!, { subject: 'Court (modifié)' });
    expect(roomResponse(shorter.id!)).toBe('accepted');
  });

  it('B3: a series reaching past the booking window is declined whole (EnforceSchedulingHorizon=true), a noEnd series always; AllowRecurringMeetings', () => {
    const inside = roomSeries(4, SHORT_WINDOW_ROOM); // last occurrence on day 22 of a 30-day window
    expect(roomResponse(inside.id!, SHORT_WINDOW_ROOM)).toBe('accepted');
    emu.control.reset();
    const past = roomSeries(6, SHORT_WINDOW_ROOM); // last one on day 36
    expect(roomResponse(past.id!, SHORT_WINDOW_ROOM)).toBe('declined');
    expect(roomHasCopy(past.iCalUId!, SHORT_WINDOW_ROOM)).toBe(false);
    const forever = organizer().createMeeting({
      subject: 'Sans fin',
      start: '2026-01-07T09:00:00Z',
      end: '2026-01-07T10:00:00Z',
      rooms: [ROOM],
      recurrence: weekly('wednesday', '2026-01-07', { type: 'noEnd' }),
    });
    expect(roomResponse(forever.id!)).toBe('declined');
    emu.control.updateRoom(ROOM, { allowRecurringMeetings: false });
    const refused = roomSeries(2);
    expect(roomResponse(refused.id!)).toBe('declined');
  });

  it('B3: MaximumDurationInMinutes applies to each occurrence, an exception included (Set-CalendarProcessing)', () => {
    const LIMITED = 'salle-a103@universite.test'; // 240 minutes at most
    const series = organizer().createMeeting({
      subject: 'Atelier',
      start: '2026-01-06T08:00:00Z',
      end: '2026-01-06T11:00:00Z',
      rooms: [LIMITED],
      recurrence: weekly('tuesday', '2026-01-06', { type: 'numbered', numberOfOccurrences: 3 }),
    });
    expect(roomResponse(series.id!, LIMITED)).toBe('accepted');
    const second = organizer().occurrence(series.id!, '2026-01-13T08:00:00Z');
    organizer().moveMeeting(second.id!, { start: '2026-01-13T08:00:00Z', end: '2026-01-13T13:00:00Z' });
    expect(roomResponse(series.id!, LIMITED)).toBe('declined');
    expect(roomHasCopy(series.iCalUId!, LIMITED)).toBe(false);
  });

  it('B3: the HTTP control API creates a series in a time zone and lists or finds its occurrences', async () => {
    const post = (path: string, body: unknown): Promise<Response> =>
      fetch(`${emu.url}/_emulator${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = (await (
      await post(`/people/${ORGANIZER}/meetings`, {
        subject: 'HTTP',
        timeZone: 'Europe/Paris',
        start: '2026-01-06T10:00:00',
        end: '2026-01-06T11:00:00',
        rooms: [ROOM],
        recurrence: {
          pattern: { type: 'weekly', daysOfWeek: ['tuesday'] },
          range: { type: 'numbered', numberOfOccurrences: 2 },
        },
      })
    ).json()) as Ev;
    expect(created.type).toBe('seriesMaster');
    const base = `${emu.url}/_emulator/people/${ORGANIZER}/meetings/${created.id}/occurrences`;
    const list = (await (
      await fetch(`${base}?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`)
    ).json()) as { value: Ev[] };
    expect(starts(list.value)).toEqual(['2026-01-06T09:00', '2026-01-13T09:00']);
    const one = (await (await fetch(`${base}?originalStart=2026-01-13T09:00:00Z`)).json()) as Ev;
    expect(one.id).toBe(list.value[1].id);
    expect((await fetch(base)).status).toBe(400);
    expect(
      (
        await post(`/people/${ORGANIZER}/meetings`, {
          subject: 'x',
          timeZone: 'Mars/Olympus',
          start: '2026-01-06T10:00:00',
          end: '2026-01-06T11:00:00',
        })
      ).status,
    ).toBe(400);
  });
});
