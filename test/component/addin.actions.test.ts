import type * as MSGraph from '@microsoft/microsoft-graph-types';
import request from 'supertest';
import type {
  AddinAssetsResponse,
  AddinErrorBody,
  AvailabilityResponse,
  CheckInResponse,
  LoanItemsChanged,
} from '../../contract/addin';
import type { Asset, ListOf, Loan, Store } from '../../contract/hector';
import { AUTO_RELEASE_QUEUE } from '../../server/sync/autoRelease';
import { ADMIN, at, startStack, waitFor, type Stack } from '../support/stack';

// Issue 17: the task pane acts — real service and emulator over HTTP, PGlite, the user's own token.
// The service's business clock is the real time plus an offset the check-in tests move.
jest.setTimeout(90_000);

const ORGANIZER = 'hugo.bernard@universite.test';
const ATTENDEE = 'lea.dubois@universite.test';
const A001 = 'salle-a001@universite.test';
const A101 = 'salle-a101@universite.test';
const A102 = 'salle-a102@universite.test';
const A201 = 'salle-a201@universite.test';
const B201 = 'salle-b201@universite.test';

const clock = { offsetMs: 0 };
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    label: 'addin-actions',
    service: { now: () => new Date(Date.now() + clock.offsetMs) },
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const api = () => request(stack.service.url);
const token = (upn: string) => stack.emulator.control.issueUserToken({ upn });
const bearer = async (upn: string) => ({ Authorization: `Bearer ${await token(upn)}` });

function copyIn(upn: string, iCalUId: string): string {
  const copy = stack.emulator.control.eventsOf(upn).find((e) => e.iCalUId === iCalUId);
  if (!copy?.id) throw new Error(`${upn} has no copy of ${iCalUId}`);
  return copy.id;
}

async function book(rooms: string[], start: string, end: string, subject = 'Réunion') {
  const event = stack.emulator.control.person(ORGANIZER).createMeeting({
    subject,
    start,
    end,
    rooms,
    attendees: [ATTENDEE],
    body: '<p>Ordre du jour : budget</p>',
  });
  const loanId = await waitFor(
    async () => (await stack.journal({ iCalUId: event.iCalUId! })).find((e) => e.loanId)?.loanId ?? undefined,
    { what: `the loan of ${subject}` },
  );
  return { iCalUId: event.iCalUId!, organizerId: event.id!, loanId };
}

const loan = async (id: string): Promise<Loan> =>
  (await api().get(`/api/hector/loans/${id}`).set(ADMIN)).body;

async function createAsset(name: string, category?: string): Promise<Asset> {
  const res = await api()
    .post('/api/hector/assets')
    .set(ADMIN)
    .send({ name, ...(category ? { category } : {}) });
  expect(res.status).toBe(201);
  return res.body as Asset;
}

