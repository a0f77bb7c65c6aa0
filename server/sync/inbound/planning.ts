import { GraphCallError, isAccessPolicyDenial } from '../../graph/errors';
import type { GraphGateway } from '../../graph/gateway';
import { outsideAccessPolicy } from '../accessPolicy';
import { needsOrganizerForApproval } from '../rules/approval';
import { needsOrganizerAnswers, planLoan, type Plan } from '../rules/plan';
import { needsOrganizerLookup } from '../rules/requester';
import { readRoomCopy, type RoomCopy } from '../rules/roomCopy';
import type { CopyRead } from './deps';
import type { GatheredFacts } from './facts';

/**
 * The plan for the loan (pure rules), with what only the job can know: a meeting Hector replaced
 * books nothing, and before the last room's leaving cancels the loan, the organizer's own copy
 * tells whether the meeting moved to other rooms.
 */
export async function planWithOrganizer(read: CopyRead, gathered: GatheredFacts): Promise<Plan> {
  const { copy } = read;
  const { facts, link, loan } = gathered;
  let plan = planLoan(facts);
  // Outbound unlinks the meeting it replaces when a Hector loan changes requester (the event moves
  // to the new organizer's calendar): its copies, still carrying the loan id, book nothing.
  if (link && link.loanId === null && copy?.hectorLoanId && !copy.isCancelled) {
    plan = {
      kind: 'ignore',
      reason: "Hector replaced this meeting: its loan moved to another organizer's calendar",
    };
  }
  // B3: the organizer's own copy of one occurrence is not in /events (masters only): a series'
  // occurrences are decided from the rooms' copies, which keeps a series change to a few reads —
  // but for what only the organizer knows (seriesOccurrencePlan).
  if (read.series) return seriesOccurrencePlan(read, gathered, plan);
  const organizerEmail = link?.organizerEmail ?? null;
  let organizerMeeting: RoomCopy | null | undefined;
  if (
    !copy &&
    plan.kind === 'cancel' &&
    loan &&
    organizerEmail &&
    needsOrganizerLookup(organizerEmail, read.settings.primaryDomain)
  ) {
    // The last room of the loan left: before cancelling, see whether the meeting moved elsewhere.
    const cancel = plan;
    try {
      organizerMeeting = await organizerMeetingOf(read.graph, organizerEmail, read.iCalUId);
      plan = planLoan({ ...facts, organizerMeeting });
    } catch (error) {
      // An access policy keeps us out of the organizer's mailbox: the rooms' copies decide alone,
      // as for an organizer outside the tenant. Permanent, so not worth failing the job over.
      if (!isAccessPolicyDenial(error)) throw error;
      const why = outsideAccessPolicy(organizerEmail, read.settings.defaultUserEmail);
      plan = { kind: 'cancel', reason: `${cancel.reason} (the organizer's copy was not read: ${why})` };
    }
  }
  // Only the organizer's copy knows the other rooms' answers (room copies show `none` for them):
  // B5, the loan waits for approval and this room is not what it waits for; V3, a new loan's
  // meeting invites rooms whose copies we have not read (did they decline?).
  const organizer = organizerEmail ?? copy?.organizer.email ?? null;
  if (
    plan.kind === 'want' &&
    organizer &&
    needsOrganizerLookup(organizer, read.settings.primaryDomain) &&
    organizerMeeting === undefined &&
    (needsOrganizerForApproval({ roomEmail: read.room, copy, rooms: plan.desired.rooms, loan }) ||
      needsOrganizerAnswers(facts, plan))
  ) {
    organizerMeeting = await answersOf(read.graph, organizer, read.iCalUId);
    if (organizerMeeting !== undefined) plan = planLoan({ ...facts, organizerMeeting });
  }
  return plan;
}

/**
 * B3, one occurrence as a room's series copy shows it, and where that copy cannot decide alone the
 * organizer's occurrence (read once per pass): an occurrence that left the last room of its loan
 * may have moved to other rooms for that occurrence only (they get it as an orphan instance, which
 * comes as their own event), not been cancelled; an exception inviting a room the series does not
 * — did that room accept that occurrence, or decline it (its decline leaves no copy)?
 */
async function seriesOccurrencePlan(read: CopyRead, gathered: GatheredFacts, plan: Plan): Promise<Plan> {
  const lookup = read.series?.organizerOccurrence;
  const { copy } = read;
  const { facts, loan } = gathered;
  if (!lookup) return plan;
  const lastRoomLeft = !copy && plan.kind === 'cancel' && loan !== null;
  const seriesRooms = new Set(read.series?.seriesRooms ?? []);
  const synced = new Set(facts.syncedRooms.map((r) => r.email));
  const planned = new Set(plan.kind === 'want' ? plan.desired.rooms.map((r) => r.email) : []);
  const invitesOthers =
    copy?.type === 'exception' &&
    plan.kind === 'want' &&
    copy.attendees.some((a) => synced.has(a.email) && !seriesRooms.has(a.email) && !planned.has(a.email));
  if (!lastRoomLeft && !invitesOthers) return plan;
  const organizerMeeting = await lookup(read.iCalUId);
  if (organizerMeeting === undefined) return plan;
  return planLoan({ ...facts, organizerMeeting });
}

/**
 * The organizer's copy for the other rooms' answers: a help, not a need — a mailbox the app may
 * not read (403, an application access policy) leaves the plan as the room's copy makes it.
 */
async function answersOf(
  graph: GraphGateway,
  organizer: string,
  iCalUId: string,
): Promise<RoomCopy | null | undefined> {
  try {
    return await organizerMeetingOf(graph, organizer, iCalUId);
  } catch (error) {
    if (error instanceof GraphCallError && (error.graphStatus === 403 || error.graphStatus === 404))
      return undefined;
    throw error;
  }
}

/** The organizer's own copy of the meeting (null when it is gone), read in its UTC form. */
async function organizerMeetingOf(
  graph: GraphGateway,
  organizer: string,
  iCalUId: string,
): Promise<RoomCopy | null> {
  const found = await graph.findEventsByICalUId(organizer, iCalUId);
  const own = found.find((e) => e.isOrganizer !== false && e.type !== 'occurrence');
  return own ? readRoomCopy(own) : null;
}
