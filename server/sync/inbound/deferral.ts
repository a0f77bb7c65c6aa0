import type { RoomEventJob } from '../jobs';
import type { CopyRead, InboundDeps, InboundOutcome } from './deps';

/**
 * Whether this job may still be put off: it has not used every delay of the ladder yet. Past the
 * last one (≈ 4 minutes by default: outbound is failing) the meeting is applied after all, so an
 * Outlook change is never held back for good.
 */
export const mayDefer = (job: RoomEventJob, deps: Pick<InboundDeps, 'deferralLadderMs'>): boolean =>
  (job.deferrals ?? 0) < deps.deferralLadderMs.length;

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
      eventId: read.copyId,
      // B3: an occurrence gone from a series copy while its loan waits stays live here, so the
      // deferred series pass decides it again (and cancels it when the wait runs out).
      state: (read.copy && !read.copy.isCancelled) || (read.series && !read.copy) ? 'live' : 'gone',
      readAt: read.readAt,
      etag: read.etag,
    },
  });
  return { decision: null, skipped: 'deferred', loanId, iCalUId: read.iCalUId };
}
