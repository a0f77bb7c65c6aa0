import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { errorHandler, notFoundHandler } from './errorHandler';

export interface Mount {
  path: string;
  router: Router;
}

export interface AppDeps {
  logger: Logger;
  metrics: Metrics;
  jsonBodyLimit: string;
  /** Routers in order; each holds its own body parsing when it needs another limit or type. */
  mounts: Mount[];
  /**
   * Routers served before the per-request logger and security headers: Graph's webhooks, which
   * may arrive thousands a second and count themselves in /metrics (a child logger per request
   * costs more than the intake's own work). Errors still get the one error shape.
   */
  hotMounts?: Mount[];
}

const REQUEST_ID = /^[\w.-]{1,100}$/;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  for (const mount of deps.hotMounts ?? []) app.use(mount.path, mount.router);
  app.use(
    helmet({
      // The add-in runs inside Outlook's iframe and loads Office.js from Microsoft's CDN.
      contentSecurityPolicy: false,
      frameguard: false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
      // Graph may post thousands of notifications a second: their successes are debug lines
      // (counted in /metrics instead); failures stay visible.
      customLogLevel: (req, res, err) =>
        err || res.statusCode >= 500
          ? 'warn'
          : req.url?.startsWith('/webhooks/') && res.statusCode < 300
            ? 'debug'
            : 'info',
      // One short line per request: no headers (they may carry tokens), no query strings.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, res, next) => {
    const end = deps.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      deps.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  });
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  for (const mount of deps.mounts) app.use(mount.path, mount.router);
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}

/** JSON parser with the service's limit, for routers that take JSON. */
export const jsonBody = (limit: string) => express.json({ limit, strict: true });
