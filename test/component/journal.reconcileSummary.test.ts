import request from 'supertest';
import type { JournalPage } from '../../contract/journal';
import { settled } from '../support/settled';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';

// Issue 15: a periodic pass that finds nothing to change writes one summary line, not one "in
// sync" line per event. The service's clock moves a day on, so the pass re-reads every event of
// every room (the daily full pass); nothing changed in Outlook meanwhile.
jest.setTimeout(60_000);
const A101 = 'salle-a101@universite.test';
const ORGANIZER = 'hugo.bernard@universite.test';
const HOUR = 60 * 60 * 1000;
const clock = { offsetMs: 0 };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    label: 'journal-summary',
    service: { now: () => new Date(Date.now() + clock.offsetMs) },
  });
}, 90_000);

afterAll(async () => {
  await stack?.close();
});

const allEntries = async (lang = 'en') =>
  (
    (await request(stack.service.url).get('/api/admin/journal').query({ limit: 1000, lang }).set(ADMIN))
      .body as JournalPage
  ).items;

describe('a reconcile pass with nothing to change', () => {
  it('B4: writes one summary line for the whole pass, not one in-sync line per event', async () => {
    const meeting = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Conseil',
      start: at(2, '09:00'),
      end: at(2, '10:00'),
      rooms: [A101],
    });
    await waitFor(async () => (await stack.journal({ iCalUId: meeting.iCalUId! })).find((e) => e.loanId), {
      what: 'the loan of the meeting',
    });
    await settled(stack);
    const before = new Set((await allEntries()).map((e) => e.id));

    clock.offsetMs = 25 * HOUR;
    const res = await request(stack.service.url).post('/api/admin/integration/reconcile').set(ADMIN).send({});
    expect(res.status).toBe(200);
    const passes = res.body.rooms as Array<{ roomEmail: string; changes: number; full: boolean }>;
    expect(passes.length).toBeGreaterThan(1);
    expect(passes.every((p) => p.full)).toBe(true);
    const reRead = passes.reduce((n, p) => n + p.changes, 0);
    expect(passes.find((p) => p.roomEmail === A101)?.changes).toBeGreaterThanOrEqual(1);
    await settled(stack);

    const added = (await allEntries()).filter((e) => !before.has(e.id));
    expect(added).toEqual([
      expect.objectContaining({
        kind: 'rooms',
        code: 'reconcile.summary',
        params: { rooms: passes.length, changes: reRead },
        message: `Re-sync pass over ${passes.length} rooms: ${reRead} ${reRead === 1 ? 'event' : 'events'} read again; only what changed has its own line.`,
      }),
    ]);
    const inFrench = (await allEntries('fr')).find((e) => e.id === added[0].id);
    expect(inFrench?.message).toMatch(new RegExp(`^Resynchronisation de ${passes.length} salles : `));
    // The meeting still has its one loan: the re-read went through the inbound job unchanged.
    const loans = (await stack.loansOfRoom(A101)).filter((l) => l.start === at(2, '09:00'));
    expect(loans).toHaveLength(1);
  });

  it('B4: a pass that does change something records that change as its own line beside the summary', async () => {
    const meeting = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Jury',
      start: at(3, '11:00'),
      end: at(3, '12:00'),
      rooms: [A101],
    });
    await waitFor(async () => (await stack.journal({ iCalUId: meeting.iCalUId! })).find((e) => e.loanId), {
      what: 'the loan of the second meeting',
    });
    await settled(stack);
    const before = new Set((await allEntries()).map((e) => e.id));
    clock.offsetMs = 50 * HOUR;
    stack.emulator.control.setFaults({
      notifications: { ...stack.emulator.control.faults().notifications, dropRate: 1 },
    });
    stack.emulator.control.person(ORGANIZER).updateMeeting(meeting.id!, {
      start: at(3, '13:00'),
      end: at(3, '14:00'),
    });
    await settled(stack);
    stack.emulator.control.setFaults({
      notifications: { ...stack.emulator.control.faults().notifications, dropRate: 0 },
    });
    expect(
      (await request(stack.service.url).post('/api/admin/integration/reconcile').set(ADMIN).send({})).status,
    ).toBe(200);
    await settled(stack);
    const added = (await allEntries()).filter((e) => !before.has(e.id));
    expect(added.map((e) => e.code ?? e.kind).sort()).toEqual(['inbound.updated', 'reconcile.summary']);
  });
});