describe('B7: assets on the meeting’s loan', () => {
  let meeting: Awaited<ReturnType<typeof book>>;
  let projector: Asset;
  let microphone: Asset;
  let blocking: Loan;

  beforeAll(async () => {
    projector = await createAsset('Vidéoprojecteur', 'Vidéo');
    // POST /api/hector/assets keeps accepting {name, storeId?}: no category is null.
    microphone = await createAsset('Micro sans fil');
    meeting = await book([A001], at(3, '09:00'), at(3, '10:30'), 'Séminaire');
    // The microphone is lent by another loan over the meeting's dates (V4).
    const res = await api()
      .post('/api/hector/loans')
      .set(ADMIN)
      .send({
        requester: { email: 'jules.garcia@universite.test' },
        start: at(3, '10:00'),
        end: at(3, '11:00'),
        items: [{ kind: 'asset', id: microphone.id }],
      });
    expect(res.status).toBe(201);
    blocking = res.body as Loan;
  });

  it('B7: an asset keeps its category, and one created with {name} only has none', () => {
    expect(projector.category).toBe('Vidéo');
    expect(microphone.category).toBeNull();
  });

  it('B7 V4: the organizer sees the store’s assets with their availability for the meeting’s dates', async () => {
    const res = await api()
      .get('/api/addin/assets')
      .query({ itemId: meeting.organizerId })
      .set(await bearer(ORGANIZER))
      .set('Accept-Language', 'fr-FR');
    expect(res.status).toBe(200);
    const body = res.body as AddinAssetsResponse;
    expect(body.canChange).toBe(true);
    expect(body.items.find((a) => a.id === projector.id)).toEqual({
      id: projector.id,
      name: 'Vidéoprojecteur',
      category: 'Vidéo',
      available: true,
      onLoan: false,
    });
    const taken = body.items.find((a) => a.id === microphone.id)!;
    expect(taken.available).toBe(false);
    expect(taken.reason).toBe(`Micro sans fil est déjà prise par le prêt #${blocking.number}`);
  });

  it('B7 HC4: an asset added from the pane is an item of the loan and appears in the organizer’s event body', async () => {
    const res = await api()
      .post('/api/addin/loan/items')
      .set(await bearer(ORGANIZER))
      .send({ itemId: meeting.organizerId, assetId: projector.id });
    expect(res.status).toBe(201);
    const changed = res.body as LoanItemsChanged;
    expect(changed.loans.map((l) => l.id)).toEqual([meeting.loanId]);
    expect((await loan(meeting.loanId)).items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'asset',
          id: projector.id,
          name: 'Vidéoprojecteur',
          status: 'active',
        }),
        expect.objectContaining({ kind: 'place', email: A001, status: 'active' }),
      ]),
    );
    const event = await waitFor(
      async () => {
        const e = stack.emulator.control.eventsOf(ORGANIZER).find((x) => x.iCalUId === meeting.iCalUId);
        return e?.body?.content?.includes('Vidéoprojecteur') ? e : undefined;
      },
      { what: 'the asset in the organizer’s event body' },
    );
    // The person's own text stays; Hector's section lists the items and links the loan.
    expect(event.body?.content).toContain('Ordre du jour : budget');
    expect(event.body?.content).toContain('Salle A-001');
    expect(event.body?.content).toContain(meeting.loanId);
    expect(event.subject).toBe('Séminaire');
  });

  it('B7 V4: an asset already lent for those dates is a 409 and nothing changes', async () => {
    const before = await loan(meeting.loanId);
    const res = await api()
      .post('/api/addin/loan/items')
      .set(await bearer(ORGANIZER))
      .send({ itemId: meeting.organizerId, assetId: microphone.id });
    expect(res.status).toBe(409);
    expect((res.body as AddinErrorBody).error.code).toBe('LOAN_CONFLICT');
    expect((res.body as AddinErrorBody).error.message).toContain(`#${blocking.number}`);
    expect((await loan(meeting.loanId)).version).toBe(before.version);
  });

  it('B7: an attendee sees the assets read-only and gets 403 for changes', async () => {
    const attendeeCopy = copyIn(ATTENDEE, meeting.iCalUId);
    const list = await api()
      .get('/api/addin/assets')
      .query({ itemId: attendeeCopy })
      .set(await bearer(ATTENDEE));
    expect(list.status).toBe(200);
    expect((list.body as AddinAssetsResponse).canChange).toBe(false);
    expect((list.body as AddinAssetsResponse).items.find((a) => a.id === projector.id)?.onLoan).toBe(true);

    const add = await api()
      .post('/api/addin/loan/items')
      .set(await bearer(ATTENDEE))
      .send({ itemId: attendeeCopy, assetId: microphone.id });
    expect(add.status).toBe(403);
    expect((add.body as AddinErrorBody).error.code).toBe('NOT_ORGANIZER');
    const remove = await api()
      .delete(`/api/addin/loan/items/${projector.id}`)
      .query({ itemId: attendeeCopy })
      .set(await bearer(ATTENDEE));
    expect(remove.status).toBe(403);
    expect((await loan(meeting.loanId)).items.find((i) => i.id === projector.id)?.status).toBe('active');
  });

  it('B7: bad input is a 400 and changes nothing', async () => {
    const res = await api()
      .post('/api/addin/loan/items')
      .set(await bearer(ORGANIZER))
      .send({ itemId: meeting.organizerId });
    expect(res.status).toBe(400);
    const scope = await api()
      .post('/api/addin/loan/items')
      .set(await bearer(ORGANIZER))
      .send({ itemId: meeting.organizerId, assetId: projector.id, scope: 'upcoming' });
    expect(scope.status).toBe(400);
  });

  it('B7 HC4: the organizer removes the asset (204): the item is cancelled and the body follows', async () => {
    const res = await api()
      .delete(`/api/addin/loan/items/${projector.id}`)
      .query({ itemId: meeting.organizerId })
      .set(await bearer(ORGANIZER));
    expect(res.status).toBe(204);
    expect((await loan(meeting.loanId)).items.find((i) => i.id === projector.id)?.status).toBe('cancelled');
    await waitFor(
      async () => {
        const e = stack.emulator.control.eventsOf(ORGANIZER).find((x) => x.iCalUId === meeting.iCalUId);
        return e && !e.body?.content?.includes('Vidéoprojecteur') && e.body?.content?.includes('budget');
      },
      { what: 'the asset out of the body' },
    );
    const again = await api()
      .delete(`/api/addin/loan/items/${projector.id}`)
      .query({ itemId: meeting.organizerId })
      .set(await bearer(ORGANIZER));
    expect(again.status).toBe(404);
  });
});

