import type { Kysely } from 'kysely';
import type {
  AdminStatus,
  DeadLetterList,
  DeadLetterRetried,
  DriftFixQueued,
  DriftFixRequest,
  ReconcileRun,
  ReconcileRunReason,
  ReconcileRunStarted,
} from '../../../contract/admin';
import { integrationDisabled, integrationNotConfigured, notFound } from '../../errors';
import type { JobQueue } from '../../store/queue';
import type { ReconcileRuns } from '../../store/reconcileRuns';
import type { Schema } from '../../store/schema';
import { isIntegrationEnabled } from '../../store/settings';
import { OUTBOUND_LOAN_QUEUE, ROOM_EVENT_QUEUE, type OutboundLoanJob, type RoomEventJob } from '../jobs';
import { RECONCILE_QUEUE, syncedRooms, type ReconcileJob } from '../reconcile';
import { readStatus, type StatusDeps } from './status';

export interface OperationsDeps {
  db: Kysely<Schema>;
  queue: Pick<JobQueue, 'send' | 'listDeadLetters' | 'retryDeadLetter'>;
  runs: ReconcileRuns;
  status: StatusDeps;
  /** Whether settings are saved (the integration's gateway exists). */
  isConfigured(): Promise<boolean>;
  /** Real time: a re-queued meeting's receivedAt. */
  wallClock: () => Date;
}

/** The admin's operations (issue 15), for the router: each method is one endpoint's work. */
export interface Operations {
  status(): Promise<AdminStatus>;
  startReconcile(roomEmail?: string): Promise<ReconcileRunStarted>;
  /**
   * B1: the backfill after a save, a run like an admin's (its progress and drift shown the same
   * way); null while the integration is disabled (nothing to backfill).
   */
  startBackfill(): Promise<ReconcileRunStarted | null>;
  reconcileRun(id: string): Promise<ReconcileRun | null>;
  /** Queues a drift item of a finished run again; null when the run's drift does not name it. */
  fixDrift(runId: string, fix: DriftFixRequest): Promise<DriftFixQueued | null>;
  deadLetters(): Promise<DeadLetterList>;
  retryDeadLetter(id: string): Promise<DeadLetterRetried | null>;
}

export function createOperations(deps: OperationsDeps): Operations {
  return {
    async status() {
      const [status, latestReconcileRun] = await Promise.all([readStatus(deps.status), deps.runs.latest()]);
      return { ...status, latestReconcileRun };
    },

    async startReconcile(roomEmail) {
      if (!(await isIntegrationEnabled(deps.db))) {
        throw (await deps.isConfigured()) ? integrationDisabled() : integrationNotConfigured();
      }
      if (roomEmail && !(await syncedRooms(deps.db)).some((r) => r.email === roomEmail)) {
        throw notFound(`${roomEmail} is not a synced room: only active rooms are re-synced.`);
      }
      return queueRun(deps, 'on demand', roomEmail);
    },

    async startBackfill() {
      if (!(await isIntegrationEnabled(deps.db))) return null;
      return queueRun(deps, 'activation');
    },

    reconcileRun: (id) => deps.runs.get(id),

    async fixDrift(runId, fix) {
      const drift = (await deps.runs.get(runId))?.drift ?? [];
      if (fix.kind === 'meeting') {
        const room = drift.find((r) => r.meetingsWithoutLoan.some((m) => m.eventId === fix.id));
        if (!room) return null;
        // The job a notification makes: inbound decides again, with today's rules and data.
        await deps.queue.send<RoomEventJob>(ROOM_EVENT_QUEUE, {
          data: {
            subscriptionId: '',
            roomEmail: room.roomEmail,
            eventId: fix.id,
            changeType: 'reconciled',
            receivedAt: deps.wallClock().toISOString(),
          },
          singletonKey: `${room.roomEmail}:${fix.id}`,
        });
        return { kind: 'meeting', id: fix.id, queue: ROOM_EVENT_QUEUE };
      }
      if (!drift.some((r) => r.loansWithoutMeeting.some((l) => l.loanId === fix.id))) return null;
      await deps.queue.send<OutboundLoanJob>(OUTBOUND_LOAN_QUEUE, {
        data: { loanId: fix.id },
        singletonKey: fix.id,
      });
      return { kind: 'loan', id: fix.id, queue: OUTBOUND_LOAN_QUEUE };
    },

    async deadLetters() {
      const rows = await deps.queue.listDeadLetters();
      return {
        deadLetters: rows.map((r) => ({
          id: r.id,
          queue: r.queue,
          job: r.data,
          lastError: errorMessage(r.output),
          attempts: r.attempts,
          at: r.at,
        })),
      };
    },

    retryDeadLetter: (id) => deps.queue.retryDeadLetter(id),
  };
}

/** A run row, then its job (its own singleton key: a pass already waiting must not swallow it). */
async function queueRun(
  deps: OperationsDeps,
  reason: ReconcileRunReason,
  roomEmail?: string,
): Promise<ReconcileRunStarted> {
  const run = await deps.runs.create(roomEmail ?? null, reason);
  try {
    await deps.queue.send<ReconcileJob>(RECONCILE_QUEUE, {
      data: { reason, runId: run.id, ...(roomEmail ? { roomEmail } : {}) },
      singletonKey: `run:${run.id}`,
    });
  } catch (error) {
    await deps.runs.finished(run.id, 'failed', {
      roomEmail: null,
      message: 'The re-sync could not be queued.',
    });
    throw error;
  }
  return { id: run.id };
}

/** What pg-boss kept of the last error: JobQueue.runOne fails jobs with { message, name }. */
function errorMessage(output: unknown): string | null {
  if (output && typeof output === 'object' && 'message' in output) {
    return String((output as { message: unknown }).message);
  }
  return typeof output === 'string' ? output : null;
}
