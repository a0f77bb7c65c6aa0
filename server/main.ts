import fs from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config';
import { resolveAdminToken } from './store/adminToken';
import { buildAddinArea } from './compose/addin';
import { addinStaticRouter } from './http/addinStatic';
import { createApp, type Mount } from './http/app';
import { healthRouter } from './http/healthRouter';
import { createListener } from './http/listener';
import { hectorRouter } from './http/hectorRouter';
import { buildHector } from './compose/hector';
import { buildIntegrationArea } from './compose/integration';
import { buildInboundArea } from './compose/inbound';
import { buildOutboundArea } from './compose/outbound';
import { buildReconcileArea } from './compose/reconcile';
import { createLogger, type Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import type { Database } from './store/database';
import { isMigrated, migrateToLatest } from './store/migrate';
import { openDatabase } from './store/openDatabase';
import { JobQueue } from './store/queue';

/** A running service: what tests, the demo and the CLI hold on to. */
export interface Service {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  database: Database;
  queue: JobQueue;
  adminToken: string;
  /** Where this instance listens, e.g. http://127.0.0.1:PORT (not PUBLIC_URL). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ServiceOptions {
  logger?: Logger;
  /** Start without the queue workers (a second instance used only to enqueue, in tests). */
  workers?: boolean;
  /** The service's clock; tests move it (no hidden global clock in the areas). */
  now?: () => Date;
}

/**
 * The composition root: config → database → queue → areas → HTTP. Nothing else wires
 * dependencies; every area receives what it needs from here.
 */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const database = await openDatabase(config);
  let queue: JobQueue | undefined;
  try {
    queue = await database.withStartupLock(async () => {
      const applied = await migrateToLatest(database);
      if (applied.length > 0) logger.info({ event: 'db.migrated', applied }, 'database migrated');
      return JobQueue.start(database, { metrics, logger });
    });
  } catch (error) {
    await queue?.stop(1000).catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
  const admin = resolveAdminToken(config.adminToken, config.dataDir);
  if (admin.generated) {
    // Printed once, on the first start; afterwards it is read from the file.
    process.stdout.write(`Admin token (saved in ${admin.file}): ${admin.token}\n`);
  }

  let migrated = false;
  const checkReady = async (): Promise<void> => {
    await database.ping(2000);
    if (!migrated) {
      migrated = await isMigrated(database);
      if (!migrated) throw new Error('database schema is not migrated yet');
    }
  };

  const now = options.now ?? (() => new Date());
  void now; // used by the areas wired below

  // ── Areas: build each area's services here, from the shared pieces above. ──
  const hector = await buildHector({
    database,
    queue: queue!,
    logger,
    now,
    workers: options.workers !== false,
  });
  // PUBLIC_URL with port 0 (tests) means "wherever this instance ends up listening".
  let publicUrl = config.publicUrl;
  const integration = await buildIntegrationArea({
    publicUrl: () => publicUrl,
    config,
    database,
    queue: queue!,
    logger,
    metrics,
    now,
    adminToken: admin.token,
    places: hector,
    workers: options.workers !== false,
  });
  // Outlook → Hector: the worker of the room-event queue the intake fills, and the journal route.
  const inbound = await buildInboundArea({
    database,
    queue: queue!,
    logger,
    now,
    adminToken: admin.token,
    hector,
    journal: integration.journal,
    graph: () => integration.service.graph(),
    workers: options.workers !== false,
  });
  // Hector → Outlook: the outbox dispatcher and the worker that pushes Hector-side loan changes.
  const outbound = await buildOutboundArea({
    database,
    queue: queue!,
    logger,
    now,
    hector,
    journal: integration.journal,
    links: inbound.links,
    settings: inbound.deps.settings,
    organizers: inbound.deps.organizers,
    graph: () => integration.service.graph(),
    loanUrl: config.hectorLoanUrl,
    workers: options.workers !== false,
  });
  // Reconcile / backfill (flow 7): delta passes per room after a save, per gap, hourly and on demand.
  const reconcile = await buildReconcileArea({
    database,
    queue: queue!,
    logger,
    now,
    adminToken: admin.token,
    journal: integration.journal,
    gaps: integration.gaps,
    graph: () => integration.service.graph(),
    workers: options.workers !== false,
  });
  // The Outlook add-in's API (and its test harness in test mode): the caller's own event → loan.
  const addin = buildAddinArea({
    config,
    logger,
    now,
    graph: () => integration.service.graph(),
    tenantId: async () => (await integration.service.getSettings()).tenantId,
    hector,
    links: inbound.links,
    journal: integration.journal,
  });

  const mounts: Mount[] = [
    {
      path: '/',
      router: healthRouter({ metrics, checkReady, beforeScrape: () => queue!.refreshDepth() }),
    },
    // ── Areas: mount each area's router here. ──
    ...reconcile.mounts, // before the integration's: sees its settings saves (B1)
    ...integration.mounts,
    ...inbound.mounts,
    ...addin.mounts,
    {
      path: '/api/hector',
      router: hectorRouter({ hector, adminToken: admin.token, jsonBodyLimit: config.jsonBodyLimit }),
    },
    // The add-in's pages, icons and manifests (PUBLIC_URL substituted).
    {
      path: '/',
      router: addinStaticRouter({ publicUrl: () => publicUrl, apiClientId: config.addinClientId }),
    },
  ];
  const app = createApp({
    logger,
    metrics,
    jsonBodyLimit: config.jsonBodyLimit,
    mounts,
    hotMounts: integration.webhookMounts,
  });

  const server = createListener(
    app,
    config.tls
      ? { cert: fs.readFileSync(config.tls.certFile), key: fs.readFileSync(config.tls.keyFile) }
      : undefined,
  );
  await server.listen(config.port, config.host);
  const port = server.address().port;
  const url = `${config.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  if (new URL(config.publicUrl).port === '0') publicUrl = url;
  logger.info(
    { event: 'service.started', url, publicUrl: config.publicUrl, database: database.kind },
    'listening',
  );

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      logger.info({ event: 'service.stopping' }, 'stopping: no new requests or jobs');
      const serverClosed = server.close();
      await outbound.stop();
      await queue!.stop(config.shutdownTimeoutMs);
      const forced = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await serverClosed;
      clearTimeout(forced);
      await database.close();
      logger.info({ event: 'service.stopped' }, 'stopped');
    })();
    return closing;
  };

  return { config, logger, metrics, database, queue, adminToken: admin.token, url, port, close };
}

async function runFromCommandLine(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // Handlers first: a signal that arrives while we start must stop us cleanly, not kill us.
  let starting: Promise<Service | undefined> = Promise.resolve(undefined);
  const stop = (signal: string) => {
    void starting.then((service) => {
      if (!service) process.exit(0);
      service.logger.info({ event: 'service.signal', signal }, 'signal received');
      service.close().then(
        () => process.exit(0),
        (error: unknown) => {
          service.logger.error({ err: error }, 'unclean stop');
          process.exit(1);
        },
      );
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  starting = startService(config).catch((error: unknown) => {
    process.stderr.write(`Cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
  const service = await starting;
  if (service) {
    process.stdout.write(`hector-outlook listening on ${service.url} (public URL ${config.publicUrl})\n`);
  }
}

if (require.main === module) void runFromCommandLine();