describe('B7 B3: a series — this occurrence or all upcoming ones', () => {
  const DAY = 86_400_000;
  it('B7 B3: scope "occurrence" changes one loan; the series itself (or scope "upcoming") every upcoming one', async () => {
    const cable = await createAsset('Câble HDMI', 'Vidéo');
    const first = at(5, '11:00');
    const series = stack.emulator.control.person(ORGANIZER).createMeeting({
      subject: 'Séminaire hebdomadaire',
      start: first,
      end: new Date(Date.parse(first) + 3_600_000).toISOString(),
      rooms: [B201],
      attendees: [ATTENDEE],
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: [
            (['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const)[
              new Date(first).getUTCDay()
            ],
          ],
        },
        range: { type: 'numbered', numberOfOccurrences: 3, startDate: first.slice(0, 10) },
      },
    });
    const occurrences = stack.emulator.control
      .person(ORGANIZER)
      .occurrences(
        series.id!,
        new Date(Date.now() - DAY).toISOString(),
        new Date(Date.now() + 60 * DAY).toISOString(),
      );
    expect(occurrences).toHaveLength(3);
    const loanIds = await Promise.all(
      occurrences.map((o) =>
        waitFor(
          async () =>
            (await stack.journal({ iCalUId: o.iCalUId! })).find((e) => e.loanId)?.loanId ?? undefined,
          { what: 'an occurrence’s loan' },
        ),
      ),
    );
    const second = stack.emulator.control
      .person(ORGANIZER)
      .occurrence(series.id!, occurrences[1].originalStart!);
    const one = await api()
      .post('/api/addin/loan/items')
      .set(await bearer(ORGANIZER))
      .send({ itemId: second.id, assetId: cable.id, scope: 'occurrence' });
    expect(one.status).toBe(201);
    const has = async (id: string) =>
      (await loan(id)).items.some((i) => i.id === cable.id && i.status === 'active');
    expect(await Promise.all(loanIds.map(has))).toEqual([false, true, false]);

    const all = await api()
      .post('/api/addin/loan/items')
      .set(await bearer(ORGANIZER))
      .send({ itemId: series.id, assetId: cable.id });
    expect(all.status).toBe(201);
    expect((all.body as LoanItemsChanged).loans.map((l) => l.id).sort()).toEqual([...loanIds].sort());
    expect(await Promise.all(loanIds.map(has))).toEqual([true, true, true]);

    const removed = await api()
      .delete(`/api/addin/loan/items/${cable.id}`)
      .query({ itemId: second.id, scope: 'upcoming' })
      .set(await bearer(ORGANIZER));
    expect(removed.status).toBe(204);
    expect(await Promise.all(loanIds.map(has))).toEqual([false, false, false]);
  });
});

