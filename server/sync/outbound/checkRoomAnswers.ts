import { isOutsideAccessPolicy, namingBlockedMailboxes } from '../accessPolicy';
import type { RoomCheckJob } from '../jobs';
import { listSyncedRooms } from '../syncedRooms';
import type { OutboundContext, OutboundDeps } from './deps';
import { findOrganizerEvent } from './organizerEvent';
import { meetingGone } from './personsMeeting';
import { applyRoomAnswers } from './roomAnswers';
import { isWithdrawn } from './rules';

/** A later look at the rooms' answers (OU2), for Exchange answering after our write returned. */
export async function checkRoomAnswers(job: RoomCheckJob, deps: OutboundDeps): Promise<void> {
  const settings = await deps.settings();
  const gateway = settings?.enabled ? await deps.graph() : null;
  if (!settings || !gateway) return;
  const graph = namingBlockedMailboxes(gateway);
  await deps.lock.run(`loan:${job.loanId}`, async () => {
    const loan = await deps.hector.getLoan(job.loanId);
    if (!loan || isWithdrawn(loan)) return;
    const ctx: OutboundContext = {
      loan,
      graph,
      settings,
      synced: await listSyncedRooms(deps.hector),
      fields: null,
      deps,
    };
    const where = await findOrganizerEvent(ctx).catch(outsidePolicyIsNone);
    if (!where) return;
    // The push that set this look off journaled any refusal already; a look is not worth retrying.
    const event = await graph.getEvent(where.organizer, where.eventId).catch(outsidePolicyIsNone);
    if (event === undefined) return;
    if (event && !event.isCancelled) await applyRoomAnswers(ctx, event, where, job.attempt);
    // Cancelled in Outlook right after our write: the rooms' copies may never be read as live,
    // so their going says nothing to inbound sync. The organizer's copy does.
    else if (loan.origin === 'outlook') await meetingGone(ctx, await deps.links.findICalUIdByLoanId(loan.id));
  });
}

/** An access policy's refusal ends the look quietly (undefined); anything else is thrown. */
function outsidePolicyIsNone(error: unknown): undefined {
  if (isOutsideAccessPolicy(error)) return undefined;
  throw error;
}
