import { activePlaceEmails, type Plan } from '../rules/plan';
import type { SyncedRoom } from '../rules/syncedRoom';
import { decisionMessage } from '../rules/wording';
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
    ...(read.series
      ? { series: { iCalUId: read.series.masterICalUId, occurrenceStart: read.series.occurrenceStart } }
      : {}),
    roomCopy: {
      roomEmail: room,
      eventId: copyId,
      state: copy && !copy.isCancelled ? 'live' : 'gone',
      readAt: read.readAt,
      etag: read.etag,
      ...(read.series ? { kind: 'occurrence' as const, seriesMasterId: read.series.masterId } : {}),
    },
  });
  // B3: a series pass sums its occurrences up in one line; only the ones that changed get theirs,
  // and an occurrence whose change left the loan as it was but for a reason (a room added to it
  // declined): said once, not on every periodic pass.
  const quiet =
    Boolean(read.series) &&
    decision.kind === 'in_sync' &&
    (decision.reasons.length === 0 || Boolean(read.series?.recheck));

  const roomName = syncedRooms.find((r) => r.email === room)?.name ?? room;
  const worded = decisionMessage(decision, { loanNumber: after?.number ?? null, roomName, changes });
  const { message } = worded;
  if (!quiet)
    await deps.journal.record({
      kind: decision.kind,
      ...worded,
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
        ...(read.series
          ? {
              series: read.series.masterICalUId,
              seriesPass: read.series.passId,
              occurrenceStart: read.series.occurrenceStart?.toISOString() ?? null,
            }
          : {}),
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
