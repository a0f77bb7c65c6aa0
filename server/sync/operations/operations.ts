import type { Kysely } from 'kysely';
import type {
  AdminStatus,
  DeadLetterList,
  DeadLetterRetried,
  ReconcileRun,
  ReconcileRunStarted,
} from '../../../contract/admin';
import { integrationDisabled, integrationNotConfigured, notFound } from '../../errors';
import type { JobQueue } from '../../store/queue';
import type { ReconcileRuns } from '../../store/reconcileRuns';
import type { Schema } from '../../store/schema';
import { isIntegrationEnabled } from '../../store/settings';
import { RECONCILE_QUEUE, syncedRooms, type ReconcileJob } from '../reconcile';
import { readStatus, type StatusDeps } from './status';

export interface OperationsDeps {
  db: Kysely<Schema>;
  queue: Pick<JobQueue, 'send' | 'listDeadLetters' | 'retryDeadLetter'>;
  runs: ReconcileRuns;
  status: StatusDeps;
  /** Whether settings are saved (the integration's gateway exists). */
  isConfigured(): Promise<boolean>;
}

/** The admin's operations (issue 15), for the router: each method is one endpoint's work. */
export interface Operations {
  status(): Promise<AdminStatus>;
  startReconcile(roomEmail?: string): Promise<ReconcileRunStarted>;
  reconcileRun(id: string): Promise<ReconcileRun | null>;
  deadLetters(): Promise<DeadLetterList>;
  retryDeadLetter(id: string): Promise<DeadLetterRetried | null>;
}

export function createOperations(deps: OperationsDeps): Operations {
  return {
    status: () => readStatus(deps.status),

    async startReconcile(roomEmail) {
      if (!(await isIntegrationEnabled(deps.db))) {
        throw (await deps.isConfigured()) ? integrationDisabled() : integrationNotConfigured();
      }
      if (roomEmail && !(await syncedRooms(deps.db)).some((r) => r.email === roomEmail)) {
        throw notFound(`${roomEmail} is not a synced room: only active rooms are re-synced.`);
      }
      const run = await deps.runs.create(roomEmail ?? null);
      try {
        // Its own singleton key: a pass already waiting for the room must not swallow the run.
        await deps.queue.send<ReconcileJob>(RECONCILE_QUEUE, {
          data: { reason: 'on demand', runId: run.id, ...(roomEmail ? { roomEmail } : {}) },
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
    },

    reconcileRun: (id) => deps.runs.get(id),

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

/** What pg-boss kept of the last error: JobQueue.runOne fails jobs with { message, name }. */
function errorMessage(output: unknown): string | null {
  if (output && typeof output === 'object' && 'message' in output) {
    return String((output as { message: unknown }).message);
  }
  return typeof output === 'string' ? output : null;
}
