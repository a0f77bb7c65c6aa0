import type { GraphGateway } from '../../graph/gateway';
import type { RoomEventJob } from '../jobs';
import type { IntegrationSettingsFacts } from '../rules/requester';
import { readRoomCopy } from '../rules/roomCopy';
import { HECTOR_LOAN_ID_PROPERTY_ID } from '../outbound/rules';
import type { CopyRead, InboundDeps, InboundOutcome, SeriesRedirect } from './deps';
import { richCopyOf } from './richCopy';

/**
 * The room's copy as it is now, unless this job's change was already read (a duplicate). A copy
 * gone before we ever saw it has no meeting to decide about: its going is recorded, nothing else.
 */
export async function readCopy(
  job: RoomEventJob,
  room: string,
  settings: IntegrationSettingsFacts,
  graph: GraphGateway,
  deps: InboundDeps,
): Promise<CopyRead | InboundOutcome | SeriesRedirect> {
  // A read that started after this notification arrived has already seen its change.
  const known = await deps.links.findRoomCopy(room, job.eventId);
  // Graph's etag names the copy's version: the one we last applied needs no second read.
  const sameVersion = Boolean(job.etag && known?.lastEtag === job.etag);
  const readSince =
    known?.lastReadAt && new Date(known.lastReadAt).getTime() > new Date(job.receivedAt).getTime();
  // A deferred job was put back on purpose: the read it recorded must not make it a duplicate.
  const again = (job.deferrals ?? 0) > 0;
  if (known && !again && (sameVersion || readSince)) {
    return { decision: null, skipped: 'duplicate', loanId: null, iCalUId: known.iCalUId };
  }

  // Issue 18: the copy a rich notification carried, when it can decide; a deferred job reads.
  const carried = again ? null : await richCopyOf(job, room, deps);
  // A carried copy is as of the change, before the intake got it: never later than receivedAt.
  const readAt = carried ? new Date(job.receivedAt) : deps.wallClock();
  // UTC, immutable id, with the loan id outbound sync put on its events; null on 404. A copy seen
  // gone stays gone (Graph never reuses an id), so a deferred job decides again without a read.
  const event =
    carried ??
    (again && known?.state === 'gone'
      ? null
      : await graph.getEventWithProperty(room, job.eventId, HECTOR_LOAN_ID_PROPERTY_ID));
  const copy = event ? readRoomCopy(event) : null;
  // B3: occurrence changes are notified on the master; an occurrence's id leads to its series.
  if (copy?.seriesMasterId && (copy.type === 'occurrence' || copy.type === 'exception'))
    return { seriesMasterId: copy.seriesMasterId };
  if (!event && known?.kind === 'occurrence' && known.seriesMasterId)
    return { seriesMasterId: known.seriesMasterId };
  const etag = event ? (event as { '@odata.etag'?: unknown })['@odata.etag'] : undefined;
  const iCalUId =
    copy?.iCalUId || known?.iCalUId || (await deps.links.findLinkByEventId(job.eventId, room))?.iCalUId;
  if (!iCalUId) {
    // Gone before we ever saw it (e.g. a room that declined at once): nothing was, nothing is.
    await deps.links.upsertRoomCopy({ roomEmail: room, eventId: job.eventId, state: 'gone', readAt });
    return { decision: null, skipped: 'superseded', loanId: null, iCalUId: null };
  }
  return {
    job,
    room,
    copy,
    copyId: event?.id ?? known?.eventId ?? job.eventId,
    iCalUId,
    readAt,
    settings,
    graph,
    etag: typeof etag === 'string' ? etag : undefined,
    isSeries: copy ? copy.type === 'seriesMaster' : known?.kind === 'series',
  };
}

export const isOutcome = (result: CopyRead | InboundOutcome | SeriesRedirect): result is InboundOutcome =>
  'decision' in result;
