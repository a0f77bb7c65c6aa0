import request from 'supertest';
import type { PendingRoomRemoval, RoomRemovalDecision, SyncReport } from '../../contract/admin';
import { ADMIN, startStack, type Stack } from '../support/stack';

// R1 in a real tenant (GRAPH-FACTS "Real tenants"): the Places API pages with $top/$skip and never
// sends a nextLink (docs-contrib#341, docs#6427), and its data can lag Exchange by two days
// (docs#7192): an empty or sharply smaller answer deactivates nothing until an admin confirms it.
jest.setTimeout(120_000);
let stack: Stack;
const ADDED = 239; // + the 12 seeded rooms = 251, one of them tagged non-hector → 250 imported
const added = Array.from({ length: ADDED }, (_, i) => `salle-p${String(i).padStart(3, '0')}@universite.test`);
const PENDING = '/api/admin/integration/rooms/pending-removal';

const syncNow = async (): Promise<SyncReport> =>
  (await request(stack.service.url).post('/api/admin/integration/sync').set(ADMIN).expect(200)).body;
const pending = async (): Promise<PendingRoomRemoval> =>
  (await request(stack.service.url).get(PENDING).set(ADMIN).expect(200)).body;
const activePlaces = async (): Promise<string[]> =>
  [...(await stack.places()).values()].filter((p) => p.active).map((p) => p.email!.toLowerCase());
const placesRooms = (): string[] => stack.emulator.control.state().rooms.map((r) => r.emailAddress!);
const removeFromPlaces = (emails: string[]): void => {
  for (const email of emails) stack.emulator.control.updateRoom(email, { remove: true });
};

beforeAll(async () => {
  stack = await startStack({ label: 'rooms-beyond-100' });
  for (const email of added)
    stack.emulator.control.addRoom({ email, displayName: `Salle ${email.slice(6, 10).toUpperCase()}` });
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

it('R1: 250 rooms are imported, past the Places API’s 100 and without a nextLink', async () => {
  const report = await syncNow();
  expect(report.error).toBeUndefined();
  expect(report.rooms?.active).toHaveLength(250);
  expect(report.rooms?.deactivated).toEqual([]);
  expect(await activePlaces()).toHaveLength(250);
  const subscriptions = (
    await request(stack.service.url).get('/api/admin/integration/subscriptions').set(ADMIN).expect(200)
  ).body.subscriptions as unknown[];
  expect(subscriptions).toHaveLength(250);
  expect((await pending()).review).toBeNull();
});

it('R1: fewer than half of the rooms in the answer → nothing deactivated, the admin is asked; dismiss keeps them', async () => {
  const missing = added.slice(0, 200);
  removeFromPlaces(missing);
  const report = await syncNow();
  expect(report.rooms?.deactivated).toEqual([]);
  expect(report.rooms?.pendingRemoval).toHaveLength(200);
  expect(await activePlaces()).toHaveLength(250);

  const { review } = await pending();
  expect(review).toMatchObject({ status: 'pending', seen: 51, activeBefore: 250, source: 'places' });
  expect(review!.rooms).toEqual([...missing].sort());
  expect(review!.message).toMatch(/two days/);
  const warnings = await stack.journal({ kind: 'rooms_import_suspicious' });
  expect(warnings).toHaveLength(1);
  expect(warnings[0].message).toBe(review!.message);

  // The next hourly import asks nothing new for the same rooms.
  await syncNow();
  expect(await stack.journal({ kind: 'rooms_import_suspicious' })).toHaveLength(1);

  const dismissed = (
    await request(stack.service.url).post(`${PENDING}/${review!.id}/dismiss`).set(ADMIN).expect(200)
  ).body as RoomRemovalDecision;
  expect(dismissed).toMatchObject({ review: { id: review!.id, status: 'dismissed' }, deactivated: [] });
  expect((await pending()).review).toBeNull();
  expect(await activePlaces()).toHaveLength(250);
  // Dismissed rooms are not asked about again while Places still misses them.
  await syncNow();
  expect((await pending()).review).toBeNull();
  expect(await activePlaces()).toHaveLength(250);
  await request(stack.service.url).post(`${PENDING}/${review!.id}/confirm`).set(ADMIN).expect(409);
});

it('R1: an empty Places answer deactivates nothing and asks the admin; confirm deactivates the rooms', async () => {
  removeFromPlaces(placesRooms());
  const report = await syncNow();
  expect(report.error).toBeUndefined();
  expect(report.rooms?.deactivated).toEqual([]);
  expect(await activePlaces()).toHaveLength(250);
  const { review } = await pending();
  expect(review).toMatchObject({ status: 'pending', seen: 0, activeBefore: 250 });
  expect(review!.rooms).toHaveLength(250);
  expect(review!.message).toContain('returned no room where 250 are synchronised');
  expect(await stack.journal({ kind: 'rooms_import_suspicious' })).toHaveLength(2);

  const confirmed = (
    await request(stack.service.url).post(`${PENDING}/${review!.id}/confirm`).set(ADMIN).expect(200)
  ).body as RoomRemovalDecision;
  expect(confirmed.review.status).toBe('confirmed');
  expect(confirmed.deactivated).toHaveLength(250);
  expect(await activePlaces()).toEqual([]);
  // R1: deactivated, never deleted.
  expect((await stack.places()).size).toBe(250);
  expect(stack.emulator.control.state().subscriptions).toHaveLength(0);
  expect((await pending()).review).toBeNull();
});

it('R1: the review API validates its input', async () => {
  const url = stack.service.url;
  await request(url).get(PENDING).expect(401);
  await request(url).post(`${PENDING}/abc/confirm`).set(ADMIN).expect(400);
  await request(url).post(`${PENDING}/1/explode`).set(ADMIN).expect(400);
  await request(url).post(`${PENDING}/0/dismiss`).set(ADMIN).expect(400);
  const missing = await request(url).post(`${PENDING}/99999/confirm`).set(ADMIN).expect(404);
  expect(missing.body.error.code).toBe('NOT_FOUND');
});
