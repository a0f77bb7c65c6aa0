import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, badRequest } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

/**
 * What the webhook intake refuses before and around its own work (issue 16), kept beside it so
 * the intake reads as its flow. Graph posts `Content-Type: application/json` bodies, uncompressed
 * (learn.microsoft.com "Receive change notifications through webhooks": the POST carries a JSON
 * collection); anything else is not Graph and is refused with a 4xx before the body is read.
 */

/** More distinct unknown subscription ids than this in one request: refused (Graph sends our own). */
export const MAX_UNKNOWN_SUBSCRIPTIONS = 3;

const JSON_TYPE = /^application\/json\s*(;|$)/i;

export const onlyUncompressedJson: RequestHandler = (req, _res, next) => {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    next(
      new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Notifications are read uncompressed: send no Content-Encoding.',
        {
          reason: 'content_encoding',
        },
      ),
    );
    return;
  }
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    next(
      new AppError('UNSUPPORTED_MEDIA_TYPE', 'Notifications are JSON: send Content-Type: application/json.', {
        reason: 'content_type',
      }),
    );
    return;
  }
  next();
};

/** A `resource` path segment, URL-decoded; a bad %-escape is the sender's error (was a 500). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('A notification names a resource with a malformed %-escape.', { reason: 'bad_escape' });
  }
}

/** Refuses a request that names too many subscriptions we do not have: nothing of it is queued. */
export function refuseManyUnknown(unknownIds: Set<string>): void {
  if (unknownIds.size > MAX_UNKNOWN_SUBSCRIPTIONS) {
    throw badRequest(`The request names ${unknownIds.size} subscriptions this service does not have.`, {
      reason: 'unknown_subscriptions',
    });
  }
}

/**
 * The webhook routes sit ahead of the request logger (createApp's hotMounts): a refused request
 * is logged and counted here, one line each (no body, no query string: it may hold a token),
 * then answered by the one error handler.
 */
export function logRefusals(logger: Logger | undefined, metrics: Metrics): ErrorRequestHandler {
  return (error: unknown, req, _res, next) => {
    const status = (error as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const details = error instanceof AppError ? error.details : undefined;
      const reason =
        typeof details?.reason === 'string'
          ? details.reason
          : (((error as { type?: unknown }).type as string | undefined) ??
            (error instanceof AppError ? error.code : 'bad_request'));
      const endpoint = req.path.endsWith('/lifecycle') ? 'lifecycle' : 'graph';
      metrics.intakeNotifications.inc({ endpoint, outcome: 'refused' });
      logger?.warn(
        { event: 'webhook.refused', endpoint, status, reason, ip: req.ip },
        `webhook request refused (${reason})`,
      );
    }
    next(error);
  };
}
