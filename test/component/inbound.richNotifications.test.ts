import request from 'supertest';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';
import type { JournalEntry } from '../../contract/journal';

// B10 (issue 18): with RICH_NOTIFICATIONS=on the rooms' subscriptions carry resource data: the
// changed room copy comes inside the notification (validated, signature checked, decrypted) and a
// create or an update costs no Graph GET; the service reads only when the data cannot decide.
jest.setTimeout(120_000);

const ROOM = 'salle-a101@universite.test';
const OTHER = 'salle-b101@universite.test';
const ORGANIZER = 'hugo.bernard@universite.test';
// The business clock, moved by the renewal test (the emulator's clock moves with it).
let offsetMs = 0;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    label: 'inbound-rich',
    env: { RICH_NOTIFICATIONS: 'on' },
    service: {
      now: () => new Date(Date.now() + offsetMs),
      // A certificate that is due for rotation 13 hours after it was made (the renewal test).
      timings: {
        notificationCertificateLifetimeMs: 30 * 86_400_000,
        notificationCertificateRotateBeforeMs: 30 * 86_400_000 - 10 * 3600_000,
      },
    },
  });
  // The activation backfill reads every room's calendar: it must be over before GETs are counted.
  const rooms = [...(await stack.places()).keys()];
  await waitFor(
    async () => {
      const passed = new Set((await stack.journal({ kind: 'rooms' })).map((e) => e.roomEmail?.toLowerCase()));
      return rooms.every((email) => passed.has(email.toLowerCase()));
    },
    { what: 'the backfill of every room', timeoutMs: 60_000 },
  );
  await settle();
}, 90_000);

afterAll(async () => {
  await stack?.close();
});

async function settle(): Promise<void> {
  await stack.emulator.control.flushNotifications();
  await waitFor(async () => (await stack.service.queue.size('inbound-room-event')) === 0, {
    what: 'the inbound queue to drain',
    timeoutMs: 60_000,
  });
}

const loanOf = async (iCalUId: string) => {
  const journal = await stack.journal();
  const id = journal.find((e) => e.iCalUId === iCalUId && e.loanId)?.loanId;
  return id ? (await stack.loans()).find((l) => l.id === id) : undefined;
};

const readEntries = async (): Promise<JournalEntry[]> =>
  (await stack.journal()).filter((e) => (e as { code?: string }).code === 'notification.read');

it('B10: the rooms are subscribed with resource data: a $select, our certificate, at most 1 day', () => {
  const subs = stack.emulator.control.subscriptions();
  expect(subs.length).toBeGreaterThan(0);
  const max = stack.emulator.control.clock.nowMs() + 1440 * 60_000;
  for (const s of subs) {
    expect(s.includeResourceData).toBe(true);
    expect(s.resource).toMatch(/\?\$select=.*iCalUId.*lastModifiedDateTime/);
    expect(s.encryptionCertificateId).toMatch(/^hector-/);
    expect(Date.parse(s.expirationDateTime!)).toBeLessThanOrEqual(max);
  }
});

it('B10: a created and then moved meeting reaches its loan from the notifications alone (no event GET)', async () => {
  const control = stack.emulator.control;
  control.resetStats();
  const who = control.person(ORGANIZER);
  const meeting = who.createMeeting({
    subject: 'Rich',
    start: at(3, '09:00'),
    end: at(3, '10:00'),
    rooms: [ROOM],
  });
  await settle();
  const created = await waitFor(() => loanOf(meeting.iCalUId!), { what: 'the loan' });
  expect(created.start).toBe(at(3, '09:00'));
  who.moveMeeting(meeting.id!, { start: at(3, '11:00'), end: at(3, '12:00') });
  await settle();
  await waitFor(async () => (await loanOf(meeting.iCalUId!))?.start === at(3, '11:00'), { what: 'the move' });
  expect(control.stats().eventReads).toBe(0);
  expect(await readEntries()).toHaveLength(0);
});

it.each([
  ['signature', 'the data signature does not match', 4],
  ['token', 'a validation token is invalid (bad signature)', 7],
] as const)(
  'B10: a notification with a forged %s is not trusted: the copy is read instead, and the journal says why',
  async (tamper, reason, day) => {
    const control = stack.emulator.control;
    const who = control.person(ORGANIZER);
    const meeting = who.createMeeting({
      subject: `Forged ${tamper}`,
      start: at(day, '09:00'),
      end: at(day, '10:00'),
      rooms: [ROOM],
    });
    await settle();
    await waitFor(() => loanOf(meeting.iCalUId!), { what: 'the loan' });
    control.resetStats();
    control.setFaults({ richTamper: tamper });
    who.moveMeeting(meeting.id!, { start: at(day, '15:00'), end: at(day, '16:00') });
    await settle();
    control.setFaults({ richTamper: null });
    await waitFor(async () => (await loanOf(meeting.iCalUId!))?.start === at(day, '15:00'), {
      what: 'the move',
    });
    expect(control.stats().eventReads).toBeGreaterThan(0);
    const entries = await readEntries();
    const mine = entries.filter((e) => e.roomEmail === ROOM && e.message.includes(reason));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0].kind).toBe('error');
  },
);

