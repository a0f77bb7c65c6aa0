import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { ReconcileRun, ReconcileRunReason, ReconcileRunState, RoomDrift } from '../../contract/admin';
import type { Schema } from './schema';

export type RunError = ReconcileRun['errors'][number];

/** The re-sync runs an admin asked for, and their progress (table of migration 012). */
export interface ReconcileRuns {
  /** A new run, 'queued'. */
  create(roomEmail: string | null, reason?: ReconcileRunReason): Promise<ReconcileRun>;
  get(id: string): Promise<ReconcileRun | null>;
  /** The newest run (by when it was asked for); null when none was ever made. */
  latest(): Promise<ReconcileRun | null>;
  /** The drift report, kept with the run (answered once the run is finished). */
  setDrift(id: string, drift: RoomDrift[]): Promise<void>;
  /** An error that is not a room's pass (the drift report of a room that could not be read). */
  addError(id: string, error: RunError): Promise<void>;
  /** The run's room (null: every room), whatever its state. */
  roomOf(id: string): Promise<string | null | undefined>;
  started(id: string, roomsTotal: number): Promise<void>;
  /** One room passed (items handed to the inbound queue), or failed (with its error). */
  roomDone(id: string, items: number, error?: RunError): Promise<void>;
  finished(
    id: string,
    state: Extract<ReconcileRunState, 'finished' | 'failed'>,
    error?: RunError,
  ): Promise<void>;
}

type Row = Awaited<ReturnType<typeof selectRun>>;

const selectRun = (db: Kysely<Schema>, id: string) =>
  db.selectFrom('sync_reconcile_runs').selectAll().where('id', '=', id).executeTakeFirst();

const iso = (value: Date | string | null): string | null => (value ? new Date(value).toISOString() : null);

function toRun(row: NonNullable<Row>): ReconcileRun {
  return {
    id: row.id,
    state: row.state as ReconcileRunState,
    roomsDone: row.rooms_done,
    roomsTotal: row.rooms_total,
    itemsQueued: row.items_queued,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    errors: Array.isArray(row.errors) ? row.errors : [],
    ...(row.reason ? { reason: row.reason as ReconcileRunReason } : {}),
    // Only a finished run's report is final: one read mid-way would miss the rooms still to pass.
    ...(row.state === 'finished' && Array.isArray(row.drift) ? { drift: row.drift } : {}),
  };
}

export function createReconcileRuns(db: Kysely<Schema>, now: () => Date): ReconcileRuns {
  const appendError = (error: RunError | undefined) =>
    error ? sql<RunError[]>`errors || ${JSON.stringify([error])}::jsonb` : sql<RunError[]>`errors`;
  return {
    async create(roomEmail, reason = 'on demand') {
      const id = randomUUID();
      await db
        .insertInto('sync_reconcile_runs')
        .values({ id, room_email: roomEmail, state: 'queued', errors: '[]', reason, created_at: now() })
        .execute();
      return toRun((await selectRun(db, id))!);
    },
    async get(id) {
      const row = await selectRun(db, id);
      return row ? toRun(row) : null;
    },
    async latest() {
      const row = await db
        .selectFrom('sync_reconcile_runs')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row ? toRun(row) : null;
    },
    async setDrift(id, drift) {
      await db
        .updateTable('sync_reconcile_runs')
        .set({ drift: JSON.stringify(drift) })
        .where('id', '=', id)
        .execute();
    },
    async addError(id, error) {
      await db
        .updateTable('sync_reconcile_runs')
        .set({ errors: appendError(error) })
        .where('id', '=', id)
        .execute();
    },
    async roomOf(id) {
      return (await selectRun(db, id))?.room_email;
    },
    async started(id, roomsTotal) {
      // A run picked up again (its process died mid-way) starts over: every room is passed again.
      await db
        .updateTable('sync_reconcile_runs')
        .set({
          state: 'running',
          rooms_total: roomsTotal,
          rooms_done: 0,
          items_queued: 0,
          errors: '[]',
          drift: null,
          started_at: now(),
          finished_at: null,
        })
        .where('id', '=', id)
        .execute();
    },
    async roomDone(id, items, error) {
      await db
        .updateTable('sync_reconcile_runs')
        .set({
          rooms_done: sql`rooms_done + 1`,
          items_queued: sql`items_queued + ${items}`,
          errors: appendError(error),
        })
        .where('id', '=', id)
        .execute();
    },
    async finished(id, state, error) {
      await db
        .updateTable('sync_reconcile_runs')
        .set({ state, finished_at: now(), errors: appendError(error) })
        .where('id', '=', id)
        .execute();
    },
  };
}
