import { GraphCallError } from '../graph/errors';
import type { Logger } from '../logger';
import type { Journal } from '../store/journal';
import type { JobContext } from '../store/queue';
import { classifyFailure, isPermanent, type CalendarAccess, type FailureCause } from './rules/failure';
import { failureMessage, type FailureSubject } from './rules/wording';

/** What a failed job was about, looked up only once it failed for good. */
export interface FailedJob {
  queue: string;
  subject: FailureSubject;
  /** The mailbox the failing call was on, and whether it read or wrote its calendar. */
  mailbox: string | null;
  access: CalendarAccess;
  roomEmail?: string | null;
  iCalUId?: string | null;
  eventId?: string | null;
  loanId?: string | null;
}

export interface FailureJournalDeps {
  journal: Pick<Journal, 'record' | 'list'>;
  logger: Pick<Logger, 'warn'>;
}

/** Causes that every meeting of the room meets alike until an admin acts (the add-in's sync_failed). */
const ROOM_WIDE = new Set<FailureCause['code']>([
  'permission_missing',
  'outside_access_policy',
  'mailbox_not_found',
  'settings_refused',
]);

/**
 * B6, around one job's work: a permanent failure (a permission, a mailbox, a refused request, the
 * settings) is journaled once as an `error` and ends the job — retries cannot help, so none are
 * made; a transient one is thrown again for pg-boss to retry, and journaled when it was the last
 * try (the job then goes to the dead letters). Undefined when the work failed for good.
 */
export async function journalFailures<T>(
  work: () => Promise<T>,
  attempt: Pick<JobContext, 'retryCount' | 'retryLimit'>,
  failedJob: (error: unknown) => Promise<FailedJob>,
  deps: FailureJournalDeps,
): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    const last = attempt.retryCount >= attempt.retryLimit;
    // Permanence does not depend on the mailbox: look up the job's facts only when journaling.
    if (!isPermanent(classifyFailure(error, { mailbox: null, access: 'read' })) && !last) throw error;
    const job = await failedJob(error).catch((): FailedJob => ({
      queue: 'unknown',
      subject: { mailboxName: null, mailboxIsRoom: false, loanNumber: null, flow: 'other' },
      mailbox: null,
      access: 'read',
    }));
    const cause = classifyFailure(error, { mailbox: job.mailbox, access: job.access });
    await recordFailure(error, cause, job, attempt.retryCount + 1, deps);
    if (isPermanent(cause)) return undefined;
    throw error;
  }
}

async function recordFailure(
  error: unknown,
  cause: FailureCause,
  job: FailedJob,
  attempts: number,
  deps: FailureJournalDeps,
): Promise<void> {
  const worded = failureMessage(cause, job.subject, isPermanent(cause) ? undefined : attempts);
  const { message } = worded;
  // Journal once: the same failure of the same copy (or loan) again is not news.
  const previous = job.eventId
    ? await deps.journal.list({ roomEmail: job.roomEmail ?? undefined, eventId: job.eventId, limit: 1 })
    : job.loanId
      ? await deps.journal.list({ loanId: job.loanId, limit: 1 })
      : [];
  const again = previous[0]?.kind === 'error' && previous[0].message === message;
  deps.logger.warn(
    {
      event: 'sync.failed',
      queue: job.queue,
      failure: cause.code,
      loanId: job.loanId,
      iCalUId: job.iCalUId,
      again,
    },
    message,
  );
  if (again) return;
  await deps.journal.record({
    kind: 'error',
    ...worded,
    iCalUId: job.iCalUId ?? null,
    eventId: job.eventId ?? null,
    roomEmail: job.roomEmail ?? null,
    loanId: job.loanId ?? null,
    details: {
      failure: cause.code,
      scope: ROOM_WIDE.has(cause.code) && job.roomEmail ? 'room' : 'meeting',
      queue: job.queue,
      attempts,
      mailbox: job.mailbox,
      direction: job.subject.flow,
      loanNumber: job.subject.loanNumber,
      ...(cause.code === 'permission_missing' ? { permission: cause.permission } : {}),
      ...(error instanceof GraphCallError
        ? { graphStatus: error.graphStatus, graphCode: error.graphCode }
        : {}),
    },
  });
}
