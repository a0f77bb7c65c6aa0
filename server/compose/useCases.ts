import { createNotificationCertificates } from '../store/notificationCertificates';
import { createCertificateKeeper } from '../sync/richNotifications/certificates';
import { createRichCopies } from '../sync/richNotifications/richCopy';
import { createValidationTokenCheck } from '../sync/richNotifications/validationTokens';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { EmbeddedHector } from '../hector/embeddedHector';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { Database } from '../store/database';
import { createClusterMailboxSlots } from '../store/clusterMailboxSlots';
import { createGaps, type Gaps } from '../store/gaps';
import { inProcessMailboxSlots } from '../graph/mailboxSlots';
import { createJournal, type Journal } from '../store/journal';
import { withQuietPasses } from '../sync/journalEntries';
import { createLinks, type Links } from '../store/links';
import { createOutboundState, type OutboundState } from '../store/outboundState';
import { readSyncSettings } from '../store/settings';
import type { JobQueue } from '../store/queue';
import { SecretBox } from '../store/secretBox';
import { SubscriptionDirectory } from '../store/subscriptionDirectory';
import type { AddinLoanDeps } from '../sync/addin/addinLoan';
import type { AddinActionDeps } from '../sync/addin/meetingLoans';
import type { InboundDeps } from '../sync/inbound/deps';
import { IntegrationService } from '../sync/integration/integrationService';
import {
  OUTBOUND_ROOM_CHECK_QUEUE,
  ROOM_EVENT_QUEUE,
  type RoomCheckJob,
  type RoomEventJob,
} from '../sync/jobs';
import { createKeyedChain } from '../sync/keyedChain';
import { createMeetingLock } from '../sync/meetingLock';
import { createOrganizerDirectory } from '../sync/organizers';
import type { OutboundDeps } from '../sync/outbound/deps';
import { createOutboxDispatcher, type OutboxDispatcher } from '../sync/outboxDispatcher';
import { IMMUTABLE_IDS_QUEUE, type IdUpgradeDeps } from '../sync/immutableIds';
import {
  BOOKING_WINDOW_DAYS,
  RECONCILE_QUEUE,
  type ReconcileDeps,
  type ReconcileJob,
} from '../sync/reconcile';
import { createLagSamples } from '../store/lagSamples';
import { createReconcileRuns, type ReconcileRuns } from '../store/reconcileRuns';
import { createRoomActivity, type RoomActivity } from '../store/roomActivity';
import { createSettingsStore } from '../store/settings';
import { runDailyCheck, type DailyCheckDeps } from '../sync/operations/dailyCheck';
import { createLagRecorder, type LagRecorder } from '../sync/operations/lag';
import { createOperations, type Operations } from '../sync/operations/operations';
import { createSecretExpiryReader } from '../sync/operations/secretExpiry';
import type { DriftDeps } from '../sync/operations/drift';

export interface UseCaseInputs {
  config: Config;
  database: Database;
  queue: JobQueue;
  logger: Logger;
  metrics: Metrics;
  now: Clock;
  wallClock: Clock;
  /** PUBLIC_URL as known once the server listens (its port is 0 in tests). */
  publicUrl: () => string;
}

/** Every repository and use case of the service, built once from the shared pieces. */
export interface UseCases {
  hector: EmbeddedHector;
  journal: Journal;
  gaps: Gaps;
  links: Links;
  directory: SubscriptionDirectory;
  outboundState: OutboundState;
  integration: IntegrationService;
  inbound: InboundDeps;
  outbound: OutboundDeps;
  outbox: OutboxDispatcher;
  reconcile: ReconcileDeps;
  addin: AddinLoanDeps;
  /** Issue 17: the pane's actions (assets, check-in, availability). */
  addinActions: AddinActionDeps;
  /** Queues a reconcile pass (every room, or one): what a save, a gap and the start-up do. */
  requestReconcile(job: ReconcileJob): void;
  idUpgrade: IdUpgradeDeps;
  /** Queues the one-time upgrade to immutable ids (at start-up; a no-op once done). */
  requestIdUpgrade(): void;
  /** Issue 15: status, re-sync runs, dead letters (the admin's operations). */
  operations: Operations;
  reconcileRuns: ReconcileRuns;
  /** What a re-sync run's drift report reads (issue 15). */
  drift: DriftDeps;
  lag: LagRecorder;
  roomActivity: RoomActivity;
  /** The daily connection check (S2 once a day). */
  dailyCheck(): ReturnType<typeof runDailyCheck>;
  /** Lets go of what the use cases hold beyond the database (the mailbox slots' connection). */
  close(): Promise<void>;
}

