import { Router, type Response } from 'express';
import { ERROR_STATUS, type ErrorBody } from '../../contract/errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/**
 * What /readyz says when not ready, always the same (issue 16: a raw database error told anyone
 * the database's address, user or version); the reason goes to the log.
 */
export const NOT_READY_MESSAGE =
  'Not ready: the database does not answer or its schema is not migrated yet; see the service log.';

export interface HealthDeps {
  metrics: Metrics;
  /** Resolves when the database answers and is migrated; rejects with the reason otherwise. */
  checkReady(): Promise<void>;
  /** Refreshes gauges that are read on demand (queue depth). */
  beforeScrape?(): Promise<void>;
  logger?: Logger;
}

export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });
  router.get('/readyz', async (_req, res: Response<{ status: 'ready' } | ErrorBody>) => {
    try {
      await deps.checkReady();
      res.json({ status: 'ready' });
    } catch (error) {
      deps.logger?.warn({ event: 'health.not_ready', err: error }, 'not ready');
      res.status(ERROR_STATUS.NOT_READY).json({ error: { code: 'NOT_READY', message: NOT_READY_MESSAGE } });
    }
  });
  router.get('/metrics', async (_req, res) => {
    // A scrape must still answer when the database is down: depth is then stale, not missing.
    await deps.beforeScrape?.().catch(() => undefined);
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}