it('B10: 1-day subscriptions are renewed and moved onto a new certificate without losing a change', async () => {
  const control = stack.emulator.control;
  const who = control.person(ORGANIZER);
  const meeting = who.createMeeting({
    subject: 'Rotation',
    start: at(5, '09:00'),
    end: at(5, '10:00'),
    rooms: [ROOM],
  });
  await settle();
  await waitFor(() => loanOf(meeting.iCalUId!), { what: 'the loan' });
  const before = new Map(control.subscriptions().map((s) => [s.id!, s]));
  const oldCertificate = [...before.values()][0].encryptionCertificateId;

  // 13 hours later: within 12 h of the end of every 1-day subscription, and the certificate due.
  offsetMs += 13 * 3600_000;
  control.clock.advance(13 * 3600_000);
  // A change whose notification (encrypted with the old certificate) arrives after the rotation.
  control.setFaults({ notifications: { ...control.faults().notifications, delayMs: 1500 } });
  who.moveMeeting(meeting.id!, { start: at(5, '13:00'), end: at(5, '14:00') });
  const sync = await request(stack.service.url).post('/api/admin/integration/sync').set(ADMIN);
  expect(sync.status).toBe(200);
  control.setFaults({ notifications: { ...control.faults().notifications, delayMs: 0 } });

  const after = control.subscriptions();
  expect(after.map((s) => s.id).sort()).toEqual([...before.keys()].sort());
  for (const s of after) {
    expect(Date.parse(s.expirationDateTime!)).toBeGreaterThan(
      Date.parse(before.get(s.id!)!.expirationDateTime!),
    );
    expect(Date.parse(s.expirationDateTime!)).toBeLessThanOrEqual(control.clock.nowMs() + 1440 * 60_000);
    expect(s.encryptionCertificateId).not.toBe(oldCertificate);
  }
  control.resetStats();
  await settle();
  await waitFor(async () => (await loanOf(meeting.iCalUId!))?.start === at(5, '13:00'), {
    what: 'the late change',
  });
  // And one under the new certificate.
  who.moveMeeting(meeting.id!, { start: at(5, '15:00'), end: at(5, '16:00') });
  await settle();
  await waitFor(async () => (await loanOf(meeting.iCalUId!))?.start === at(5, '15:00'), {
    what: 'the next change',
  });
  expect(control.stats().eventReads).toBe(0);
  expect(await readEntries()).toHaveLength(2); // the two forged ones above, none here
});

it('B10: the old key is kept while it may still be needed, then dropped; the private key is sealed at rest', async () => {
  const control = stack.emulator.control;
  const certificates = () =>
    stack.service.database.db
      .selectFrom('notification_certificates')
      .selectAll()
      .orderBy('created_at')
      .execute();
  const rows = await certificates();
  expect(rows).toHaveLength(2);
  expect(rows[0].superseded_at).not.toBeNull();
  expect(rows[1].superseded_at).toBeNull();
  for (const r of rows) expect(r.private_key).not.toMatch(/PRIVATE KEY/);
  // A day after it was superseded, with no subscription naming it, the old key goes.
  for (let step = 0; step < 2; step++) {
    offsetMs += 12 * 3600_000;
    control.clock.advance(12 * 3600_000);
    const sync = await request(stack.service.url).post('/api/admin/integration/sync').set(ADMIN);
    expect(sync.status).toBe(200);
  }
  // (The test's certificates are due every 10 hours: each pass made a new one.)
  const left = await certificates();
  expect(left.map((r) => r.id)).not.toContain(rows[0].id);
  const current = left.find((r) => r.superseded_at === null)!;
  expect(control.subscriptions().every((s) => s.encryptionCertificateId === current.id)).toBe(true);
  const now = Date.now() + offsetMs;
  for (const r of left.filter((r) => r.superseded_at !== null))
    expect(now - new Date(r.superseded_at!).getTime()).toBeLessThan(24 * 3600_000);
});

it('B10: reauthorizationRequired is answered by reauthorizing the subscription', async () => {
  const control = stack.emulator.control;
  const sub = control.subscriptions()[0];
  await control.sendLifecycle(sub.id!, 'reauthorizationRequired');
  await waitFor(
    async () =>
      (await stack.journal({ kind: 'subscription' })).some(
        (e) => (e as { code?: string }).code === 'subscription.reauthorized',
      ),
    { what: 'the reauthorization' },
  );
});

it('B10: where Graph refuses rich notifications the room falls back to a plain subscription, whose changes are read', async () => {
  const control = stack.emulator.control;
  control.setFaults({ refuseRichSubscriptions: [OTHER] });
  const old = control.subscriptions().find((s) =>
    s.resource?.toLowerCase().includes(
      control
        .state()
        .users.find((u) => u.userPrincipalName === OTHER)!
        .id!.toLowerCase(),
    ),
  );
  expect(old).toBeDefined();
  control.expireSubscription(old!.id!);
  const sync = await request(stack.service.url).post('/api/admin/integration/sync').set(ADMIN);
  expect(sync.status).toBe(200);
  const plain = control.subscriptions().filter((s) => !s.includeResourceData);
  expect(plain).toHaveLength(1);
  const journal = await stack.journal({ kind: 'subscription' });
  expect(
    journal.some((e) => (e as { code?: string }).code === 'subscription.plain' && e.roomEmail === OTHER),
  ).toBe(true);

  control.resetStats();
  const meeting = control
    .person(ORGANIZER)
    .createMeeting({ subject: 'Plain', start: at(6, '09:00'), end: at(6, '10:00'), rooms: [OTHER] });
  await settle();
  await waitFor(() => loanOf(meeting.iCalUId!), { what: 'the loan' });
  expect(control.stats().eventReads).toBeGreaterThan(0);
});
