import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { RoomEventJob } from '../jobs';
import { journalMessage } from '../journalText/render';
import type { InboundDeps } from './deps';

/**
 * Issue 18 (B10): the room copy a rich notification carried, when it can decide the change
 * without a GET; null when the job must read it (and, when the copy was refused, a journal line
 * that says why). It cannot decide a deletion (no resource data), a copy that failed validation,
 * its signature or decryption, one that lacks a field, nor a meeting whose link lost its loan: only
 * the loan-id extended property, which rich data cannot carry, tells Hector's replaced meetings
 * (sync/inbound/planning.ts). A meeting new to us has no link yet; outbound links the meetings
 * it makes as soon as Graph answers the create, before the rooms' booking assistant (seconds,
 * GRAPH-FACTS "Room answers come late") makes the room copies this notification is about.
 */
export async function richCopyOf(
  job: RoomEventJob,
  room: string,
  deps: InboundDeps,
): Promise<MSGraph.Event | null> {
  if (!job.rich || !deps.rich || job.changeType === 'deleted') return null;
  const opened = await deps.rich.open(job.rich, job.eventId);
  if (!opened.ok) {
    deps.logger.warn(
      { event: 'inbound.rich_refused', roomEmail: room, eventId: job.eventId, reason: opened.reason },
      'rich notification not used; reading the copy',
    );
    await deps.journal.record({
      kind: opened.suspicious ? 'error' : 'subscription',
      roomEmail: room,
      eventId: job.eventId,
      ...journalMessage('notification.read', { room, reason: opened.reason }),
      details: { subscriptionId: job.subscriptionId, suspicious: opened.suspicious },
    });
    return null;
  }
  const iCalUId = opened.event.iCalUId;
  const link = iCalUId ? await deps.links.findMeetingLink(iCalUId) : null;
  if (link && link.loanId === null) return null;
  return opened.event;
}
