import { startEmulator, type RunningEmulator } from '../../emulator';
import { inDays } from './support';

const ORGANIZER = 'hugo.bernard@universite.test';

describe('room AutoAccept rules and the HTTP control API (GRAPH-FACTS "Rooms")', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ tls: false });
  });
  afterAll(() => emu.close());
  afterEach(() => emu.control.reset());

  const responses = (eventId: string): Array<string | undefined> =>
    emu.control
      .eventsOf(ORGANIZER)
      .find((e) => e.id === eventId)!
      .attendees!.map((a) => a.status?.response ?? undefined);

  it('declines past the booking window (30 days) and over the maximum duration (240 min)', () => {
    const p = emu.control.person(ORGANIZER);
    const far = p.createMeeting({
      subject: 'Loin',
      start: inDays(40, 9, emu),
      end: inDays(40, 10, emu),
      rooms: ['salle-a202@universite.test', 'salle-a201@universite.test'],
    });
    expect(responses(far.id!)).toEqual(['declined', 'accepted']);
    const long = p.createMeeting({
      subject: 'Long',
      start: inDays(2, 8, emu),
      end: inDays(2, 13, emu),
      rooms: ['salle-a103@universite.test'],
    });
    expect(responses(long.id!)).toEqual(['declined']);
  });

  it('moving a meeting onto a busy slot makes the room decline and drops its copy; a new room processes it', () => {
    const lea = emu.control.person('lea.dubois@universite.test');
    lea.createMeeting({
      subject: 'Occupé',
      start: inDays(3, 14, emu),
      end: inDays(3, 15, emu),
      rooms: ['salle-a101@universite.test'],
    });
    const p = emu.control.person(ORGANIZER);
    const m = p.createMeeting({
      subject: 'TD',
      start: inDays(3, 9, emu),
      end: inDays(3, 10, emu),
      rooms: ['salle-a101@universite.test'],
    });
    expect(emu.control.findEventsByICalUId(m.iCalUId!)).toHaveLength(2);
    p.moveMeeting(m.id!, { start: inDays(3, 14, emu), end: inDays(3, 15, emu) });
    expect(responses(m.id!)).toEqual(['declined']);
    expect(emu.control.findEventsByICalUId(m.iCalUId!).map((e) => e.mailbox)).toEqual([ORGANIZER]);
    p.changeRooms(m.id!, ['salle-a102@universite.test']);
    expect(responses(m.id!)).toEqual(['accepted']);
    p.cancelMeeting(m.id!);
    expect(emu.control.findEventsByICalUId(m.iCalUId!)).toHaveLength(0);
  });

  it('a weekly series: occurrences, an exception and a cancelled occurrence reach the room copy', () => {
    const start = inDays(1, 10, emu);
    const p = emu.control.person(ORGANIZER);
    const series = p.createMeeting({
      subject: 'Séminaire',
      start,
      end: inDays(1, 11, emu),
      rooms: ['salle-b201@universite.test'],
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: [
            (['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const)[
              new Date(start).getUTCDay()
            ],
          ],
        },
        range: { type: 'numbered', startDate: start.slice(0, 10), numberOfOccurrences: 4 },
      },
    });
    expect(responses(series.id!)).toEqual(['accepted']);
    const room = emu.control
      .findEventsByICalUId(series.iCalUId!)
      .find((e) => e.mailbox === 'salle-b201@universite.test')!;
    expect(room.event.type).toBe('seriesMaster');
    expect(room.event.subject).toBe('Hugo Bernard');
  });

  it('the HTTP control API acts as a person and shows calendars', async () => {
    type Ev = { id: string; iCalUId: string; subject: string; start: { dateTime: string } };
    const post = (path: string, body: unknown, method = 'POST'): Promise<Response> =>
      fetch(`${emu.url}/_emulator${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = (await (
      await post(`/people/${ORGANIZER}/meetings`, {
        subject: 'HTTP',
        start: inDays(2, 9, emu),
        end: inDays(2, 10, emu),
        rooms: ['salle-a001@universite.test'],
      })
    ).json()) as Ev;
    expect(created.iCalUId).toBeTruthy();
    const moved = (await (
      await post(
        `/people/${ORGANIZER}/meetings/${created.id}`,
        { start: inDays(2, 11, emu), end: inDays(2, 12, emu) },
        'PATCH',
      )
    ).json()) as Ev;
    expect(moved.start.dateTime).toMatch(/T11:00:00/);
    const roomEvents = (await (
      await fetch(`${emu.url}/_emulator/people/salle-a001@universite.test/events`)
    ).json()) as { value: Ev[] };
    expect(roomEvents.value[0].subject).toBe('Hugo Bernard');
    const clock = (await (await post('/clock', { advanceMs: 86_400_000 })).json()) as { now: string };
    expect(Date.parse(clock.now)).toBeGreaterThan(Date.now() + 86_000_000);
    const state = (await (await fetch(`${emu.url}/_emulator/state`)).json()) as { rooms: unknown[] };
    expect(state.rooms).toHaveLength(12);
    expect((await post(`/people/${ORGANIZER}/meetings/${created.id}/cancel`, {})).status).toBe(204);
  });
});
