import { AppError } from '../../errors';
import { decideAndApply } from './decideAndApply';
import type { CopyRead, InboundDeps, InboundOutcome } from './deps';

/** Conflicts found between our availability check and the write: decide again on fresh data. */
const RETRYABLE = new Set(['LOAN_CONFLICT', 'VERSION_CONFLICT']);
const ATTEMPTS = 3;

/**
 * One meeting's copy (a single, or one occurrence of a series), read: decided under the
 * meeting's lock, unless another job read the same copy after us and applied it already.
 */
export async function decideOccurrence(read: CopyRead, deps: InboundDeps): Promise<InboundOutcome> {
  return deps.lock.run(read.iCalUId, async () => {
    const mine = await deps.links.findRoomCopy(read.room, read.copyId);
    if (mine?.lastReadAt && new Date(mine.lastReadAt).getTime() > read.readAt.getTime()) {
      return { decision: null, skipped: 'superseded' as const, loanId: null, iCalUId: read.iCalUId };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await decideAndApply(read, deps);
      } catch (error) {
        const code = error instanceof AppError ? String(error.code) : '';
        if (!RETRYABLE.has(code) || attempt >= ATTEMPTS) throw error;
      }
    }
  });
}