describe('B8: availability before sending', () => {
  let taken: Loan;
  beforeAll(async () => {
    const places = await stack.places();
    const res = await api()
      .post('/api/hector/loans')
      .set(ADMIN)
      .send({
        requester: { email: 'jules.garcia@universite.test' },
        start: at(4, '10:00'),
        end: at(4, '11:00'),
        items: [{ kind: 'place', id: places.get(A101)!.id }],
      });
    expect(res.status).toBe(201);
    taken = res.body as Loan;
  });

  it('B8 V4: a room taken in Hector says so with the loan number, and free rooms are offered', async () => {
    const res = await api()
      .post('/api/addin/availability')
      .set(await bearer(ORGANIZER))
      .set('Accept-Language', 'en-GB')
      .send({ start: at(4, '10:10'), end: at(4, '10:50'), rooms: [A101.toUpperCase()] });
    expect(res.status).toBe(200);
    const body = res.body as AvailabilityResponse;
    expect(body.rooms).toEqual([
      { email: A101, available: false, reasons: [`Salle A-101 is taken by loan #${taken.number}`] },
    ]);
    expect(body.alternatives.length).toBeGreaterThan(0);
    for (const room of body.alternatives) {
      expect(room.email).not.toBe(A101);
      expect(room.building).toBe(body.alternatives[0].building);
      expect(room.capacity).toBeGreaterThanOrEqual(30);
    }
    // A-102 has A-101's capacity in the same building: the closest match comes first.
    expect(body.alternatives[0]).toEqual(
      expect.objectContaining({ email: A102, name: 'Salle A-102', capacity: 30 }),
    );
  });

  it('B8 K2: the reasons are in the user’s language; a free room is available', async () => {
    const res = await api()
      .post('/api/addin/availability')
      .set(await bearer(ORGANIZER))
      .set('Accept-Language', 'fr-FR')
      .send({ start: at(4, '10:00'), end: at(4, '11:00'), rooms: [A101, B201] });
    const body = res.body as AvailabilityResponse;
    expect(body.rooms[0].reasons).toEqual([`Salle A-101 est déjà prise par le prêt #${taken.number}`]);
    expect(body.rooms[1]).toEqual({ email: B201, available: true, reasons: [] });
    // Sunday is outside the default store's opening schedule (K2).
    const sunday = new Date(at(1, '10:00'));
    sunday.setUTCDate(sunday.getUTCDate() + ((7 - sunday.getUTCDay()) % 7 || 7));
    const end = new Date(sunday.getTime() + 3_600_000);
    const closed = await api()
      .post('/api/addin/availability')
      .set(await bearer(ORGANIZER))
      .set('Accept-Language', 'fr-FR')
      .send({ start: sunday.toISOString(), end: end.toISOString(), rooms: [B201] });
    expect(closed.body.rooms[0].available).toBe(false);
    expect(closed.body.rooms[0].reasons[0]).toMatch(/^Hors des horaires d’ouverture de Salle B-201/);
  });

  it('B8: a malformed request is a 400', async () => {
    const res = await api()
      .post('/api/addin/availability')
      .set(await bearer(ORGANIZER))
      .send({ start: 'tomorrow', end: at(4, '11:00'), rooms: [A101] });
    expect(res.status).toBe(400);
  });
});

