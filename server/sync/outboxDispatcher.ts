import type { Clock } from '../clock';
import type { HectorPort, LoanChange } from '../hector/port';
import type { Logger } from '../logger';
import type { OutboundState } from '../store/outboundState';
import type { JobQueue } from '../store/queue';
import { OUTBOUND_LOAN_QUEUE, type OutboundLoanJob } from './jobs';
import { eventFieldsOfChanges } from './outbound/rules';
import type { IntegrationSettingsFacts } from './rules/requester';

export interface OutboxDispatcherDeps {
  hector: Pick<HectorPort, 'pendingOutbox' | 'markDispatched'>;
  state: OutboundState;
  queue: Pick<JobQueue, 'sendMany'>;
  settings(): Promise<(IntegrationSettingsFacts & { enabled: boolean }) | null>;
  wallClock: Clock;
  logger: Logger;
  /** How often the outbox is read while it is empty (ms); at once again while it is not. */
  pollMs: number;
  /** A change older than this and still not pushed is queued again by the sweep. */
  sweepAfterMs: number;
}

export interface OutboxDispatcher {
  /** One pass of the outbox: returns how many rows it handled. */
  dispatch(): Promise<number>;
  /** Queues again every change that no job has pushed yet (at start-up, then on the sweep's cron). */
  sweep(olderThanMs?: number): Promise<number>;
  /** Polls the outbox until stopped. */
  start(): void;
  /** Stops polling; resolves once a running pass has finished. */
  stop(): Promise<void>;
}

const OUTBOX_BATCH = 200;

/**
 * Hector → Outlook hand-over (flow 5). The Hector core writes an outbox row in the same
 * transaction as each loan change, with its origin; it cannot call us after its commit, so this
 * polls the outbox. Rows of origin 'hector' become jobs on `outbound-loan` (one waiting job per
 * loan), and the event fields they touch are added to the loan's pending fields, which are all the
 * job writes; rows of origin 'outlook' were written by inbound sync and are only marked
 * dispatched — that is the echo rule (flow 6). A row is marked only after its job is durably
 * queued and the loan recorded as pending, so a crash re-reads it; the sweep covers jobs lost in
 * a killed process (the fields stay recorded, so its job writes them and nothing else).
 */
export function createOutboxDispatcher(deps: OutboxDispatcherDeps): OutboxDispatcher {
  const dispatch = async (): Promise<number> => {
    const rows = await deps.hector.pendingOutbox(OUTBOX_BATCH);
    if (rows.length === 0) return 0;
    const changes = new Map<string, LoanChange[]>();
    for (const row of rows) {
      if (row.origin === 'hector') changes.set(row.loanId, [...(changes.get(row.loanId) ?? []), row.change]);
    }
    const loanIds = [...changes.keys()];
    if (loanIds.length > 0) {
      await deps.state.markPending(
        new Map([...changes].map(([loanId, list]) => [loanId, eventFieldsOfChanges(list)])),
        deps.wallClock(),
      );
      await deps.queue.sendMany<OutboundLoanJob>(
        OUTBOUND_LOAN_QUEUE,
        loanIds.map((loanId) => ({ data: { loanId }, singletonKey: loanId })),
      );
    }
    await deps.hector.markDispatched(rows.map((r) => r.id));
    return rows.length;
  };

  const sweep = async (olderThanMs = deps.sweepAfterMs): Promise<number> => {
    const settings = await deps.settings();
    if (!settings?.enabled) return 0;
    const before = new Date(deps.wallClock().getTime() - olderThanMs);
    const loanIds = await deps.state.pendingBefore(before, 1000);
    if (loanIds.length === 0) return 0;
    await deps.queue.sendMany<OutboundLoanJob>(
      OUTBOUND_LOAN_QUEUE,
      loanIds.map((loanId) => ({ data: { loanId }, singletonKey: loanId })),
    );
    deps.logger.info({ event: 'outbound.swept', loans: loanIds.length }, 're-enqueued unpushed loan changes');
    return loanIds.length;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  const loop = async (): Promise<void> => {
    if (stopped) return;
    let handled = 0;
    try {
      running = dispatch();
      handled = await running;
    } catch (error) {
      if (!stopped)
        deps.logger.warn({ err: error, event: 'outbound.dispatch_failed' }, 'outbox dispatch failed');
    }
    if (!stopped) timer = setTimeout(() => void loop(), handled >= OUTBOX_BATCH ? 0 : deps.pollMs);
  };

  return {
    dispatch,
    sweep,
    start() {
      if (!stopped && !timer) timer = setTimeout(() => void loop(), 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // Let a pass that is reading the outbox finish before the database closes.
      await running?.catch(() => undefined);
    },
  };
}
