import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { GraphGateway } from '../../graph/gateway';
import { needsOrganizerLookup } from '../rules/requester';
import type { OrganizerEvent, OutboundContext } from './deps';

/**
 * Where the organizer's event of the loan's meeting is: our own record for a Hector-made loan;
 * for an Outlook-made one, the link, or a search of the organizer's calendar by iCalUId (then
 * linked). Null when there is none we may write to.
 */
export async function findOrganizerEvent(
  ctx: OutboundContext,
  knownICalUId?: string,
): Promise<OrganizerEvent | null> {
  const { loan, deps, graph } = ctx;
  if (loan.origin !== 'outlook') {
    const state = await deps.state.get(loan.id);
    return state?.eventId && state.organizerEmail
      ? { organizer: state.organizerEmail, eventId: state.eventId }
      : null;
  }
  const iCalUId = knownICalUId ?? (await deps.links.findICalUIdByLoanId(loan.id));
  if (!iCalUId) return null;
  const link = await deps.links.findMeetingLink(iCalUId);
  const organizer = link?.organizerEmail ?? null;
  // Only a mailbox of the tenant can be written to; an outside organizer's meeting stays theirs.
  if (!organizer || !needsOrganizerLookup(organizer, ctx.settings.primaryDomain)) return null;
  if (link?.organizerEventId) return { organizer, eventId: link.organizerEventId };
  const event = link?.seriesICalUId
    ? await organizerOccurrence(graph, organizer, link.seriesICalUId, iCalUId, link.occurrenceStart)
    : ((await graph.findEventsByICalUId(organizer, iCalUId)).find(
        (e) => e.isOrganizer !== false && e.type !== 'occurrence',
      ) ?? null);
  if (!event?.id) return null;
  await deps.links.upsertLink({ iCalUId, organizerEventId: event.id, organizerEmail: organizer });
  return { organizer, eventId: event.id };
}

const DAY_MS = 86_400_000;

/**
 * B3: one occurrence in the organizer's calendar. `/events` lists masters only, so the series'
 * master is found by the series' iCalUId, then the occurrence among its instances around its
 * original start (an exception may have moved it by a day or so).
 */
async function organizerOccurrence(
  graph: GraphGateway,
  organizer: string,
  seriesICalUId: string,
  iCalUId: string,
  occurrenceStart: string | null,
): Promise<MSGraph.Event | null> {
  const masters = await graph.findEventsByICalUId(organizer, seriesICalUId);
  const master = masters.find((e) => e.type === 'seriesMaster' && e.isOrganizer !== false);
  if (!master?.id || !occurrenceStart) return null;
  const at = new Date(occurrenceStart).getTime();
  const instances = await graph.listInstances(organizer, master.id, {
    start: new Date(at - 2 * DAY_MS),
    end: new Date(at + 3 * DAY_MS),
  });
  return instances.find((e) => e.iCalUId === iCalUId) ?? null;
}