/**
 * The dependency graph of the use cases: repositories on the database, the Graph gateway of the
 * saved settings, and the callbacks that tie one flow to another (a gap asks for a reconcile pass,
 * outbound schedules its looks at the rooms' answers). Built by server/main.ts only.
 */
export function buildUseCases(inputs: UseCaseInputs): UseCases {
  const { config, database, queue, logger, metrics, now, wallClock } = inputs;
  const db = database.db;
  const { timings } = config;

  const requestReconcile = (job: ReconcileJob): void => {
    // A lost request is caught by the hourly pass; never fail the caller's own work for it.
    queue
      .send<ReconcileJob>(RECONCILE_QUEUE, { data: job, singletonKey: job.roomEmail ?? '*' })
      .catch((err: unknown) =>
        logger.warn({ event: 'reconcile.request_failed', err, ...job }, 'could not queue a reconcile pass'),
      );
  };

  const hector = new EmbeddedHector(db, now);
  const journal = createJournal(db, now);
  // B2: every gap in notification coverage asks for a pass of its room.
  const gaps = createGaps(db, {
    onRecorded: (gap) => requestReconcile({ roomEmail: gap.roomEmail, reason: 'gap' }),
  });
  const links = createLinks(db, now);
  const directory = new SubscriptionDirectory(db, undefined, undefined, wallClock);
  const outboundState = createOutboundState(db, now);
  const settings = () => readSyncSettings(db);
  const organizers = createOrganizerDirectory(now);

  const secrets = SecretBox.fromConfig(config.secretKey, config.dataDir);
  // Issue 18: our rich-notification keys. Subscriptions carry them only with RICH_NOTIFICATIONS=on;
  // rich copies are opened either way (subscriptions made while it was on live on for a day).
  const notificationCertificates = createNotificationCertificates(db, secrets);
  const richCertificates = config.richNotifications
    ? createCertificateKeeper({
        store: notificationCertificates,
        now,
        lifetimeMs: timings.notificationCertificateLifetimeMs,
        rotateBeforeMs: timings.notificationCertificateRotateBeforeMs,
      })
    : undefined;
  // Graph's 4 requests in flight per mailbox are per app: across every instance on PostgreSQL,
  // and shared by every gateway of this process either way.
  const clusterSlots =
    database.kind === 'postgres' && config.databaseUrl
      ? createClusterMailboxSlots({ databaseUrl: config.databaseUrl, logger })
      : undefined;
  const mailboxSlots = clusterSlots ?? inProcessMailboxSlots();
  const integration = new IntegrationService({
    ...(richCertificates ? { richCertificates } : {}),
    throttling: { slots: mailboxSlots },
    clusterLock: createMeetingLock(database, 'cluster'),
    config,
    publicUrl: inputs.publicUrl,
    db,
    secrets,
    journal,
    gaps,
    directory,
    places: hector,
    logger,
    metrics,
    now,
    wallClock,
  });
  const graph = () => integration.graph();

  const inbound: InboundDeps = {
    graph,
    hector,
    links,
    // Issue 15: a reconcile re-read that changes nothing writes no line (the pass sums it up).
    journal: withQuietPasses(journal),
    settings,
    organizers,
    lock: createMeetingLock(database),
    hectorChanges: outboundState,
    copyGate: createKeyedChain(),
    now,
    wallClock,
    deferralLadderMs: timings.inboundDeferralLadderMs,
    logger,
    rich: createRichCopies({
      certificates: notificationCertificates,
      checkTokens: createValidationTokenCheck({ authorityUrl: config.authorityUrl }),
      identity: async () => {
        const saved = await integration.savedSettings();
        return saved ? { tenantId: saved.tenantId, clientId: saved.clientId } : null;
      },
    }),
  };

  const outbound: OutboundDeps = {
    graph,
    hector,
    links,
    state: outboundState,
    journal,
    settings,
    organizers,
    // Its own lock instance, as before the house was rebuilt: the database lock serializes both
    // directions; the in-process chains stay per direction.
    lock: createMeetingLock(database),
    loanUrl: config.hectorLoanUrl,
    logger,
    async scheduleRoomCheck(job) {
      // Past the ladder's last step the rooms' notifications and the next reconcile pass take over.
      const delayMs = timings.roomAnswerCheckLadderMs[job.attempt - 1];
      if (delayMs === undefined) return false;
      await queue.send<RoomCheckJob>(OUTBOUND_ROOM_CHECK_QUEUE, {
        data: job,
        singletonKey: job.loanId,
        startAfter: new Date(wallClock().getTime() + delayMs),
      });
      return true;
    },
  };

  const outbox = createOutboxDispatcher({
    hector,
    state: outboundState,
    queue,
    settings,
    wallClock,
    logger,
    pollMs: timings.outboxPollMs,
    sweepAfterMs: timings.outboundSweepAfterMs,
  });

  const reconcile: ReconcileDeps = {
    db,
    graph,
    gaps,
    journal,
    enqueue: (jobs) => queue.sendMany<RoomEventJob>(ROOM_EVENT_QUEUE, jobs),
    now,
    logger,
  };

  const addin: AddinLoanDeps = {
    graph,
    graphAsUser: (assertion) => integration.graphAsUser(assertion),
    hector,
    links,
    journal,
    loanUrl: config.hectorLoanUrl,
    now,
    logger,
  };

  const addinActions: AddinActionDeps = { ...addin, hector, links };

  const idUpgrade: IdUpgradeDeps = { db, graph, journal, logger, now };
  const requestIdUpgrade = (): void => {
    queue
      .send(IMMUTABLE_IDS_QUEUE, { data: {}, singletonKey: 'once' })
      .catch((err: unknown) =>
        logger.warn({ event: 'upgrade.request_failed', err }, 'could not queue the immutable-id upgrade'),
      );
  };

  const lagSamples = createLagSamples(db);
  const lag = createLagRecorder({ samples: lagSamples, metrics, wallClock, logger });
  const roomActivity = createRoomActivity(db);
  const reconcileRuns = createReconcileRuns(db, now);
  const operations = createOperations({
    db,
    queue,
    runs: reconcileRuns,
    isConfigured: async () => (await integration.graph()) !== null,
    wallClock,
    status: {
      db,
      queue,
      lag: lagSamples,
      activity: roomActivity,
      settings: createSettingsStore(db),
      secretExpiry: createSecretExpiryReader({
        graph,
        // Graph's hint of a secret is its first 3 characters: nothing more of it is handed on.
        secretHint: (saved) => secrets.open(saved.clientSecretSealed).slice(0, 3),
        wallClock,
        logger,
      }),
      now,
      wallClock,
    },
  });
  const drift: DriftDeps = {
    db,
    hector,
    journal,
    now,
    wallClock,
    inboundLeft: (rooms) => queue.dueOrActive(ROOM_EVENT_QUEUE, 'roomEmail', rooms),
    stopping: () => queue.stopping,
    bookingWindowDays: reconcile.bookingWindowDays ?? BOOKING_WINDOW_DAYS,
  };
  const dailyCheckDeps: DailyCheckDeps = {
    saved: () => integration.savedSettings(),
    test: () => integration.testConnection({}),
    journal,
    logger,
  };

  return {
    hector,
    journal,
    gaps,
    links,
    directory,
    outboundState,
    integration,
    inbound,
    outbound,
    outbox,
    reconcile,
    addin,
    addinActions,
    requestReconcile,
    idUpgrade,
    requestIdUpgrade,
    operations,
    reconcileRuns,
    drift,
    lag,
    roomActivity,
    dailyCheck: () => runDailyCheck(dailyCheckDeps),
    close: async () => {
      await clusterSlots?.close();
    },
  };
}
