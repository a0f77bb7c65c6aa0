import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { JobContext, JobQueue } from '../store/queue';
import { STATUS_TICK_QUEUE } from '../hector/statusTick';
import { AUTO_RELEASE_QUEUE, releaseNoShows } from '../sync/autoRelease';
import {
  LIFECYCLE_QUEUE,
  ROOM_EVENT_QUEUE,
  ROOM_IMPORT_QUEUE,
  SUBSCRIPTION_MAINTENANCE_QUEUE,
  type LifecycleJob,
  type RoomEventJob,
} from '../sync/jobs';
import {
  OUTBOUND_LOAN_QUEUE,
  OUTBOUND_ROOM_CHECK_QUEUE,
  type OutboundLoanJob,
  type RoomCheckJob,
} from '../sync/jobs';
import { checkRoomAnswers } from '../sync/outbound/checkRoomAnswers';
import { failedLoanJob } from '../sync/outbound/failedLoan';
import { syncLoanToOutlook } from '../sync/outbound/syncLoanToOutlook';
import { journalFailures } from '../sync/failures';
import { IMMUTABLE_IDS_QUEUE, upgradeToImmutableIds } from '../sync/immutableIds';
import { RECONCILE_QUEUE, reconcileRooms, type ReconcileJob } from '../sync/reconcile';
import { workRoomEvent } from '../sync/roomEventWorker';
import { JOURNAL_RETENTION_QUEUE, pruneJournal } from '../sync/journalEntries';
import { oldestUnpushedChange } from '../store/lagSamples';
import { DAILY_CHECK_CRON, DAILY_CHECK_QUEUE } from '../sync/operations/dailyCheck';
import { inboundLagStart, outboundWrote } from '../sync/operations/lag';
import { runReconcile } from '../sync/operations/reconcileRun';
import { queueEntry, type QueueEntry } from './queueTable';
import type { UseCases } from './useCases';

/** Scheduled safety net of outbound: re-enqueues Hector-side changes that no job has pushed. */
export const OUTBOUND_SWEEP_QUEUE = 'outbound-sweep';

/** Every N minutes as cron (N ≤ 1440): "*\/15 * * * *", "0 *\/2 * * *"… */
export function everyMinutesCron(minutes: number): string {
  if (minutes < 60) return `*/${minutes} * * * *`;
  const hours = Math.max(1, Math.round(minutes / 60));
  return hours >= 24 ? '0 0 * * *' : `0 */${hours} * * *`;
}

/** A report with an error fails its job, so pg-boss retries it (room import, maintenance). */
const failOn = (report: { error?: { message: string } }): void => {
  if (report.error) throw new Error(report.error.message);
};

/**
 * The queue table: every queue of the service in one place — what its jobs do, how they are
 * retried and dead-lettered (`<name>-dead` after the last try), when it fires by itself, and how
 * many jobs this instance runs at once. Policy 'short' keeps one waiting job per singletonKey, so
 * duplicates coalesce while one waits.
 */
