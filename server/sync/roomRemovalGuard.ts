/**
 * R1 guard (GRAPH-FACTS "Real tenants"): Places data lags Exchange by up to ~48 h (docs#7192) and
 * the API pages oddly, so an empty or sharply smaller answer is not proof that rooms were removed.
 * Such an import deactivates nothing; the rooms it would have deactivated wait for the admin.
 */
import type { RoomRemovalReview } from '../../contract/admin';
import type { Journal } from '../store/journal';
import type { RoomRemovalReviews, StoredRoomRemovalReview } from '../store/roomRemovalReviews';
import { journalMessage } from './journalText/render';
import { suspiciousImportMessage } from './rules/wording';

/** Pure: an answer of no room, or of fewer than half of the active synced ones, is suspicious. */
export function isSuspiciousImport(seen: number, activeBefore: number, wouldDeactivate: number): boolean {
  if (wouldDeactivate === 0) return false;
  return seen === 0 || seen < activeBefore / 2;
}

export const presentReview = (r: StoredRoomRemovalReview): RoomRemovalReview => ({
  ...r,
  message: suspiciousImportMessage({
    source: r.source,
    seen: r.seen,
    activeBefore: r.activeBefore,
    held: r.rooms.length,
  }),
});

const sameRooms = (a: string[], b: string[]): boolean =>
  a.length === b.length && [...a].sort().every((e, i) => e === [...b].sort()[i]);

/**
 * Holds the rooms back and asks the admin once: the same rooms already waiting, or already
 * dismissed by the admin, ask nothing new (an hourly import would otherwise repeat the warning).
 */
export async function holdRemoval(
  deps: { reviews: RoomRemovalReviews; journal: Journal; now: () => Date },
  input: { source: 'places' | 'users'; seen: number; activeBefore: number; rooms: string[] },
): Promise<RoomRemovalReview> {
  const latest = await deps.reviews.latest();
  if (latest && latest.status !== 'confirmed' && sameRooms(latest.rooms, input.rooms))
    return presentReview(latest);
  const review = presentReview(await deps.reviews.open({ ...input, at: deps.now() }));
  await deps.journal.record({
    kind: 'rooms_import_suspicious',
    ...journalMessage('rooms.held', {
      source: review.source,
      seen: review.seen,
      activeBefore: review.activeBefore,
      held: review.rooms.length,
    }),
    details: {
      reviewId: review.id,
      source: review.source,
      seen: review.seen,
      activeBefore: review.activeBefore,
      rooms: review.rooms,
    },
  });
  return review;
}
