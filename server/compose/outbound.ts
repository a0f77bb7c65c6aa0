import type { GraphGateway } from '../graph/gateway';
import type { HectorPort, LoanChange } from '../hector/port';
import type { Logger } from '../logger';
import type { Database } from '../store/database';
import type { JobQueue } from '../store/queue';
import type { Journal } from '../store/journal';
import type { Links } from '../store/links';
import { createMeetingLock } from '../sync/meetingLock';
import { createOrganizerDirectory, type OrganizerDirectory } from '../sync/organizers';
import {
  checkRoomAnswers,
  OUTBOUND_LOAN_QUEUE,
  OUTBOUND_ROOM_CHECK_QUEUE,
  syncLoanToOutlook,
  type OutboundDeps,
  type OutboundLoanJob,
  type RoomCheckJob,
} from '../sync/outbound';
import { eventFieldsOfChanges } from '../sync/outboundRules';
import { createOutboundState, type OutboundState } from '../store/outboundState';
import type { IntegrationSettingsFacts } from '../sync/rules';

/** Scheduled safety net: re-enqueues Hector-side changes that no job has pushed (a killed process). */
export const OUTBOUND_SWEEP_QUEUE = 'outbound-sweep';
const SWEEP_CRON = '* * * * *';

export interface OutboundAreaDeps {
  database: Database;
  queue: JobQueue;
  logger: Logger;
  now: () => Date;
  hector: Pick<
    HectorPort,
    'getLoan' | 'cancelItem' | 'cancelLoan' | 'listPlaces' | 'pendingOutbox' | 'markDispatched'
  >;
  journal: Journal;
  links: Links;
  settings: () => Promise<(IntegrationSettingsFacts & { enabled: boolean }) | null>;
  graph: () => Promise<GraphGateway | null>;
  organizers?: OrganizerDirectory;
  /** HECTOR_LOAN_URL ({id} replaced by the loan id). */
  loanUrl: string;
  workers?: boolean;
  /** How often the outbox is read while it is empty (ms); at once again while it is not. */
  pollMs?: number;
  /** A job whose change is older than this and still not pushed is re-enqueued by the sweep. */
  sweepAfterMs?: number;
  /** Delay before another look at the rooms' answers (Exchange answers in seconds). */
  roomCheckDelayMs?: number;
}

export interface OutboundArea {
  deps: OutboundDeps;
  state: OutboundState;
  /** One pass of the outbox (tests and the sweep): returns how many rows it handled. */
  dispatch(): Promise<number>;
  /** Re-enqueues every change that no job has pushed yet (at start-up, then every minute). */
  sweep(olderThanMs?: number): Promise<number>;
  /** Stops polling; resolves once a running pass has finished. */
  stop(): Promise<void>;
}

const OUTBOX_BATCH = 200;

/**
 * Hector → Outlook (flow 5) wiring. The Hector core writes an outbox row in the same transaction
 * as each loan change, with its origin; it cannot call us after its commit, so a dispatcher polls
 * the outbox. Rows of origin 'hector' become jobs on `outbound-loan` (one waiting job per loan),
 * and the event fields they touch are added to the loan's pending fields, which are all the job
 * writes; rows of origin 'outlook' were written by inbound sync and are only marked dispatched —
 * that is the echo rule. A row is marked only after its job is durably enqueued and the loan
 * recorded as pending, so a crash re-reads it; the sweep covers jobs lost in a killed process (the
 * fields stay recorded, so its job writes them and nothing else).
 */
