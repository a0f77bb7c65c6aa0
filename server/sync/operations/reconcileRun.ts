import type { RoomDrift } from '../../../contract/admin';
import type { ReconcileRuns, RunError } from '../../store/reconcileRuns';
import { journalFailures } from '../failures';
import { enabledGraph, RECONCILE_QUEUE, reconcileRoom, syncedRooms, type ReconcileDeps } from '../reconcile';
import { classifyFailure, isPermanent } from '../rules/failure';
import { describeFailure, type FailureSubject } from '../rules/wording';
import { roomDrift, waitForInbound, type DriftDeps } from './drift';

export interface ReconcileRunDeps {
  reconcile: ReconcileDeps;
  runs: ReconcileRuns;
  /** The drift report after the pass; none made without it. */
  drift?: DriftDeps;
  /** The service is stopping: the rooms left are not passed (a later run does them). */
  stopping?: () => boolean;
}

/**
 * A re-sync an admin asked for (issue 15): the same per-room pass as the schedule's (flow 7), one
 * room at a time, its progress recorded after each room. A room that fails is journaled (B6) and
 * named in the run's errors; the other rooms are still passed. Never throws for a room: the run is
 * the retry an admin sees, not pg-boss's.
 */
export async function runReconcile(runId: string, deps: ReconcileRunDeps): Promise<void> {
  const only = await deps.runs.roomOf(runId);
  if (only === undefined) return; // not ours (a row deleted by hand): nothing to report on
  const graph = await enabledGraph(deps.reconcile);
  if (!graph) {
    await deps.runs.started(runId, 0);
    await deps.runs.finished(runId, 'failed', {
      roomEmail: null,
      message: 'The Outlook integration is not configured or is disabled: nothing was re-synced.',
    });
    return;
  }
  let rooms = await syncedRooms(deps.reconcile.db);
  if (only) rooms = rooms.filter((r) => r.email === only);
  await deps.runs.started(runId, rooms.length);
  let failed = 0;
  const passed: string[] = [];
  for (const room of rooms) {
    if (deps.stopping?.()) {
      await deps.runs.finished(runId, 'failed', {
        roomEmail: null,
        message: 'The service stopped during the re-sync: run it again.',
      });
      return;
    }
    const subject: FailureSubject = {
      mailboxName: room.name,
      mailboxIsRoom: true,
      loanNumber: null,
      flow: 'other',
      purpose: `the re-sync of ${room.name}`,
    };
    let error: RunError | undefined;
    let items = 0;
    try {
      items = (await reconcileRoom(deps.reconcile, graph, room)).changes;
    } catch (cause) {
      const failure = classifyFailure(cause, { mailbox: room.email, access: 'read' });
      error = {
        roomEmail: room.email,
        message: describeFailure(failure, subject, isPermanent(failure) ? undefined : 1),
      };
      // B6: journaled as a last try's failure (the run does not retry; the admin may run it again).
      await journalFailures(
        () => Promise.reject(cause),
        { retryCount: 0, retryLimit: 0 },
        async () => ({
          queue: RECONCILE_QUEUE,
          subject,
          mailbox: room.email,
          access: 'read',
          roomEmail: room.email,
        }),
        deps.reconcile,
      ).catch(() => undefined);
    }
    if (error) failed++;
    else passed.push(room.email);
    await deps.runs.roomDone(runId, items, error);
  }
  if (deps.drift && passed.length > 0) await reportDrift(runId, deps.drift, graph, passed, deps.runs);
  await deps.runs.finished(runId, rooms.length > 0 && failed === rooms.length ? 'failed' : 'finished');
}

/**
 * Issue 15: once the changes the pass queued are applied, what still differs per room. A room
 * whose report cannot be read (Graph refused meanwhile) is named in the run's errors, not
 * reported as in sync.
 */
async function reportDrift(
  runId: string,
  deps: DriftDeps,
  graph: Parameters<typeof roomDrift>[1],
  roomEmails: string[],
  runs: ReconcileRuns,
): Promise<void> {
  await waitForInbound(deps, roomEmails);
  // The service is stopping: no report (its database is about to close); the run still ends.
  if (deps.stopping?.()) return;
  const drift: RoomDrift[] = [];
  for (const roomEmail of roomEmails) {
    try {
      drift.push(await roomDrift(deps, graph, roomEmail));
    } catch {
      await runs.addError(runId, {
        roomEmail,
        message: `The drift report of ${roomEmail} could not be read.`,
      });
    }
  }
  await runs.setDrift(runId, drift);
}
