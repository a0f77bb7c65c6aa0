import type { Kysely, Selectable } from 'kysely';
import type { Gap } from '../../contract/admin';
import type { SyncGapsTable } from './tables/integration';
import type { Schema } from './schema';

/**
 * Gaps in notification coverage: a room whose changes between `from` and `to` may never have
 * reached us (subscription removed, missed notifications, expired). Reconcile reads the open ones,
 * replays the room's calendar over them with delta, then resolves them. A gap is the admin API's
 * own shape (contract/admin.ts).
 */
export type { Gap };

export interface Gaps {
  record(gap: { roomEmail: string; from: Date; to: Date; reason: string }): Promise<Gap>;
  listOpen(roomEmail?: string): Promise<Gap[]>;
  list(limit?: number): Promise<Gap[]>;
  resolve(ids: number[], at: Date): Promise<void>;
}

type Row = Selectable<SyncGapsTable>;
const iso = (d: Date | string): string => new Date(d).toISOString();

const toGap = (r: Row): Gap => ({
  id: Number(r.id),
  roomEmail: r.room_email,
  from: iso(r.from_at),
  to: iso(r.to_at),
  reason: r.reason,
  createdAt: iso(r.created_at),
  resolvedAt: r.resolved_at ? iso(r.resolved_at) : null,
});

export interface GapHooks {
  /** Called after each gap is saved (B2: main.ts asks for a reconcile pass of its room). */
  onRecorded?(gap: Gap): void;
}

export function createGaps(db: Kysely<Schema>, hooks: GapHooks = {}): Gaps {
  return {
    async record(gap) {
      const from = gap.from <= gap.to ? gap.from : gap.to;
      const row = await db
        .insertInto('sync_gaps')
        .values({ room_email: gap.roomEmail.toLowerCase(), from_at: from, to_at: gap.to, reason: gap.reason })
        .returningAll()
        .executeTakeFirstOrThrow();
      const saved = toGap(row);
      hooks.onRecorded?.(saved);
      return saved;
    },
    async listOpen(roomEmail) {
      let q = db.selectFrom('sync_gaps').selectAll().where('resolved_at', 'is', null);
      if (roomEmail) q = q.where('room_email', '=', roomEmail.toLowerCase());
      return (await q.orderBy('id').execute()).map((r) => toGap(r));
    },
    async list(limit = 100) {
      const rows = await db.selectFrom('sync_gaps').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => toGap(r));
    },
    async resolve(ids, at) {
      if (ids.length === 0) return;
      await db.updateTable('sync_gaps').set({ resolved_at: at }).where('id', 'in', ids).execute();
    },
  };
}
