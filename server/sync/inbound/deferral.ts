import type { RoomEventJob } from '../jobs';
import type { CopyRead, InboundDeps, InboundOutcome } from './deps';

/**
 * Delays before reading a deferred copy again. Past the last one (≈ 4 minutes: outbound is
 * failing) the meeting is applied after all, so an Outlook change is never held back for good.
 */
export const DEFERRAL_DELAYS_MS = [
  500, 1000, 2000, 4000, 8000, 15_000, 30_000, 30_000, 30_000, 60_000, 60_000,
];

/** Whether this job may still be put off (it has not used every delay yet). */
export const mayDefer = (job: RoomEventJob): boolean => (job.deferrals ?? 0) < DEFERRAL_DELAYS_MS.length;

/**
 * Puts the decision off (the caller re-queues the job). The copy's read is recorded, so that
 * Graph's duplicates of the same change skip their GET; the loan and what it follows are untouched.
 */
export async function defer(
  read: CopyRead,
  deps: InboundDeps,
  loanId: string | null,
): Promise<InboundOutcome> {
  await deps.links.upsertLink({
    iCalUId: read.iCalUId,
    roomCopy: {
      roomEmail: read.room,
      eventId: read.job.eventId,
      state: read.copy && !read.copy.isCancelled ? 'live' : 'gone',
      readAt: read.readAt,
      etag: read.etag,
    },
  });
  return { decision: null, skipped: 'deferred', loanId, iCalUId: read.iCalUId };
}
