import { AppError } from '../../errors';
import type { RoomEventJob } from '../jobs';
import { decideAndApply } from './decideAndApply';
import type { CopyRead, InboundDeps, InboundOutcome } from './deps';
import { isOutcome, readCopy } from './readCopy';

/** Conflicts found between our availability check and the write: decide again on fresh data. */
const RETRYABLE = new Set(['LOAN_CONFLICT', 'VERSION_CONFLICT']);
const ATTEMPTS = 3;

/**
 * Flow 4, one room-copy change: read the room's copy → find the meeting's link → decide with
 * the pure rules → apply only the difference to Hector (origin outlook) → link and journal.
 * Notifications are triggers: whatever this job was told, it acts on the copy as it is now.
 */
export async function syncRoomEvent(job: RoomEventJob, deps: InboundDeps): Promise<InboundOutcome> {
  const settings = await deps.settings();
  const graph = settings?.enabled ? await deps.graph() : null;
  if (!settings || !graph) return { decision: null, skipped: 'disabled', loanId: null, iCalUId: null };
  const room = job.roomEmail.toLowerCase();
  return deps.copyGate.run(`${room}\n${job.eventId}`, async () => {
    const read = await readCopy(job, room, settings, graph, deps);
    if (isOutcome(read)) return read;
    return deps.lock.run(read.iCalUId, async () => {
      // Another job read this copy after us and has applied it: ours is stale.
      const mine = await deps.links.findRoomCopy(room, read.copyId);
      if (mine?.lastReadAt && new Date(mine.lastReadAt).getTime() > read.readAt.getTime()) {
        return { decision: null, skipped: 'superseded' as const, loanId: null, iCalUId: read.iCalUId };
      }
      return decideWithRetries(read, deps);
    });
  });
}

async function decideWithRetries(read: CopyRead, deps: InboundDeps): Promise<InboundOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await decideAndApply(read, deps);
    } catch (error) {
      const code = error instanceof AppError ? String(error.code) : '';
      if (!RETRYABLE.has(code) || attempt >= ATTEMPTS) throw error;
    }
  }
}
