import type { Client } from '@microsoft/microsoft-graph-client';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { startEmulator, type RunningEmulator } from '../../emulator';
import { graphClientFor, inDays } from './support';

// GRAPH-FACTS "Real tenants": rooms with delegates (office-docs-powershell#4059), only the
// organizer's copy knowing the answers (docs#5281, docs#4579), room answers that come late.
const HUGO = 'hugo.bernard@universite.test';
const LEA = 'lea.dubois@universite.test';
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';

describe('rooms that need a delegate’s approval (office-docs-powershell#4059)', () => {
  let emu: RunningEmulator;
  let graph: Client;
  beforeAll(async () => {
    emu = await startEmulator({ tls: false });
    graph = await graphClientFor(emu);
  });
  afterAll(() => emu.close());
  afterEach(() => emu.control.reset());

  const putRoom = (email: string, body: unknown) =>
    fetch(`${emu.url}/_emulator/rooms/${email}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const copyIn = (mailbox: string, iCalUId: string) =>
    emu.control.findEventsByICalUId(iCalUId).find((c) => c.mailbox === mailbox)?.event;
  const answerOf = (event: MSGraph.Event | undefined, email: string) =>
    event?.attendees?.find((a) => a.emailAddress?.address === email)?.status?.response;

  it('PUT /_emulator/rooms/{email} {"requiresApproval": true} is validated and shows in the state', async () => {
    expect((await putRoom(A101, { requiresApproval: 'yes' })).status).toBe(400);
    expect(emu.control.state().rooms.find((r) => r.emailAddress === A101)?.requiresApproval).toBe(false);
    expect((await putRoom(A101, { requiresApproval: true })).status).toBe(200);
    expect(emu.control.state().rooms.find((r) => r.emailAddress === A101)?.requiresApproval).toBe(true);
  });

  it('a request waits tentative on the room’s calendar; the organizer’s copy shows the room tentative', async () => {
    await putRoom(A101, { requiresApproval: true });
    const m = emu.control.person(HUGO).createMeeting({
      subject: 'Jury',
      start: inDays(2, 9, emu),
      end: inDays(2, 10, emu),
      rooms: [A101, A102],
    });
    const room = copyIn(A101, m.iCalUId!)!;
    expect(room.responseStatus?.response).toBe('tentativelyAccepted');
    expect(room.showAs).toBe('tentative');
    const organizer = copyIn(HUGO, m.iCalUId!);
    expect(answerOf(organizer, A101)).toBe('tentativelyAccepted');
    expect(answerOf(organizer, A102)).toBe('accepted');
    // An update that keeps the times leaves it waiting.
    emu.control.person(HUGO).updateMeeting(m.id!, { subject: 'Jury (salle)' });
    expect(copyIn(A101, m.iCalUId!)?.responseStatus?.response).toBe('tentativelyAccepted');
  });

  it('a delegate accepts through Graph: the room’s copy is accepted, the organizer’s copy says so', async () => {
    await putRoom(A101, { requiresApproval: true });
    const m = emu.control
      .person(HUGO)
      .createMeeting({ subject: 'Jury', start: inDays(2, 9, emu), end: inDays(2, 10, emu), rooms: [A101] });
    const room = copyIn(A101, m.iCalUId!)!;
    await expect(
      graph.api(`/users/${A101}/events/${room.id}/accept`).post({ comment: 42 }),
    ).rejects.toMatchObject({ statusCode: 400 });
    await graph.api(`/users/${A101}/events/${room.id}/accept`).post({ comment: 'OK', sendResponse: true });
    const after = copyIn(A101, m.iCalUId!)!;
    expect(after.responseStatus?.response).toBe('accepted');
    expect(after.showAs).toBe('busy');
    expect(answerOf(copyIn(HUGO, m.iCalUId!), A101)).toBe('accepted');
    const read = (await graph.api(`/users/${A101}/events/${room.id}`).get()) as MSGraph.Event;
    expect(read.responseStatus?.response).toBe('accepted');
    // Moving the meeting asks for approval again.
    emu.control.person(HUGO).moveMeeting(m.id!, { start: inDays(2, 11, emu), end: inDays(2, 12, emu) });
    expect(copyIn(A101, m.iCalUId!)?.responseStatus?.response).toBe('tentativelyAccepted');
  });

  it('a delegate declines through Graph: the room’s copy goes, the organizer’s copy shows the room declined', async () => {
    await putRoom(A101, { requiresApproval: true });
    const m = emu.control
      .person(HUGO)
      .createMeeting({ subject: 'Jury', start: inDays(2, 9, emu), end: inDays(2, 10, emu), rooms: [A101] });
    const room = copyIn(A101, m.iCalUId!)!;
    await graph
      .api(`/users/${A101}/events/${room.id}/decline`)
      .post({ comment: 'Réservée', sendResponse: true });
    expect(copyIn(A101, m.iCalUId!)).toBeUndefined();
    await expect(graph.api(`/users/${A101}/events/${room.id}`).get()).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(answerOf(copyIn(HUGO, m.iCalUId!), A101)).toBe('declined');
  });

  it('a room without delegates still answers on its own (AutoAccept)', () => {
    const m = emu.control
      .person(HUGO)
      .createMeeting({ subject: 'TD', start: inDays(2, 9, emu), end: inDays(2, 10, emu), rooms: [A101] });
    expect(copyIn(A101, m.iCalUId!)?.responseStatus?.response).toBe('accepted');
  });
});

describe('only the organizer’s copy knows the attendees’ answers (docs#5281, docs#4579)', () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ tls: false });
  });
  afterAll(() => emu.close());

  it('room and attendee copies show `none` for everyone; their own answer is their responseStatus', () => {
    const m = emu.control.person(HUGO).createMeeting({
      subject: 'Conseil',
      start: inDays(2, 9, emu),
      end: inDays(2, 10, emu),
      rooms: [A101],
      attendees: [LEA],
    });
    const lea = emu.control.person(LEA);
    const leaCopy = lea.events().find((e) => e.iCalUId === m.iCalUId)!;
    lea.respond(leaCopy.id!, 'accepted');
    const copies = emu.control.findEventsByICalUId(m.iCalUId!);
    const organizer = copies.find((c) => c.mailbox === HUGO)!.event;
    const statuses = (e: MSGraph.Event) =>
      Object.fromEntries((e.attendees ?? []).map((a) => [a.emailAddress?.address, a.status?.response]));
    expect(statuses(organizer)).toEqual({ [A101]: 'accepted', [LEA]: 'accepted' });
    const room = copies.find((c) => c.mailbox === A101)!.event;
    const attendee = copies.find((c) => c.mailbox === LEA)!.event;
    expect(statuses(room)).toEqual({ [A101]: 'none', [LEA]: 'none' });
    expect(statuses(attendee)).toEqual({ [A101]: 'none', [LEA]: 'none' });
    expect(room.responseStatus?.response).toBe('accepted');
    expect(attendee.responseStatus?.response).toBe('accepted');
  });
});

describe('room answers come late (GRAPH-FACTS "Room answers come late")', () => {
  it('roomProcessingDelayMs + roomProcessingJitterMs: the room answers after the delay, within the jitter', async () => {
    const emu = await startEmulator({
      tls: false,
      faults: { roomProcessingDelayMs: 150, roomProcessingJitterMs: 100 },
    });
    try {
      expect(emu.control.faults().roomProcessingJitterMs).toBe(100);
      const started = Date.now();
      const m = emu.control
        .person(HUGO)
        .createMeeting({ subject: 'Tard', start: inDays(2, 9, emu), end: inDays(2, 10, emu), rooms: [A101] });
      const organizer = () =>
        emu.control.findEventsByICalUId(m.iCalUId!).find((c) => c.mailbox === HUGO)!.event;
      expect(organizer().attendees![0].status?.response).toBe('none');
      expect(emu.control.findEventsByICalUId(m.iCalUId!)).toHaveLength(1);
      await emu.control.flushNotifications(); // waits for the rooms' processing too
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(140);
      expect(waited).toBeLessThan(2000);
      expect(organizer().attendees![0].status?.response).toBe('accepted');
    } finally {
      await emu.close();
    }
  });
});
