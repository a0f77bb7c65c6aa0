import type { Kysely, Selectable } from 'kysely';
import type { RoomRemovalReview } from '../../contract/admin';
import { AppError, notFound } from '../errors';
import type { RoomRemovalReviewsTable } from './tables/directory';
import type { Schema } from './schema';

/** A review as stored: the contract's shape without the message (the use case words it). */
export type StoredRoomRemovalReview = Omit<RoomRemovalReview, 'message'>;

export interface RoomRemovalReviews {
  /** The review waiting for the admin, if any. */
  pending(): Promise<StoredRoomRemovalReview | null>;
  /** The newest review that is not superseded (pending, confirmed or dismissed). */
  latest(): Promise<StoredRoomRemovalReview | null>;
  /** A new pending review; an older pending one is superseded by it. */
  open(input: {
    source: 'places' | 'users';
    seen: number;
    activeBefore: number;
    rooms: string[];
    at: Date;
  }): Promise<StoredRoomRemovalReview>;
  /** A later import was not suspicious: nothing waits any more. */
  supersedePending(at: Date): Promise<void>;
  /** 404 for an unknown id, 409 when it is no longer pending. */
  decide(id: number, status: 'confirmed' | 'dismissed', at: Date): Promise<StoredRoomRemovalReview>;
}

type Row = Selectable<RoomRemovalReviewsTable>;
const iso = (d: Date | string): string => new Date(d).toISOString();

const toReview = (r: Row): StoredRoomRemovalReview => ({
  id: Number(r.id),
  detectedAt: iso(r.detected_at),
  source: r.source === 'users' ? 'users' : 'places',
  seen: r.seen,
  activeBefore: r.active_before,
  rooms: [...(r.emails as string[])],
  status: r.status,
  decidedAt: r.decided_at ? iso(r.decided_at) : null,
});

export function createRoomRemovalReviews(db: Kysely<Schema>): RoomRemovalReviews {
  const supersede = (at: Date) =>
    db
      .updateTable('room_removal_reviews')
      .set({ status: 'superseded', decided_at: at })
      .where('status', '=', 'pending')
      .execute();
  return {
    async pending() {
      const row = await db
        .selectFrom('room_removal_reviews')
        .selectAll()
        .where('status', '=', 'pending')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? toReview(row) : null;
    },
    async latest() {
      const row = await db
        .selectFrom('room_removal_reviews')
        .selectAll()
        .where('status', '!=', 'superseded')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? toReview(row) : null;
    },
    async open(input) {
      return db.transaction().execute(async (tx) => {
        await tx
          .updateTable('room_removal_reviews')
          .set({ status: 'superseded', decided_at: input.at })
          .where('status', '=', 'pending')
          .execute();
        const row = await tx
          .insertInto('room_removal_reviews')
          .values({
            detected_at: input.at,
            source: input.source,
            seen: input.seen,
            active_before: input.activeBefore,
            emails: JSON.stringify([...input.rooms].sort()),
            status: 'pending',
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toReview(row);
      });
    },
    async supersedePending(at) {
      await supersede(at);
    },
    async decide(id, status, at) {
      const row = await db
        .updateTable('room_removal_reviews')
        .set({ status, decided_at: at })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      if (row) return toReview(row);
      const exists = await db
        .selectFrom('room_removal_reviews')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirst();
      if (!exists) throw notFound(`No room removal review ${id}.`);
      throw new AppError('CONFLICT', `Room removal review ${id} is already ${exists.status}.`);
    },
  };
}
