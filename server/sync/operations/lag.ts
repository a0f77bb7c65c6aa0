import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { Metrics } from '../../metrics';
import { LAG_WINDOW_MS, type LagDirection, type LagSamples } from '../../store/lagSamples';
import type { InboundOutcome } from '../inbound/deps';
import type { RoomEventJob } from '../jobs';
import type { OutboundDecision } from '../outbound/rules';

export interface LagRecorderDeps {
  samples: LagSamples;
  metrics: Pick<Metrics, 'syncLag'>;
  /** Real time: the stamps compared are the intake's and the database's. */
  wallClock: Clock;
  logger: Pick<Logger, 'warn'>;
}

export interface LagRecorder {
  /** A change that started at `since` is now written (the histogram and the status page's hour). */
  record(direction: LagDirection, since: Date): Promise<void>;
}

/** Samples older than the window are dropped at most this often. */
const PRUNE_EVERY_MS = 5 * 60 * 1000;

export function createLagRecorder(deps: LagRecorderDeps): LagRecorder {
  let prunedAt = 0;
  return {
    async record(direction, since) {
      const now = deps.wallClock();
      const lagMs = Math.max(0, now.getTime() - since.getTime());
      deps.metrics.syncLag.observe({ direction }, lagMs / 1000);
      try {
        await deps.samples.record(direction, lagMs, now);
        if (now.getTime() - prunedAt > PRUNE_EVERY_MS) {
          prunedAt = now.getTime();
          await deps.samples.prune(new Date(now.getTime() - LAG_WINDOW_MS));
        }
      } catch (error) {
        // A figure for the status page never fails the sync it measures.
        deps.logger.warn(
          { err: error, event: 'lag.record_failed', direction },
          'could not record a lag sample',
        );
      }
    },
  };
}

/**
 * Inbound lag is the time from the notification's arrival to the loan written: only jobs made by
 * a notification (not a reconcile pass's replay) that changed a loan count.
 */
export function inboundLagStart(job: RoomEventJob, outcome: InboundOutcome | undefined): Date | null {
  if (!outcome?.decision || job.changeType === 'reconciled') return null;
  const kind = outcome.decision.kind;
  if (kind !== 'created' && kind !== 'updated' && kind !== 'cancelled') return null;
  const at = new Date(job.receivedAt);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Outbound decisions that wrote to Outlook (an event made, changed, moved, removed, or rooms declined). */
export function outboundWrote(decisions: readonly OutboundDecision[] | null | undefined): boolean {
  return (decisions ?? []).some((d) =>
    ['created', 'updated', 'moved', 'deleted', 'declined'].includes(d.kind),
  );
}
