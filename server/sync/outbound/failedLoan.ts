import { isOutsideAccessPolicy, MailboxCallFailed } from '../accessPolicy';
import type { FailedJob } from '../failures';
import { OUTBOUND_LOAN_QUEUE, type OutboundLoanJob } from '../jobs';
import type { OutboundDeps } from './deps';

/**
 * B6: the loan, meeting and mailbox of a failed outbound job. Outbound exists to write the
 * calendar, so a refusal names Calendars.ReadWrite whichever call (a read first) met it.
 */
export async function failedLoanJob(
  job: OutboundLoanJob,
  error: unknown,
  deps: OutboundDeps,
): Promise<FailedJob> {
  const mailbox =
    error instanceof MailboxCallFailed || isOutsideAccessPolicy(error) ? error.mailbox.toLowerCase() : null;
  const [loan, iCalUId, places] = await Promise.all([
    deps.hector.getLoan(job.loanId),
    deps.links.findICalUIdByLoanId(job.loanId),
    deps.hector.listPlaces({ synced: true }),
  ]);
  const room = mailbox ? places.find((p) => p.email?.toLowerCase() === mailbox) : undefined;
  return {
    queue: OUTBOUND_LOAN_QUEUE,
    mailbox,
    access: 'write',
    loanId: job.loanId,
    iCalUId,
    subject: {
      mailboxName: room?.name ?? mailbox,
      mailboxIsRoom: Boolean(room),
      loanNumber: loan?.number ?? null,
      flow: 'outbound',
    },
  };
}