export function queueTable(
  useCases: UseCases,
  context: { config: Config; logger: Logger; now: Clock; wallClock: Clock; queue: JobQueue },
): QueueEntry[] {
  const { config, logger, now, wallClock, queue } = context;
  const { timings } = config;
  const u = useCases;
  /** B6: a background job's failure to the journal, by what the job does (once, or when it gives up). */
  const journaled =
    <T>(queueName: string, what: string, handle: (data: T, job: JobContext) => Promise<void>) =>
    async (data: T, job: JobContext): Promise<void> => {
      await journalFailures(
        () => handle(data, job),
        job,
        async () => ({
          queue: queueName,
          mailbox: null,
          access: 'read',
          subject: {
            mailboxName: null,
            mailboxIsRoom: false,
            loanNumber: null,
            flow: 'other',
            purpose: what,
          },
        }),
        { journal: u.journal, logger },
      );
    };
  return capRetries(timings.jobRetryCap, [
    queueEntry<RoomEventJob>({
      purpose: 'Outlook → Hector: one room-copy change the intake accepted (flow 4)',
      spec: {
        name: ROOM_EVENT_QUEUE,
        policy: 'short',
        retryLimit: 10,
        retryDelaySeconds: 5,
        retryBackoff: true,
        // A job an instance held when it was killed stays active until it expires (the table's
        // default is 5 minutes, found by pg-boss's maintenance pass up to 2 minutes later: the
        // chaos run saw such loans 7 minutes late). As outbound's: a read and a write take
        // seconds, and a job expired while still running meets its twin on the meeting lock.
        expireInSeconds: 120,
      },
      // 2 workers × 4 jobs in flight: each job may hold a lock connection on PostgreSQL, so stay
      // well under the pool size (server/store/postgresDatabase.ts).
      worker: {
        concurrency: 2,
        batchSize: 4,
        handle: async (job, attempt) => {
          const outcome = await workRoomEvent(job, { inbound: u.inbound, queue, wallClock }, attempt);
          // The status page's "last notification" (issue 15): never a reason for the job to fail.
          if (job.changeType !== 'reconciled')
            await u.roomActivity
              .noteNotification(job.roomEmail, new Date(job.receivedAt))
              .catch(() => undefined);
          // Issue 15: notification received → loan written.
          const since = inboundLagStart(job, outcome);
          if (since) await u.lag.record('inbound', since);
        },
      },
    }),
    queueEntry<LifecycleJob>({
      purpose: 'A Graph lifecycle event: reauthorize, recreate, record the gap (flow 2)',
      spec: { name: LIFECYCLE_QUEUE, retryLimit: 10, retryDelaySeconds: 10, retryBackoff: true },
      worker: {
        handle: journaled<LifecycleJob>(LIFECYCLE_QUEUE, 'a subscription lifecycle event', async (job) => {
          await u.integration.handleLifecycle(job);
        }),
      },
    }),
    queueEntry({
      purpose: 'Rooms from Graph → places, then one subscription per active room (flow 1)',
      spec: { name: ROOM_IMPORT_QUEUE, policy: 'short', retryLimit: 2, retryDelaySeconds: 60 },
      cron: { expression: everyMinutesCron(config.roomImportIntervalMinutes) },
      worker: {
        handle: journaled(ROOM_IMPORT_QUEUE, 'the room import', async () =>
          failOn(await u.integration.importRooms()),
        ),
      },
    }),
    queueEntry({
      purpose: 'Renew subscriptions before they expire, recreate those Graph lost (flow 2)',
      spec: { name: SUBSCRIPTION_MAINTENANCE_QUEUE, policy: 'short', retryLimit: 2, retryDelaySeconds: 60 },
      cron: { expression: timings.subscriptionMaintenanceCron },
      worker: {
        handle: journaled(SUBSCRIPTION_MAINTENANCE_QUEUE, "the subscriptions' renewal", async () =>
          failOn(await u.integration.maintainSubscriptions()),
        ),
      },
    }),
    queueEntry<OutboundLoanJob>({
      purpose: "Hector → Outlook: push a loan's Hector-side changes (flow 5)",
      // Throttled and failed writes are retried with backoff; a job that gives up is dead-lettered
      // and its loan stays pending, so the sweep tries again later.
      spec: {
        name: OUTBOUND_LOAN_QUEUE,
        policy: 'short',
        retryLimit: 8,
        retryDelaySeconds: 1,
        retryBackoff: true,
        expireInSeconds: 120,
      },
      worker: {
        concurrency: 2,
        batchSize: 4,
        handle: async (job, attempt) => {
          const startedAt = wallClock();
          // A figure for the status page: never a reason for the push to fail.
          const changedAt = await oldestUnpushedChange(u.reconcile.db, job.loanId).catch(() => null);
          // B6: a refusal retries cannot help is journaled once; the loan stays pending (the sweep).
          const decisions = await journalFailures(
            () => syncLoanToOutlook(job, u.outbound),
            attempt,
            (error) => failedLoanJob(job, error, u.outbound),
            u.outbound,
          );
          if (decisions) await u.outboundState.clearPending(job.loanId, startedAt, wallClock());
          // Issue 15: Hector change committed → Outlook event written.
          if (changedAt && outboundWrote(decisions)) await u.lag.record('outbound', changedAt);
        },
      },
    }),
    queueEntry<RoomCheckJob>({
      purpose: "Outbound: another look at the rooms' answers after a write (OU2)",
      spec: { name: OUTBOUND_ROOM_CHECK_QUEUE, policy: 'short', retryLimit: 3, retryDelaySeconds: 2 },
      worker: {
        batchSize: 4,
        handle: journaled<RoomCheckJob>(OUTBOUND_ROOM_CHECK_QUEUE, "the look at the rooms' answers", (job) =>
          checkRoomAnswers(job, u.outbound),
        ),
      },
    }),
    queueEntry({
      purpose: 'Outbound safety net: queue again the changes no job has pushed (a killed process)',
      spec: { name: OUTBOUND_SWEEP_QUEUE, policy: 'short', retryLimit: 0, expireInSeconds: 60 },
      cron: { expression: timings.outboundSweepCron },
      worker: {
        handle: async () => {
          await u.outbox.sweep();
        },
      },
    }),
    queueEntry<ReconcileJob>({
      purpose: 'Reconcile / backfill: delta over the booking window, per room (flow 7, B1, B2)',
      spec: {
        name: RECONCILE_QUEUE,
        policy: 'short',
        retryLimit: 5,
        retryDelaySeconds: 30,
        retryBackoff: true,
      },
      cron: { expression: timings.reconcileCron, data: { reason: 'schedule' } },
      worker: {
        handle: journaled<ReconcileJob>(RECONCILE_QUEUE, 'a re-sync (reconcile) pass', async (job) => {
          // An admin's run records its progress, room by room (issue 15).
          if (job.runId)
            await runReconcile(job.runId, {
              reconcile: u.reconcile,
              runs: u.reconcileRuns,
              drift: u.drift,
              stopping: () => queue.stopping,
            });
          else await reconcileRooms(u.reconcile, job.roomEmail);
        }),
      },
    }),
    queueEntry({
      purpose:
        'Once, after an upgrade: subscriptions naming events by regular id replaced, stored event ids translated to immutable ids (issue 13)',
      spec: {
        name: IMMUTABLE_IDS_QUEUE,
        policy: 'short',
        retryLimit: 5,
        retryDelaySeconds: 30,
        retryBackoff: true,
      },
      worker: {
        handle: journaled(IMMUTABLE_IDS_QUEUE, 'the upgrade to immutable ids', async () => {
          const outcome = await upgradeToImmutableIds(u.idUpgrade, async () =>
            failOn(await u.integration.maintainSubscriptions()),
          );
          if (outcome !== 'already done') logger.info({ event: 'upgrade.immutable_ids', outcome }, outcome);
        }),
      },
    }),
    queueEntry({
      purpose: 'Issue 15: journal entries older than JOURNAL_RETENTION_DAYS are deleted',
      spec: { name: JOURNAL_RETENTION_QUEUE, policy: 'short', retryLimit: 2, retryDelaySeconds: 60 },
      cron: { expression: timings.journalRetentionCron },
      worker: {
        handle: async () => {
          const { before, pruned } = await pruneJournal({
            journal: u.journal,
            now,
            retentionDays: config.journalRetentionDays,
          });
          logger.info(
            { event: 'journal.pruned', pruned, before: before.toISOString() },
            'journal retention pass',
          );
        },
      },
    }),
    queueEntry({
      purpose:
        'S2 once a day: the connection test on the saved settings; a revoked permission is journaled (issue 15)',
      spec: { name: DAILY_CHECK_QUEUE, policy: 'short', retryLimit: 2, retryDelaySeconds: 300 },
      cron: { expression: DAILY_CHECK_CRON },
      worker: {
        handle: journaled(DAILY_CHECK_QUEUE, 'the daily connection check', async () => {
          await u.dailyCheck();
        }),
      },
    }),
    queueEntry({
      purpose: 'K1: loan statuses move on with the clock',
      spec: { name: STATUS_TICK_QUEUE, policy: 'short', retryLimit: 1, expireInSeconds: 120 },
      cron: { expression: timings.statusTickCron },
      worker: {
        handle: async () => {
          const moved = await u.hector.advanceLoanStatuses(now());
          if (moved > 0) logger.info({ event: 'hector.statuses.advanced', moved }, 'loan statuses advanced');
        },
      },
    }),
    queueEntry({
      purpose: 'B9: room loans nobody checked in are released (stores with autoReleaseMinutes)',
      spec: { name: AUTO_RELEASE_QUEUE, policy: 'short', retryLimit: 1, expireInSeconds: 120 },
      cron: { expression: timings.statusTickCron },
      worker: {
        handle: async () => {
          await releaseNoShows({ hector: u.hector, links: u.links, journal: u.journal, now, logger });
        },
      },
    }),
  ]);
}

/** Config.timings.jobRetryCap over every entry (tests); the table as it is when null. */
function capRetries(cap: Config['timings']['jobRetryCap'], table: QueueEntry[]): QueueEntry[] {
  if (!cap) return table;
  return table.map((entry) => ({
    ...entry,
    spec: {
      ...entry.spec,
      retryLimit: Math.min(entry.spec.retryLimit ?? 5, cap.retryLimit),
      retryDelaySeconds: Math.min(entry.spec.retryDelaySeconds ?? 2, cap.retryDelaySeconds),
    },
  }));
}
