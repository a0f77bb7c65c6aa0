import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { badRequest } from '../errors';
import type { GroupCommit } from '../store/groupCommit';
import { systemStopwatch, type Clock, type Stopwatch } from '../clock';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { DatabaseUnavailableError } from '../store/database';
import type { NewJob } from '../store/queue';
import type { SubscriptionDirectory, SubscriptionVerdict } from '../store/subscriptionDirectory';
import type { LifecycleJob, RoomEventJob } from '../sync/jobs';
import { phaseDurations, type IntakeTimeline } from './intakeTimeline';
import { richOf, validationTokensSchema } from './richIntake';
import { decodeSegment, logRefusals, onlyUncompressedJson, refuseManyUnknown } from './webhookGuards';

export interface WebhookDeps {
  directory: SubscriptionDirectory;
  roomEvents: GroupCommit<RoomEventJob>;
  /** One insert for the lifecycle jobs of a request. */
  lifecycle(jobs: NewJob<LifecycleJob>[]): Promise<void>;
  metrics: Metrics;
  /** Stamps `receivedAt` (real time: inbound compares it with the time of its own reads). */
  wallClock: Clock;
  /** Body limit of a notification POST (Graph batches notifications; 1 MB is plenty). */
  bodyLimit?: string;
  /** Durations of a request's steps (default performance.now). */
  stopwatch?: Stopwatch;
  /** Each change-notification request's timeline, once answered (the intake bench listens). */
  onTimeline?: (timeline: IntakeTimeline) => void;
  /** Refused requests are logged here (the webhooks sit ahead of the request logger). */
  logger?: Logger;
}

const notificationSchema = z.looseObject({
  subscriptionId: z.string().min(1).max(200),
  clientState: z.string().max(512).nullable().optional(),
  changeType: z.string().max(50).optional(),
  resource: z.string().max(4000).optional(),
  resourceData: z
    .looseObject({ id: z.string().max(2000).optional() })
    .nullable()
    .optional(),
  lifecycleEvent: z.string().max(100).optional(),
  tenantId: z.string().max(200).nullable().optional(),
  subscriptionExpirationDateTime: z.string().max(100).nullable().optional(),
});
type Notification = z.infer<typeof notificationSchema>;
const bodySchema = z.object({
  value: z.array(notificationSchema).min(1).max(1000),
  validationTokens: validationTokensSchema,
});

/** The event id of a change notification: resourceData.id, else the last segment of `resource`. */
function eventIdOf(n: Notification): string | undefined {
  if (n.resourceData?.id) return n.resourceData.id;
  const match = /\/events\/([^/?]+)$/i.exec(n.resource ?? '');
  return match ? decodeSegment(match[1]) : undefined;
}

/** resourceData's @odata.etag, when Graph sent one. */
function etagOf(n: Notification): string | undefined {
  const etag: unknown = n.resourceData?.['@odata.etag'];
  return typeof etag === 'string' && etag.length <= 200 ? etag : undefined;
}

/** Validation handshake (GRAPH-FACTS): 200, text/plain, the URL-decoded token, within 10 s. */
function answerValidation(req: Request, res: Response): boolean {
  const raw = req.query.validationToken;
  const token = Array.isArray(raw) ? raw[0] : raw;
  if (typeof token !== 'string') return false;
  res
    .status(200)
    .set('Content-Type', 'text/plain; charset=utf-8')
    .set('X-Content-Type-Options', 'nosniff')
    .set('Cache-Control', 'no-store')
    .send(token);
  return true;
}

