/** Graph v1.0: bearer token, throttling, then the resource routers; OData error shape throughout. */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context';
import { GraphError } from '../errors';
import { enforceAccessPolicy } from './accessPolicy';
import { applicationsRouter } from './applications';
import { requireAppToken } from './auth';
import { batchRouter } from './batch';
import { deltaRouter } from './delta';
import { directoryRouter } from './directory';
import { eventsRouter } from './events';
import { subscriptionsRouter } from './subscriptions';
import { throttle } from './throttle';
import { translateIdsRouter } from './translateIds';

export function graphRouter(ctx: EmulatorContext, deltaGeneration: () => number): express.Router {
  const router = express.Router();
  router.use(express.json({ limit: '4mb' }));
  router.use(requireAppToken(ctx));
  router.use(throttle(ctx));
  router.use(enforceAccessPolicy(ctx));
  router.use(batchRouter(ctx));
  router.use(subscriptionsRouter(ctx));
  router.use(directoryRouter(ctx));
  router.use(applicationsRouter(ctx));
  router.use(deltaRouter(ctx, deltaGeneration));
  router.use(translateIdsRouter(ctx));
  router.use(eventsRouter(ctx));
  router.use((req: Request) => {
    throw new GraphError(
      400,
      'BadRequest',
      `Resource not found for the segment '${req.path.split('/').filter(Boolean).pop() ?? ''}'.`,
    );
  });
  router.use(graphErrorHandler);
  return router;
}

export function graphErrorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  void _next;
  const requestId = crypto.randomUUID();
  const innerError = {
    date: new Date().toISOString(),
    'request-id': requestId,
    'client-request-id': requestId,
  };
  if (err instanceof GraphError) {
    for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
    res.status(err.status).json({ error: { code: err.code, message: err.message, innerError } });
    return;
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.parse.failed' || e.status === 400) {
    res
      .status(400)
      .json({ error: { code: 'BadRequest', message: 'Unable to read JSON request payload.', innerError } });
    return;
  }
  res
    .status(500)
    .json({ error: { code: 'InternalServerError', message: e.message ?? 'Internal error', innerError } });
}