export async function buildOutboundArea(deps: OutboundAreaDeps): Promise<OutboundArea> {
  const state = createOutboundState(deps.database.db, deps.now);
  const roomCheckDelayMs = deps.roomCheckDelayMs ?? 3000;
  const outbound: OutboundDeps = {
    graph: deps.graph,
    hector: deps.hector,
    links: deps.links,
    state,
    journal: deps.journal,
    settings: deps.settings,
    organizers: deps.organizers ?? createOrganizerDirectory(deps.now),
    lock: createMeetingLock(deps.database),
    loanUrl: deps.loanUrl,
    logger: deps.logger,
    async scheduleRoomCheck(job) {
      await deps.queue.send<RoomCheckJob>(OUTBOUND_ROOM_CHECK_QUEUE, {
        data: job,
        singletonKey: job.loanId,
        startAfter: new Date(Date.now() + roomCheckDelayMs * job.attempt),
      });
    },
  };

  // Throttled and failed writes are retried with backoff; a job that gives up is dead-lettered and
  // its loan stays pending, so the sweep tries again later.
  await deps.queue.define({
    name: OUTBOUND_LOAN_QUEUE,
    policy: 'short',
    retryLimit: 8,
    retryDelaySeconds: 1,
    retryBackoff: true,
    expireInSeconds: 120,
  });
  await deps.queue.define({
    name: OUTBOUND_ROOM_CHECK_QUEUE,
    policy: 'short',
    retryLimit: 3,
    retryDelaySeconds: 2,
  });
  await deps.queue.define({
    name: OUTBOUND_SWEEP_QUEUE,
    policy: 'short',
    retryLimit: 0,
    expireInSeconds: 60,
  });

  const wallClock = () => new Date();

  const dispatch = async (): Promise<number> => {
    const rows = await deps.hector.pendingOutbox(OUTBOX_BATCH);
    if (rows.length === 0) return 0;
    const changes = new Map<string, LoanChange[]>();
    for (const row of rows) {
      if (row.origin === 'hector') changes.set(row.loanId, [...(changes.get(row.loanId) ?? []), row.change]);
    }
    const loanIds = [...changes.keys()];
    if (loanIds.length > 0) {
      await state.markPending(
        new Map([...changes].map(([loanId, list]) => [loanId, eventFieldsOfChanges(list)])),
        wallClock(),
      );
      await deps.queue.sendMany<OutboundLoanJob>(
        OUTBOUND_LOAN_QUEUE,
        loanIds.map((loanId) => ({ data: { loanId }, singletonKey: loanId })),
      );
    }
    await deps.hector.markDispatched(rows.map((r) => r.id));
    return rows.length;
  };

  const sweep = async (olderThanMs = deps.sweepAfterMs ?? 60_000): Promise<number> => {
    const settings = await deps.settings();
    if (!settings?.enabled) return 0;
    const loanIds = await state.pendingBefore(new Date(wallClock().getTime() - olderThanMs), 1000);
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
  if (deps.workers !== false) {
    await deps.queue.work<OutboundLoanJob>(
      OUTBOUND_LOAN_QUEUE,
      { concurrency: 2, batchSize: 4 },
      async (job) => {
        const startedAt = wallClock();
        const decisions = await syncLoanToOutlook(job, outbound);
        if (decisions) await state.clearPending(job.loanId, startedAt, wallClock());
      },
    );
    await deps.queue.work<RoomCheckJob>(OUTBOUND_ROOM_CHECK_QUEUE, { concurrency: 1, batchSize: 4 }, (job) =>
      checkRoomAnswers(job, outbound),
    );
    await deps.queue.work(OUTBOUND_SWEEP_QUEUE, { concurrency: 1 }, async () => {
      await sweep();
    });
    await deps.queue.schedule(OUTBOUND_SWEEP_QUEUE, SWEEP_CRON);

    // Work a killed process left behind (its jobs stay active until pg-boss expires them).
    await sweep(0).catch((error: unknown) =>
      deps.logger.warn({ err: error, event: 'outbound.sweep_failed' }, 'outbound sweep failed'),
    );

    const pollMs = deps.pollMs ?? 200;
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
      if (!stopped) timer = setTimeout(() => void loop(), handled >= OUTBOX_BATCH ? 0 : pollMs);
    };
    timer = setTimeout(() => void loop(), 0);
  }

  return {
    deps: outbound,
    state,
    dispatch,
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // Let a pass that is reading the outbox finish before the database closes.
      await running?.catch(() => undefined);
    },
  };
}
