import type { Kysely } from 'kysely';
import type { RoomPass } from '../../contract/admin';
import { GraphCallError } from '../graph/errors';
import type { DeltaPage, GraphGateway } from '../graph/gateway';
import type { Logger } from '../logger';
import type { Schema } from '../store/schema';
import type { NewJob } from '../store/queue';
import type { Gaps } from '../store/gaps';
import type { Journal } from '../store/journal';
import { isIntegrationEnabled } from '../store/settings';
import type { RoomEventJob } from './jobs';
import { journalMessage } from './journalText/render';

/** Queue of reconcile passes (scheduled hourly, after a save, per gap, on demand). */
export const RECONCILE_QUEUE = 'reconcile-rooms';

export interface ReconcileJob {
  /** One room (a gap), or every active synced room when absent. */
  roomEmail?: string;
  /** A run an admin asked for, whose progress is recorded (sync/operations/reconcileRun.ts). */
  runId?: string;
  reason: 'activation' | 'gap' | 'schedule' | 'startup' | 'on demand' | string;
}

/** Exchange's default BookingWindowInDays (GRAPH-FACTS "Rooms"). */
export const BOOKING_WINDOW_DAYS = 180;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A delta link keeps the window it was opened on: start a fresh one once a day. */
const FULL_PASS_EVERY_MS = DAY_MS;
const ENQUEUE_CHUNK = 500;

export interface ReconcileDeps {
  db: Kysely<Schema>;
  /** The integration's gateway (null when not configured). */
  graph: () => Promise<GraphGateway | null>;
  gaps: Gaps;
  journal: Journal;
  /** Hands room-copy changes to the inbound queue (the same job a notification makes). */
  enqueue: (jobs: NewJob<RoomEventJob>[]) => Promise<void>;
  now: () => Date;
  logger: Logger;
  bookingWindowDays?: number;
}

/** One room's pass, as POST /api/admin/integration/reconcile answers it (contract/admin.ts). */
export type { RoomPass };

interface SyncedRoom {
  email: string;
  name: string;
}

/**
 * Flow 7 (B1 backfill, B2 self-healing): per active synced room, replay the room's calendar with
 * calendarView delta and hand every item to the inbound job, which decides as for a notification.
 * Nothing here decides about loans: there is one code path from a room copy to a loan.
 */
export async function reconcileRooms(deps: ReconcileDeps, only?: string): Promise<RoomPass[] | null> {
  const graph = await enabledGraph(deps);
  if (!graph) return null;
  let rooms = await syncedRooms(deps.db);
  if (only) rooms = rooms.filter((r) => r.email === only.toLowerCase());
  const passes: RoomPass[] = [];
  // One room at a time: rooms share the app's Graph budget and the inbound queue.
  const quiet: RoomPass[] = [];
  for (const room of rooms) passes.push(await reconcileRoom(deps, graph, room, quiet));
  await recordQuietRooms(deps, quiet);
  return passes;
}

/** Issue 15: the rooms whose pass had nothing to tell share one summary line, not one each. */
async function recordQuietRooms(deps: ReconcileDeps, quiet: RoomPass[]): Promise<void> {
  if (quiet.length === 0) return;
  const changes = quiet.reduce((n, p) => n + p.changes, 0);
  await deps.journal.record({
    kind: 'rooms',
    ...journalMessage('reconcile.summary', { rooms: quiet.length, changes }),
    roomEmail: quiet.length === 1 ? quiet[0].roomEmail : null,
    details: { rooms: quiet.map((p) => p.roomEmail), changes },
  });
}

/** A first pass, an expired link or closed gaps are worth a line of their own. */
const tellsAStory = (pass: RoomPass, first: boolean): boolean =>
  first || pass.expired || pass.gapsResolved > 0;

