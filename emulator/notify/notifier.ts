/**
 * Change and lifecycle notifications (GRAPH-FACTS "Change notifications"): changes are gathered per
 * notification URL and POSTed several to a request; faults add duplicates, delay, reordering and
 * drops; non-2xx answers (or no answer within deliveryTimeoutMs) are retried with backoff; every
 * attempt is recorded. Subscriptions expire on the emulator clock and are then removed silently.
 */
import { randomUUID } from 'node:crypto';
import type { EmulatorClock } from '../clock';
import type { Faults, NotificationFaults, Stats } from '../faults';
import type { EventChange, SubscriptionRecord } from '../model';
import type { EmulatorState } from '../state';
import { httpRequest } from './httpPost';
import { encryptResource } from './richContent';
import { richItemParts } from './richItem';

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

export interface DeliveryRecord {
  kind: 'change' | 'lifecycle';
  url: string;
  subscriptionIds: string[];
  count: number;
  attempt: number;
  status: number | null;
  error?: string;
  elapsedMs: number;
  at: string;
}

interface Queued {
  sub: SubscriptionRecord;
  change: EventChange;
  /** A rich subscription's copy as it was at the change (its `$select`), encrypted later. */
  resourceJson?: string;
}

const MAX_RECORDS = 2000;

export class Notifier {
  readonly deliveries: DeliveryRecord[] = [];
  private buffer: Queued[] = [];
  private scheduled = false;
  private inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      state: EmulatorState;
      clock: EmulatorClock;
      faults: () => Faults;
      random: () => number;
      stats: Stats;
      ca?: string;
      /** Signs the `validationTokens` of rich POSTs (the tenant's keys, TokenIssuer). */
      validationToken?: (appId: string, forged: boolean) => Promise<string>;
    },
  ) {}

  /** Removes subscriptions past their expirationDateTime, silently (as Graph does). */
  purgeExpired(): void {
    const now = this.deps.clock.nowMs();
    for (const [id, rec] of this.deps.state.subscriptions) {
      if (Date.parse(rec.subscription.expirationDateTime ?? '') <= now)
        this.deps.state.subscriptions.delete(id);
    }
  }

  onChange(change: EventChange): void {
    this.purgeExpired();
    for (const sub of this.deps.state.subscriptions.values()) {
      if (sub.mailboxId === change.mailboxId && sub.changeTypes.has(change.changeType))
        this.buffer.push({ sub, change, resourceJson: this.snapshot(sub, change) });
    }
    if (this.buffer.length && !this.scheduled) {
      this.scheduled = true;
      // Changes made in the same tick (a create and its room answers) travel together.
      const p = new Promise<void>((resolve) =>
        setImmediate(() => {
          this.scheduled = false;
          this.drain();
          resolve();
        }),
      );
      this.track(p);
    }
  }

  /** Resolves when every queued delivery (and its retries) has been attempted. */
  async flush(): Promise<void> {
    while (this.inFlight.size || this.buffer.length) {
      if (this.buffer.length && !this.scheduled) this.drain();
      await Promise.all([...this.inFlight]);
    }
  }

  async sendLifecycle(
    subscriptionId: string,
    lifecycleEvent: LifecycleEvent,
  ): Promise<DeliveryRecord | null> {
    const rec = this.deps.state.subscriptions.get(subscriptionId);
    if (!rec) return null;
    const sub = rec.subscription;
    if (lifecycleEvent === 'subscriptionRemoved') this.deps.state.subscriptions.delete(subscriptionId);
    const url = sub.lifecycleNotificationUrl;
    if (!url) return null;
    const payload = {
      value: [
        {
          subscriptionId: sub.id,
          subscriptionExpirationDateTime: sub.expirationDateTime,
          tenantId: this.deps.state.tenant.id,
          clientState: sub.clientState ?? null,
          lifecycleEvent,
        },
      ],
    };
    this.deps.stats.lifecyclePosts++;
    let last: DeliveryRecord | null = null;
    const p = this.post('lifecycle', url, payload, [sub.id!], 1).then((r) => {
      last = r;
    });
    this.track(p);
    await p;
    return last;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private faultsFor(subId: string): NotificationFaults {
    const f = this.deps.faults();
    const override = f.subscriptionNotifications[subId] ?? {};
    return {
      ...f.notifications,
      ...override,
      duplicates: { ...f.notifications.duplicates, ...(override.duplicates ?? {}) },
    };
  }

  private drain(): void {
    const items = this.buffer;
    this.buffer = [];
    const byUrl = new Map<string, Array<{ item: Record<string, unknown>; subId: string; appId: string }>>();
    let delayMs = 0;
    let maxBatch = Infinity;
    let reorderWindow = 0;
    for (const { sub, change, resourceJson } of items) {
      const f = this.faultsFor(sub.subscription.id!);
      const url = sub.subscription.notificationUrl!;
      const copies =
        f.duplicates.min +
        Math.floor(
          this.deps.random() * (Math.max(f.duplicates.max, f.duplicates.min) - f.duplicates.min + 1),
        );
      for (let i = 0; i < copies; i++) {
        if (f.dropRate > 0 && this.deps.random() < f.dropRate) {
          this.deps.stats.notificationsDropped++;
          continue;
        }
        const list = byUrl.get(url) ?? [];
        list.push({
          item: this.notification(sub, change, resourceJson),
          subId: sub.subscription.id!,
          appId: sub.appId,
        });
        byUrl.set(url, list);
      }
      delayMs = Math.max(delayMs, f.delayMs);
      maxBatch = Math.min(maxBatch, Math.max(1, f.maxBatch));
      reorderWindow = Math.max(reorderWindow, f.reorderWindow);
    }
    for (const [url, list] of byUrl) {
      if (reorderWindow > 1) {
        for (let start = 0; start < list.length; start += reorderWindow) {
          const end = Math.min(list.length, start + reorderWindow);
          for (let i = end - 1; i > start; i--) {
            const j = start + Math.floor(this.deps.random() * (i - start + 1));
            [list[i], list[j]] = [list[j], list[i]];
          }
        }
      }
      for (let i = 0; i < list.length; i += maxBatch) {
        const batch = list.slice(i, i + maxBatch);
        const subIds = [...new Set(batch.map((b) => b.subId))];
        const p = (delayMs > 0 ? new Promise((r) => setTimeout(r, delayMs)) : Promise.resolve()).then(
          async () => {
            const payload = { value: batch.map((b) => b.item), ...(await this.validationTokens(batch)) };
            await this.post('change', url, payload, subIds, batch.length);
          },
        );
        this.track(p);
      }
    }
  }

  /**
   * One token per distinct app (and tenant) whose items carry resource data (GDC
   * …with-resource-data.md, "Validation tokens in the change notification"); none otherwise.
   */
  private async validationTokens(
    batch: Array<{ item: Record<string, unknown>; appId: string }>,
  ): Promise<{ validationTokens?: string[] }> {
    const apps = [...new Set(batch.filter((b) => 'encryptedContent' in b.item).map((b) => b.appId))];
    if (!apps.length || !this.deps.validationToken) return {};
    const forged = this.deps.faults().richTamper === 'token';
    return { validationTokens: await Promise.all(apps.map((a) => this.deps.validationToken!(a, forged))) };
  }

  /** The changed copy as a GET with the subscription's `$select` would show it, now (UTC). */
  private snapshot(sub: SubscriptionRecord, change: EventChange): string | undefined {
    if (!sub.rich || change.changeType === 'deleted') return undefined;
    const stored = this.deps.state.mailbox(change.mailboxId).events.get(change.eventId);
    if (!stored) return undefined;
    return JSON.stringify(
      richItemParts(stored, sub, this.deps.state.etagOf(stored), (id) =>
        this.deps.state.toImmutableId(change.mailboxId, id),
      ),
    );
  }

  private notification(
    sub: SubscriptionRecord,
    change: EventChange,
    resourceJson?: string,
  ): Record<string, unknown> {
    // The id type was fixed when the subscription was made (its Prefer header), not per delivery.
    const eventId = sub.immutableIds ? change.immutableId : change.eventId;
    const resource = `Users/${change.mailboxId}/Events/${eventId}`;
    return {
      id: randomUUID(),
      subscriptionId: sub.subscription.id,
      subscriptionExpirationDateTime: sub.subscription.expirationDateTime,
      clientState: sub.subscription.clientState ?? null,
      changeType: change.changeType,
      resource,
      tenantId: this.deps.state.tenant.id,
      resourceData: {
        '@odata.type': '#Microsoft.Graph.Event',
        '@odata.id': resource,
        '@odata.etag': change.etag,
        id: eventId,
      },
      // Deleted items carry no resource data: there is nothing left to send.
      ...(sub.rich && resourceJson ? { encryptedContent: this.encrypted(resourceJson, sub) } : {}),
    };
  }

  private encrypted(resourceJson: string, sub: SubscriptionRecord): Record<string, unknown> {
    const content = encryptResource(resourceJson, sub.rich!);
    if (this.deps.faults().richTamper !== 'signature') return { ...content };
    // An altered payload: the signature no longer matches the data.
    return { ...content, dataSignature: Buffer.alloc(32, 7).toString('base64') };
  }

  /** POSTs with retries; resolves with the last attempt's record. */
  private async post(
    kind: DeliveryRecord['kind'],
    url: string,
    payload: unknown,
    subscriptionIds: string[],
    count: number,
  ): Promise<DeliveryRecord> {
    const f = this.deps.faults();
    const body = JSON.stringify(payload);
    let record: DeliveryRecord | null = null;
    for (let attempt = 1; attempt <= 1 + f.deliveryRetries; attempt++) {
      if (kind === 'change') this.deps.stats.notificationPosts++;
      const at = new Date().toISOString();
      try {
        const r = await httpRequest(
          'POST',
          url,
          body,
          { 'content-type': 'application/json; charset=utf-8' },
          {
            ca: this.deps.ca,
            timeoutMs: f.deliveryTimeoutMs,
          },
        );
        record = { kind, url, subscriptionIds, count, attempt, status: r.status, elapsedMs: r.elapsedMs, at };
      } catch (err) {
        record = {
          kind,
          url,
          subscriptionIds,
          count,
          attempt,
          status: null,
          error: (err as Error).message,
          elapsedMs: f.deliveryTimeoutMs,
          at,
        };
      }
      this.record(record);
      if (record.status !== null && record.status >= 200 && record.status < 300) {
        if (kind === 'change') {
          this.deps.stats.notificationsDelivered += count;
          const byType = this.deps.stats.deliveredByChangeType;
          for (const item of (payload as { value: Array<{ changeType?: string }> }).value)
            if (item.changeType) byType[item.changeType] = (byType[item.changeType] ?? 0) + 1;
        }
        return record;
      }
      this.deps.stats.notificationFailures++;
      if (attempt <= f.deliveryRetries)
        await new Promise((r) => setTimeout(r, f.retryBackoffMs * 2 ** (attempt - 1)));
    }
    return record!;
  }

  private record(r: DeliveryRecord): void {
    this.deliveries.push(r);
    if (this.deliveries.length > MAX_RECORDS) this.deliveries.splice(0, this.deliveries.length - MAX_RECORDS);
  }
}
