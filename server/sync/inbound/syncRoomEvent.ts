import type { RoomEventJob } from '../jobs';
import { decideOccurrence } from './decideOccurrence';
import type { InboundDeps, InboundOutcome } from './deps';
import { isOutcome, readCopy } from './readCopy';
import { syncSeries } from './syncSeries';

/**
 * Flow 4, one room-copy change: read the room's copy → find the meeting's link → decide with
 * the pure rules → apply only the difference to Hector (origin outlook) → link and journal.
 * Notifications are triggers: whatever this job was told, it acts on the copy as it is now.
 * A series (B3) is read as its master and decided occurrence by occurrence (syncSeries).
 */
export async function syncRoomEvent(job: RoomEventJob, deps: InboundDeps): Promise<InboundOutcome> {
  const settings = await deps.settings();
  const graph = settings?.enabled ? await deps.graph() : null;
  if (!settings || !graph) return { decision: null, skipped: 'disabled', loanId: null, iCalUId: null };
  const room = job.roomEmail.toLowerCase();
  const redirect = await deps.copyGate.run(`${room}\n${job.eventId}`, async () => {
    const read = await readCopy(job, room, settings, graph, deps);
    if (isOutcome(read)) return read;
    if ('seriesMasterId' in read) return read;
    if (read.isSeries) return syncSeries(read, deps);
    return decideOccurrence(read, deps);
  });
  // An occurrence's own id (a reconcile's delta, an older job): its series is read as a whole.
  // A rich copy is the occurrence's, not the master's: the series is read (syncSeries).
  if ('seriesMasterId' in redirect)
    return syncRoomEvent({ ...job, eventId: redirect.seriesMasterId, rich: undefined }, deps);
  return redirect;
}
