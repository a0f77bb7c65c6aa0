import type { Clock } from '../clock';
import type { JobQueue } from '../store/queue';
import type { InboundDeps, InboundOutcome } from './inbound/deps';
import { syncRoomEvent } from './inbound/syncRoomEvent';
import { ROOM_EVENT_QUEUE, type RoomEventJob } from './jobs';

export interface RoomEventWorkerDeps {
  inbound: InboundDeps;
  queue: Pick<JobQueue, 'send'>;
  /** Real time: pg-boss compares `startAfter` with the database's clock. */
  wallClock: Clock;
}

/**
 * The worker of the room-event queue the intake fills (flow 4): one room-copy change, and when
 * inbound defers it (the loan has Hector changes not in Outlook yet) the same change queued again
 * after the next delay of the ladder. A newer job for the copy, if one waits, does it instead.
 */
export async function workRoomEvent(job: RoomEventJob, deps: RoomEventWorkerDeps): Promise<InboundOutcome> {
  const outcome = await syncRoomEvent(job, deps.inbound);
  if (outcome.skipped === 'deferred') {
    const ladder = deps.inbound.deferralLadderMs;
    const deferrals = job.deferrals ?? 0;
    const delayMs = ladder[Math.min(deferrals, ladder.length - 1)];
    await deps.queue.send<RoomEventJob>(ROOM_EVENT_QUEUE, {
      data: { ...job, deferrals: deferrals + 1 },
      singletonKey: `${job.roomEmail}:${job.eventId}`,
      startAfter: new Date(deps.wallClock().getTime() + delayMs),
    });
  }
  return outcome;
}
