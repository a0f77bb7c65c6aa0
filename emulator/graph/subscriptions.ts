/**
 * /subscriptions (GRAPH-FACTS "Change notifications"): created only after both URLs pass the
 * validation handshake; at most 4,230 minutes; renewed by PATCH; reauthorize; expire on the
 * emulator clock. In https mode only https URLs are accepted; in http mode http is allowed on
 * loopback hosts.
 */
import express from 'express';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context';
import { badRequest, GraphError } from '../errors';
import type { SubscriptionRecord } from '../model';
import { validateEndpoint } from '../notify/validation';
import { callerApp, READ_CALENDARS, requirePermission } from './auth';
import { parsePrefer } from './odata';
import {
  MAX_RICH_EVENT_SUBSCRIPTION_MINUTES,
  parseCertificate,
  richOptions,
  type RichOptions,
} from './richSubscriptions';

export const MAX_EVENT_SUBSCRIPTION_MINUTES = 4230;
const MAX_PER_MAILBOX = 1000;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function present(rec: SubscriptionRecord): MSGraph.Subscription {
  return { ...rec.subscription };
}

export function subscriptionsRouter(ctx: EmulatorContext): express.Router {
  const router = express.Router();
  const { state } = ctx;

  const checkUrl = (url: string | null | undefined, name: string): void => {
    if (!url) return;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw badRequest(`Invalid ${name}.`, 'ValidationError');
    }
    const httpAllowed = !ctx.tls && u.protocol === 'http:' && LOOPBACK.has(u.hostname);
    if (u.protocol !== 'https:' && !httpAllowed) {
      throw badRequest(`The ${name} must be an https URL.`, 'ValidationError');
    }
  };

  const checkExpiry = (
    iso: string | null | undefined,
    maxMinutes = MAX_EVENT_SUBSCRIPTION_MINUTES,
  ): string => {
    const ms = Date.parse(iso ?? '');
    if (Number.isNaN(ms))
      throw badRequest('expirationDateTime is required and must be a date.', 'ExtensionError');
    const now = ctx.clock.nowMs();
    if (ms <= now) throw badRequest('Subscription expiration can only be in the future.', 'ExtensionError');
    if (ms > now + maxMinutes * 60_000) {
      throw badRequest(
        `Subscription expiration can only be ${maxMinutes} minutes in the future.`,
        'ExtensionError',
      );
    }
    return new Date(ms).toISOString();
  };

  const find = (id: string): SubscriptionRecord => {
    ctx.notifier.purgeExpired();
    const rec = state.subscriptions.get(id);
    if (!rec) throw new GraphError(404, 'ResourceNotFound', `The object was not found.`);
    return rec;
  };

  router.post('/subscriptions', async (req, res) => {
    const body = (req.body ?? {}) as MSGraph.Subscription;
    const m = /^\/?users\/([^/?]+)\/(?:calendar\/)?events(?:\?.*)?$/i.exec(body.resource ?? '');
    if (!m)
      throw badRequest(
        `Resource '${body.resource ?? ''}' is not supported by the emulator (use /users/{id}/events).`,
        'InvalidRequest',
      );
    requirePermission(res, READ_CALENDARS);
    const user = state.resolveUserKey(m[1]); // id or UPN only (docs#3979)
    if (!user)
      throw new GraphError(
        404,
        'ExtensionError',
        `Operation: Create; Exception: [Status Code: NotFound; Reason: The requested user '${m[1]}' is invalid.]`,
      );
    const changeTypes = (body.changeType ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!changeTypes.length || changeTypes.some((c) => !['created', 'updated', 'deleted'].includes(c))) {
      throw badRequest(`Invalid changeType '${body.changeType ?? ''}'.`, 'InvalidRequest');
    }
    if ((body.clientState ?? '').length > 128)
      throw badRequest('clientState must be at most 128 characters.', 'InvalidRequest');
    if (!body.notificationUrl) throw badRequest('notificationUrl is required.', 'InvalidRequest');
    const rich = richOptions(body);
    const refused = ctx.faults().refuseRichSubscriptions.map((s) => s.toLowerCase());
    const upn = (user.user.userPrincipalName ?? '').toLowerCase();
    if (
      rich &&
      (refused.includes('*') || refused.includes(upn) || refused.includes(user.user.id!.toLowerCase()))
    )
      throw badRequest('includeResourceData is not supported for this resource.', 'ValidationError');
    checkUrl(body.notificationUrl, 'notificationUrl');
    checkUrl(body.lifecycleNotificationUrl, 'lifecycleNotificationUrl');
    const expirationDateTime = checkExpiry(
      body.expirationDateTime,
      rich ? MAX_RICH_EVENT_SUBSCRIPTION_MINUTES : MAX_EVENT_SUBSCRIPTION_MINUTES,
    );
    ctx.notifier.purgeExpired();
    const count = [...state.subscriptions.values()].filter((s) => s.mailboxId === user.user.id).length;
    if (count >= MAX_PER_MAILBOX)
      throw new GraphError(
        403,
        'ExtensionError',
        'Maximum number of subscriptions for this mailbox reached.',
      );
    const opts = { ca: ctx.ca, timeoutMs: ctx.faults().validationTimeoutMs };
    ctx.stats.validations++;
    await validateEndpoint(body.notificationUrl, opts);
    if (body.lifecycleNotificationUrl) {
      ctx.stats.validations++;
      await validateEndpoint(body.lifecycleNotificationUrl, opts);
    }
    const app = callerApp(res);
    const subscription: MSGraph.Subscription = {
      id: randomUUID(),
      resource: body.resource,
      applicationId: app.clientId,
      changeType: changeTypes.join(','),
      clientState: body.clientState ?? null,
      notificationUrl: body.notificationUrl,
      lifecycleNotificationUrl: body.lifecycleNotificationUrl ?? null,
      expirationDateTime,
      creatorId: app.clientId,
      latestSupportedTlsVersion: 'v1_2',
      notificationUrlAppId: null,
      notificationQueryOptions: null,
      // Graph does not echo the certificate (GDC …with-resource-data.md, "Subscription response").
      encryptionCertificate: null,
      encryptionCertificateId: rich?.certificateId ?? null,
      includeResourceData: Boolean(rich),
    };
    state.subscriptions.set(subscription.id!, {
      subscription,
      appId: app.clientId,
      mailboxId: user.user.id!,
      changeTypes: new Set(changeTypes),
      // Remembered for the subscription's life: renewals do not change it.
      immutableIds: parsePrefer(req).immutableId,
      ...(rich ? { rich } : {}),
    });
    res
      .status(201)
      .json({ '@odata.context': `${ctx.graphUrl()}/$metadata#subscriptions/$entity`, ...subscription });
  });

  router.get('/subscriptions', (_req, res) => {
    ctx.notifier.purgeExpired();
    const app = callerApp(res);
    res.json({
      '@odata.context': `${ctx.graphUrl()}/$metadata#subscriptions`,
      value: [...state.subscriptions.values()].filter((s) => s.appId === app.clientId).map(present),
    });
  });

  const owned = (id: string, res: express.Response): SubscriptionRecord => {
    const rec = find(id);
    if (rec.appId !== callerApp(res).clientId)
      throw new GraphError(404, 'ResourceNotFound', 'The object was not found.');
    return rec;
  };

  router.get('/subscriptions/:id', (req, res) => {
    res.json(present(owned(req.params.id, res)));
  });

  router.patch('/subscriptions/:id', (req, res) => {
    const rec = owned(req.params.id, res);
    const body = (req.body ?? {}) as MSGraph.Subscription;
    const max = rec.rich ? MAX_RICH_EVENT_SUBSCRIPTION_MINUTES : MAX_EVENT_SUBSCRIPTION_MINUTES;
    if (body.expirationDateTime)
      rec.subscription.expirationDateTime = checkExpiry(body.expirationDateTime, max);
    // Key rotation: a PATCH may bring a new certificate (GDC …with-resource-data.md, "Rotating keys").
    if (rec.rich && body.encryptionCertificate) {
      const cert = parseCertificate(body.encryptionCertificate, body.encryptionCertificateId);
      const next: RichOptions = { ...cert, select: rec.rich.select };
      rec.rich = next;
      rec.subscription.encryptionCertificateId = next.certificateId;
    }
    if (body.notificationUrl) {
      checkUrl(body.notificationUrl, 'notificationUrl');
      rec.subscription.notificationUrl = body.notificationUrl;
    }
    res.json(present(rec));
  });

  router.delete('/subscriptions/:id', (req, res) => {
    owned(req.params.id, res);
    state.subscriptions.delete(req.params.id);
    res.status(204).end();
  });

  router.post('/subscriptions/:id/reauthorize', (req, res) => {
    owned(req.params.id, res);
    res.status(200).end();
  });

  return router;
}