export async function reconcileRoom(
  deps: ReconcileDeps,
  graph: GraphGateway,
  room: SyncedRoom,
  /** Collects the passes with nothing to tell, for one summary line; absent: this pass's own. */
  quiet?: RoomPass[],
): Promise<RoomPass> {
  const now = deps.now();
  // Gaps recorded before the delta call are covered by it; later ones wait for the next pass.
  const gaps = await deps.gaps.listOpen(room.email);
  const state = await deps.db
    .selectFrom('sync_reconcile_room')
    .selectAll()
    .where('room_email', '=', room.email)
    .executeTakeFirst();
  const windowIsFresh =
    state?.full_pass_at && now.getTime() - new Date(state.full_pass_at).getTime() < FULL_PASS_EVERY_MS;
  const window = {
    start: new Date(now.getTime() - DAY_MS),
    end: new Date(now.getTime() + (deps.bookingWindowDays ?? BOOKING_WINDOW_DAYS) * DAY_MS),
  };

  let page: DeltaPage;
  let full = !(state?.delta_link && windowIsFresh);
  let expired = false;
  if (full) {
    page = await graph.calendarDelta(room.email, window);
  } else {
    try {
      page = await graph.calendarDelta(room.email, { deltaLink: state!.delta_link! });
    } catch (error) {
      if (!isStaleDeltaLink(error)) throw error;
      // GRAPH-FACTS "Delta": expired sync state → start over with a full pass.
      deps.logger.warn({ event: 'reconcile.delta_expired', room: room.email }, 'delta link expired');
      expired = true;
      full = true;
      page = await graph.calendarDelta(room.email, window);
    }
  }

  const subscriptionId = await currentSubscriptionId(deps.db, room.email);
  const receivedAt = now.toISOString();
  // The same item can repeat across pages (GRAPH-FACTS "Delta"): one job per id. Occurrences
  // are read through their series (B3): one job per master, not one per occurrence.
  const jobs = new Map<string, NewJob<RoomEventJob>>();
  for (const id of [...page.events.map((e) => e.seriesMasterId ?? e.id), ...page.removed]) {
    if (!id || jobs.has(id)) continue;
    jobs.set(id, {
      data: { subscriptionId, roomEmail: room.email, eventId: id, changeType: 'reconciled', receivedAt },
      singletonKey: `${room.email}:${id}`,
    });
  }
  const all = [...jobs.values()];
  for (let i = 0; i < all.length; i += ENQUEUE_CHUNK) await deps.enqueue(all.slice(i, i + ENQUEUE_CHUNK));

  // The link is stored only once its items are durably queued: a crash replays the same changes.
  const values = {
    delta_link: page.deltaLink,
    window_start: full ? window.start : (state?.window_start ?? null),
    window_end: full ? window.end : (state?.window_end ?? null),
    full_pass_at: full ? now : (state?.full_pass_at ?? null),
    last_pass_at: now,
    last_changes: all.length,
  };
  await deps.db
    .insertInto('sync_reconcile_room')
    .values({ room_email: room.email, ...values })
    .onConflict((oc) => oc.column('room_email').doUpdateSet(values))
    .execute();
  await deps.gaps.resolve(
    gaps.map((g) => g.id),
    now,
  );

  const pass: RoomPass = {
    roomEmail: room.email,
    changes: all.length,
    full,
    expired,
    gapsResolved: gaps.length,
  };
  const first = state === undefined;
  if (!tellsAStory(pass, first)) {
    if (quiet) quiet.push(pass);
    else await recordQuietRooms(deps, [pass]);
  } else {
    await deps.journal.record({
      kind: gaps.length > 0 ? 'gap' : 'rooms',
      ...describePass(room.name, pass, first),
      roomEmail: room.email,
      details: { ...pass, gapIds: gaps.map((g) => g.id) },
    });
  }
  deps.logger.info({ event: 'reconcile.pass', ...pass }, 'room reconciled');
  return pass;
}

export function describePass(roomName: string, pass: RoomPass, first: boolean) {
  const params = { room: roomName, changes: pass.changes, gaps: pass.gapsResolved };
  if (!pass.full) return journalMessage('reconcile.delta', params);
  if (pass.expired) return journalMessage('reconcile.expired', params);
  return journalMessage(first ? 'reconcile.first' : 'reconcile.full', params);
}

/** 410 Gone or syncStateNotFound (whatever the status): the stored link is useless. */
export function isStaleDeltaLink(error: unknown): boolean {
  if (!(error instanceof GraphCallError)) return false;
  return error.graphStatus === 410 || /syncStateNotFound|resyncRequired/i.test(error.graphCode);
}

export async function enabledGraph(deps: ReconcileDeps): Promise<GraphGateway | null> {
  if (!(await isIntegrationEnabled(deps.db))) return null;
  return deps.graph();
}

export async function syncedRooms(db: Kysely<Schema>): Promise<SyncedRoom[]> {
  return db
    .selectFrom('integration_rooms')
    .select(['email', 'name'])
    .where('active', '=', true)
    .orderBy('email')
    .execute();
}

async function currentSubscriptionId(db: Kysely<Schema>, roomEmail: string): Promise<string> {
  const row = await db
    .selectFrom('graph_subscriptions')
    .select('id')
    .where('room_email', '=', roomEmail)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row?.id ?? '';
}
