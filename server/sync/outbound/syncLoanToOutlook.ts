import { isOutsideAccessPolicy, namingBlockedMailboxes, outsideAccessPolicy } from '../accessPolicy';
import type { OutboundLoanJob } from '../jobs';
import { listSyncedRooms } from '../syncedRooms';
import type { OutboundContext, OutboundDeps } from './deps';
import { pushHectorEvent } from './hectorEvents';
import { pushToPersonsMeeting } from './personsMeeting';
import { recordDecision } from './record';
import type { OutboundDecision } from './rules';

/**
 * Flow 5, one loan changed on the Hector side: read the loan, the fields Hector changed since the
 * last push and the synced rooms → its flow (a Hector-made loan's own event, or the person's
 * meeting of an Outlook-made one) reads the event as it is now, decides with the pure rules,
 * writes only the difference in those fields, checks the rooms' answers and journals each
 * decision. A field Hector did not change is the organizer's to edit meanwhile: inbound brings
 * that edit into the loan once the push is done. Duplicates and retries are harmless.
 * Null when the integration is off (nothing was pushed). A mailbox an application access policy
 * keeps us out of ends the push with one journal line, not a failed job: retries cannot help.
 */
export async function syncLoanToOutlook(
  job: OutboundLoanJob,
  deps: OutboundDeps,
): Promise<OutboundDecision[] | null> {
  const settings = await deps.settings();
  const gateway = settings?.enabled ? await deps.graph() : null;
  if (!settings || !gateway) return null;
  const graph = namingBlockedMailboxes(gateway);
  return deps.lock.run(`loan:${job.loanId}`, async () => {
    const loan = await deps.hector.getLoan(job.loanId);
    if (!loan) return [];
    const fields = await deps.state.pendingFields(loan.id);
    const ctx: OutboundContext = {
      loan,
      graph,
      settings,
      synced: await listSyncedRooms(deps.hector),
      fields,
      deps,
    };
    try {
      // A loan that came from Outlook keeps its meeting: the person's title, body and guests stay.
      return await (loan.origin === 'outlook' ? pushToPersonsMeeting(ctx) : pushHectorEvent(ctx));
    } catch (error) {
      if (!isOutsideAccessPolicy(error)) throw error;
      const reason = outsideAccessPolicy(error.mailbox, settings.defaultUserEmail);
      return [await recordDecision(ctx, { kind: 'ignored', reason }, null)];
    }
  });
}