describe('B9: check-in and auto-release', () => {
  afterEach(() => {
    clock.offsetMs = 0;
  });
  const moveTo = (iso: string, minutes: number) => {
    clock.offsetMs = new Date(iso).getTime() + minutes * 60_000 - Date.now();
  };
  const checkIn = async (upn: string, itemId: string) =>
    api()
      .post('/api/addin/loan/checkin')
      .set(await bearer(upn))
      .send({ itemId });

  it('B9: inside the window the loan is checked out; outside it is a 409 naming the window', async () => {
    const start = at(2, '13:00');
    const meeting = await book([A201], start, at(2, '14:00'), 'Point équipe');
    moveTo(start, -30);
    const early = await checkIn(ORGANIZER, meeting.organizerId);
    expect(early.status).toBe(409);
    expect((early.body as AddinErrorBody).error.code).toBe('CHECK_IN_CLOSED');
    // 13:00 UTC is 14:00 in Paris: the window is 13:50–14:10 there.
    expect((early.body as AddinErrorBody).error.message).toContain('from 13:50 to 14:10 (Europe/Paris)');
    expect((await loan(meeting.loanId)).checkedInAt).toBeNull();

    moveTo(start, -5);
    const inside = await checkIn(ATTENDEE, copyIn(ATTENDEE, meeting.iCalUId));
    expect(inside.status).toBe(200);
    expect((inside.body as CheckInResponse).loan.status).toBe('out');
    const stored = await loan(meeting.loanId);
    expect(stored.status).toBe('out');
    expect(stored.checkedInAt).not.toBeNull();
  });

  it('B9: with auto-release at 10 minutes, a meeting nobody checked in is released and its room declines it; one checked in is kept', async () => {
    const stores = (await api().get('/api/hector/stores').set(ADMIN)).body as ListOf<Store>;
    const store = stores.items.find((s) => s.isDefault)!;
    expect(store.autoReleaseMinutes).toBeNull(); // off by default
    await api()
      .patch(`/api/hector/stores/${store.id}`)
      .set(ADMIN)
      .send({ autoReleaseMinutes: 10 })
      .expect(200);

    const start = at(1, '15:00');
    const ghost = await book([A102], start, at(1, '16:00'), 'Réunion fantôme');
    const kept = await book([B201], start, at(1, '16:00'), 'Réunion tenue');
    moveTo(start, 2);
    expect((await checkIn(ORGANIZER, kept.organizerId)).status).toBe(200);

    moveTo(start, 11);
    await stack.service.queue.send(AUTO_RELEASE_QUEUE, { data: {} });
    await waitFor(async () => (await loan(ghost.loanId)).status === 'cancelled', { what: 'the release' });
    const roomCopy = (room: string, iCalUId: string): MSGraph.Event | undefined =>
      stack.emulator.control.eventsOf(room).find((e) => e.iCalUId === iCalUId && !e.isCancelled);
    await waitFor(async () => !roomCopy(A102, ghost.iCalUId), { what: 'A-102 to decline the meeting' });
    const organizerCopy = stack.emulator.control
      .eventsOf(ORGANIZER)
      .find((e) => e.iCalUId === ghost.iCalUId)!;
    expect(
      organizerCopy.attendees?.find((a) => a.emailAddress?.address?.toLowerCase() === A102)?.status?.response,
    ).toBe('declined');
    expect((await loan(ghost.loanId)).items.every((i) => i.status === 'cancelled')).toBe(true);
    const journal = await stack.journal({ loanId: ghost.loanId });
    expect(
      journal.some((e) => e.kind === 'cancelled' && /nobody checked in within 10 minutes/.test(e.message)),
    ).toBe(true);

    const keptLoan = await loan(kept.loanId);
    expect(keptLoan.status).toBe('out');
    expect(roomCopy(B201, kept.iCalUId)).toBeDefined();
    await api()
      .patch(`/api/hector/stores/${store.id}`)
      .set(ADMIN)
      .send({ autoReleaseMinutes: null })
      .expect(200);
  });
});
