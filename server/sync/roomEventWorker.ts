import type { Clock } from '../clock';
import type { JobContext, JobQueue } from '../store/queue';
import { journalFailures, type FailedJob } from './failures';
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
export async function workRoomEvent(
  job: RoomEventJob,
  deps: RoomEventWorkerDeps,
  attempt: Pick<JobContext, 'retryCount' | 'retryLimit'> = { retryCount: 0, retryLimit: 0 },
): Promise<InboundOutcome | undefined> {
  // B6: a room the app may not read fails every try alike: journaled once, not retried.
  const outcome = await journalFailures(
    () => syncRoomEvent(job, deps.inbound),
    attempt,
    () => failedRoomEvent(job, deps.inbound),
    deps.inbound,
  );
  if (!outcome) return undefined;
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

/** The room, meeting and loan of a failed room-event job, as far as the service knows them. */
async function failedRoomEvent(job: RoomEventJob, deps: InboundDeps): Promise<FailedJob> {
  const room = job.roomEmail.toLowerCase();
  const [link, places] = await Promise.all([
    deps.links.findLinkByEventId(job.eventId, room),
    deps.hector.listPlaces({ synced: true }),
  ]);
  const loan = link?.loanId ? await deps.hector.getLoan(link.loanId) : null;
  return {
    queue: ROOM_EVENT_QUEUE,
    // Every Graph call of inbound reads: the room's copy (or, to help, the organizer's meeting).
    mailbox: room,
    access: 'read',
    roomEmail: room,
    eventId: job.eventId,
    iCalUId: link?.iCalUId ?? null,
    loanId: link?.loanId ?? null,
    subject: {
      mailboxName: places.find((p) => p.email?.toLowerCase() === room)?.name ?? room,
      mailboxIsRoom: true,
      loanNumber: loan?.number ?? null,
      flow: 'inbound',
    },
  };
}
