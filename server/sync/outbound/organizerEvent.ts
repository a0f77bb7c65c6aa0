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
  const found = await graph.findEventsByICalUId(organizer, iCalUId);
  const event = found.find((e) => e.isOrganizer !== false && e.type !== 'occurrence') ?? null;
  if (!event?.id) return null;
  await deps.links.upsertLink({ iCalUId, organizerEventId: event.id, organizerEmail: organizer });
  return { organizer, eventId: event.id };
}