function parseBody(body: unknown): z.infer<typeof bodySchema> {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    throw badRequest('The body is not a Graph notification collection ({"value":[…]}).', {
      issues: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}

/**
 * The webhook intake (flow 3): answer the handshake; otherwise validate, check each
 * notification's subscription and clientState, persist jobs (group commit), then 202. Nothing
 * here calls Graph or Hector; a database that cannot take the jobs → 503 so Graph retries.
 */
export function webhookRouter(deps: WebhookDeps): Router {
  const router = Router();
  // Whatever the content type Graph (or anyone) sends, the body must be JSON.
  const json = express.json({ limit: deps.bodyLimit ?? '1mb', strict: true, type: () => true });
  const count = (endpoint: string, outcome: string, n = 1): void => {
    deps.metrics.intakeNotifications.inc({ endpoint, outcome }, n);
  };

  /**
   * Each notification's room (undefined: unknown subscription or forged clientState), all looked
   * up at once; more than a few unknown ids refuse the whole request (issue 16).
   */
  const checkAll = async (notifications: Notification[], endpoint: string) => {
    let verdicts: SubscriptionVerdict[];
    try {
      verdicts = await deps.directory.checkAll(notifications);
    } catch (error) {
      throw new DatabaseUnavailableError('Subscriptions cannot be read.', { cause: error });
    }
    refuseManyUnknown(
      new Set(notifications.filter((_, i) => verdicts[i] === 'unknown').map((n) => n.subscriptionId)),
    );
    const rooms = new Map<Notification, string>();
    verdicts.forEach((verdict, i) => {
      const at = notifications[i].lifecycleEvent ? 'lifecycle' : endpoint;
      if (verdict === 'unknown') count(at, 'unknown_subscription');
      else if (verdict === 'forged') count(at, 'forged_client_state');
      else rooms.set(notifications[i], verdict.roomEmail);
    });
    return (n: Notification): string | undefined => rooms.get(n);
  };

  const stopwatch = deps.stopwatch ?? systemStopwatch;
  router.post(
    '/graph',
    (req, res, next) => {
      if (answerValidation(req, res)) return;
      res.locals.intakeStart = stopwatch();
      next();
    },
    onlyUncompressedJson,
    json,
    async (req, res) => {
      const start = res.locals.intakeStart as number;
      const { value: notifications, validationTokens } = parseBody(req.body);
      const parsedMs = stopwatch() - start;
      // Malformed ones are skipped unchecked; a bad %-escape refuses the request before any read.
      const eventIds = new Map(notifications.map((n) => [n, n.lifecycleEvent ? undefined : eventIdOf(n)]));
      const roomOf = await checkAll(
        notifications.filter((n) => n.lifecycleEvent || (eventIds.get(n) && n.changeType)),
        'graph',
      );
      const receivedAt = deps.wallClock().toISOString();
      const jobs: NewJob<RoomEventJob>[] = [];
      const lifecycle: NewJob<LifecycleJob>[] = [];
      for (const n of notifications) {
        if (n.lifecycleEvent) {
          // Without a lifecycleNotificationUrl Graph sends lifecycle events here.
          if (roomOf(n)) {
            lifecycle.push({
              data: { subscriptionId: n.subscriptionId, lifecycleEvent: n.lifecycleEvent, receivedAt },
            });
          }
          continue;
        }
        const eventId = eventIds.get(n);
        if (!eventId || !n.changeType) {
          count('graph', 'malformed');
          continue;
        }
        const roomEmail = roomOf(n);
        if (!roomEmail) continue;
        const etag = etagOf(n);
        const rich = richOf(n, validationTokens);
        jobs.push({
          data: {
            subscriptionId: n.subscriptionId,
            roomEmail,
            eventId,
            changeType: n.changeType,
            receivedAt,
            ...(etag ? { etag } : {}),
            ...(rich ? { rich } : {}),
          },
          // A rich copy of another version must not coalesce into a queued older one (jobs.ts).
          singletonKey: rich && etag ? `${roomEmail}:${eventId}:${etag}` : `${roomEmail}:${eventId}`,
        });
      }
      const checkedMs = stopwatch() - start;
      await Promise.all([
        deps.roomEvents.submit(jobs),
        lifecycle.length ? deps.lifecycle(lifecycle) : undefined,
      ]);
      const committedMs = stopwatch() - start;
      count('graph', 'accepted', jobs.length);
      res.status(202).end();
      const timeline: IntakeTimeline = {
        parsedMs,
        checkedMs,
        committedMs,
        answeredMs: stopwatch() - start,
        notifications: notifications.length,
        jobs: jobs.length + lifecycle.length,
      };
      for (const [phase, ms] of Object.entries(phaseDurations(timeline))) {
        deps.metrics.intakePhase.observe({ phase }, ms / 1000);
      }
      deps.onTimeline?.(timeline);
    },
  );

  router.post(
    '/graph/lifecycle',
    (req, res, next) => (answerValidation(req, res) ? undefined : next()),
    onlyUncompressedJson,
    json,
    async (req, res) => {
      const notifications = parseBody(req.body).value;
      const roomOf = await checkAll(
        notifications.filter((n) => n.lifecycleEvent),
        'lifecycle',
      );
      const receivedAt = deps.wallClock().toISOString();
      const jobs: NewJob<LifecycleJob>[] = [];
      for (const n of notifications) {
        if (!n.lifecycleEvent) {
          count('lifecycle', 'malformed');
          continue;
        }
        if (roomOf(n)) {
          jobs.push({
            data: { subscriptionId: n.subscriptionId, lifecycleEvent: n.lifecycleEvent, receivedAt },
          });
        }
      }
      if (jobs.length) await deps.lifecycle(jobs);
      count('lifecycle', 'accepted', jobs.length);
      res.status(202).end();
    },
  );
  router.use(logRefusals(deps.logger, deps.metrics));
  return router;
}
