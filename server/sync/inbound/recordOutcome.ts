import { activePlaceEmails, type Plan } from '../rules/plan';
import type { SyncedRoom } from '../rules/syncedRoom';
import { describeDecision } from '../rules/wording';
import type { Applied } from './applyToHector';
import type { CopyRead, InboundDeps, InboundOutcome } from './deps';

/**
 * What the job leaves behind: the link (the loan, the copy as read, and the copy the loan now
 * follows), one journal entry with the reasons (B4) and one log line.
 */
export async function recordOutcome(
  read: CopyRead,
  plan: Plan,
  { decision, after, changes }: Applied,
  syncedRooms: SyncedRoom[],
  deps: InboundDeps,
): Promise<InboundOutcome> {
  const { job, room, copy, copyId, iCalUId } = read;
  const followsCopy = plan.kind === 'want' && plan.desired.followsCopy && decision.kind !== 'ignored';
  await deps.links.upsertLink({
    iCalUId,
    ...(after ? { loanId: after.id } : {}),
    organizerEmail: copy?.organizer.email ?? undefined,
    ...(followsCopy && copy?.lastModified ? { meetingModifiedAt: new Date(copy.lastModified) } : {}),
    roomCopy: {
      roomEmail: room,
      eventId: copyId,
      state: copy && !copy.isCancelled ? 'live' : 'gone',
      readAt: read.readAt,
      etag: read.etag,
    },
  });

  const roomName = syncedRooms.find((r) => r.email === room)?.name ?? room;
  const message = describeDecision(decision, { loanNumber: after?.number ?? null, roomName, changes });
  await deps.journal.record({
    kind: decision.kind,
    message,
    iCalUId,
    eventId: copyId,
    roomEmail: room,
    loanId: after?.id ?? null,
    details: {
      decision: decision.kind,
      reasons: decision.reasons,
      ...(decision.kind === 'updated' ? { changed: decision.changed, changes } : {}),
      loanNumber: after?.number ?? null,
      changeType: job.changeType,
      items: after ? activePlaceEmails(after) : [],
    },
  });
  deps.logger.info(
    {
      event: `loan.${decision.kind}`,
      loanId: after?.id ?? null,
      iCalUId,
      room,
      ...(decision.kind === 'updated' ? { changed: decision.changed } : {}),
    },
    message,
  );
  return { decision, loanId: after?.id ?? null, iCalUId };
}
