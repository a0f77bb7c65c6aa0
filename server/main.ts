import fs from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from './clock';
import { ConfigError, loadConfig, type Config } from './config';
import { queueTable } from './compose/jobs';
import { startQueues } from './compose/queueTable';
import { buildRoutes } from './compose/routes';
import { buildUseCases } from './compose/useCases';
import { createApp } from './http/app';
import { createListener } from './http/listener';
import { createLogger, type Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';
import { resolveAdminToken } from './store/adminToken';
import { pgliteDir } from './store/pgliteDatabase';
import { ensurePrivateDir, tightenTree } from './store/privateFiles';
import { resealLegacySecrets } from './store/resealSecrets';
import { SecretBox } from './store/secretBox';
import type { Database } from './store/database';
import { isMigrated, migrateToLatest } from './store/migrate';
import { openDatabase } from './store/openDatabase';
import { JobQueue } from './store/queue';
import type { IntakeTimeline } from './http/intakeTimeline';

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
  /** The business clock (server/clock.ts); tests move it. */
  now?: Clock;
  /** Real time, for delays handed to the database and short caches (server/clock.ts). */
  wallClock?: Clock;
  /** Each webhook request's timeline, once answered (the intake bench reads them). */
  onIntakeTimeline?: (timeline: IntakeTimeline) => void;
}

/**
 * The composition root: config → database → queue → use cases → queue table → HTTP. Nothing else
 * wires dependencies (server/compose/ holds the parts of this wiring and nothing else).
 */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const now = options.now ?? systemClock;
  const wallClock = options.wallClock ?? systemClock;
  const workers = options.workers !== false;
  // Issue 16: DATA_DIR (database, secret key, admin token) readable by this user only.
  // (On PostgreSQL with SECRET_KEY and ADMIN_TOKEN set, DATA_DIR may not exist: nothing to create.)
  if (!config.databaseUrl) ensurePrivateDir(config.dataDir);
  const database = await openDatabase(config);
  keepDataDirPrivate(config, logger);
  let started: JobQueue | undefined;
  try {
    started = await database.withStartupLock(async () => {
      const applied = await migrateToLatest(database);
      if (applied.length > 0) logger.info({ event: 'db.migrated', applied }, 'database migrated');
      return JobQueue.start(database, {
        metrics,
        logger,
        pollingIntervalSeconds: config.timings.queuePollingSeconds,
      });
    });
  } catch (error) {
    await started?.stop(1000).catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
  const queue = started;
  const admin = resolveAdminToken(config.adminToken, config.dataDir);
  if (admin.generated) {
    // Issue 16: the file's path, never the token itself (terminals and log collectors keep stdout).
    process.stdout.write(`Admin token generated: read it with  cat ${admin.file}\n`);
  }
  // Issue 16: client secrets sealed before the column was bound as AAD are sealed again, once.
  const resealed = await resealLegacySecrets(
    database.db,
    SecretBox.fromConfig(config.secretKey, config.dataDir),
  ).catch((error: unknown) => {
    logger.warn({ err: error, event: 'secrets.reseal_failed' }, 'could not reseal the stored secrets');
    return 0;
  });
  if (resealed > 0) logger.info({ event: 'secrets.resealed', count: resealed }, 'stored secrets resealed');

  let migrated = false;
  const checkReady = async (): Promise<void> => {
    await database.ping(2000);
    if (!migrated) {
      migrated = await isMigrated(database);
      if (!migrated) throw new Error('database schema is not migrated yet');
    }
  };

  // PUBLIC_URL with port 0 (tests) means "wherever this instance ends up listening".
  let publicUrl = config.publicUrl;
  const useCases = buildUseCases({
    config,
    database,
    queue,
    logger,
    metrics,
    now,
    wallClock,
    publicUrl: () => publicUrl,
  });
  await startQueues(queue, queueTable(useCases, { config, logger, now, wallClock, queue }), { workers });
  await useCases.directory.warm();
  if (workers) {
    // Work a killed process left behind (its jobs stay active until pg-boss expires them).
    await useCases.outbox
      .sweep(0)
      .catch((error: unknown) =>
        logger.warn({ err: error, event: 'outbound.sweep_failed' }, 'outbound sweep failed'),
      );
    useCases.outbox.start();
    // After downtime (DESIGN flow 7): one pass at start; a no-op while the integration is off.
    useCases.requestReconcile({ reason: 'startup' });
    // Once after the upgrade that brought immutable ids (server/sync/immutableIds.ts).
    useCases.requestIdUpgrade();
  }

  const routes = buildRoutes(useCases, {
    config,
    logger,
    metrics,
    queue,
    now,
    wallClock,
    adminToken: admin.token,
    publicUrl: () => publicUrl,
    checkReady,
    onIntakeTimeline: options.onIntakeTimeline,
  });
  const app = createApp({
    logger,
    metrics,
    jsonBodyLimit: config.jsonBodyLimit,
    mounts: routes.mounts,
    hotMounts: routes.hot,
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
      await useCases.outbox.stop();
      await queue.stop(config.shutdownTimeoutMs);
      const forced = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs);
      await serverClosed;
      clearTimeout(forced);
      await useCases.close();
      await database.close();
      logger.info({ event: 'service.stopped' }, 'stopped');
    })();
    return closing;
  };

  return { config, logger, metrics, database, queue, adminToken: admin.token, url, port, close };
}

/** DATA_DIR 0700; the database's files, the secret key and the admin token 0600 (issue 16). */
function keepDataDirPrivate(config: Config, logger: Logger): void {
  if (!fs.existsSync(config.dataDir)) return;
  try {
    ensurePrivateDir(config.dataDir);
    if (!config.databaseUrl) tightenTree(pgliteDir(config.dataDir));
    for (const name of ['secret.key', 'admin-token']) {
      const file = path.join(config.dataDir, name);
      if (fs.existsSync(file)) fs.chmodSync(file, 0o600);
    }
  } catch (error) {
    // A volume owned by another user: say so rather than refuse to start.
    logger.warn(
      { event: 'data_dir.not_private', err: error, dataDir: config.dataDir },
      'could not make DATA_DIR private (0700/0600): check its owner',
    );
  }
}

async function runFromCommandLine(): Promise<void> {
  // Files created later (PGlite's new WAL segments, certificates) are private from the start too.
  process.umask(0o077);
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
