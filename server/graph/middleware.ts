import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { systemClock } from '../clock';
import type { Metrics } from '../metrics';
import { inProcessMailboxSlots, type MailboxSlots } from './mailboxSlots';
import type { TokenSource } from './token';

/**
 * Our own graph-client middleware chain: auth → throttling → metrics → HTTPMessageHandler.
 * graph-client's AuthenticationHandler only sends the token to https Graph hosts (and strips one
 * set by hand), so against the http emulator it must be ours (TOOLCHAIN pitfalls).
 */

type HeaderBag = Record<string, string>;

function setHeader(context: Context, name: string, value: string): void {
  context.options ??= {};
  const headers = context.options.headers;
  if (headers instanceof Headers) {
    headers.set(name, value);
  } else if (Array.isArray(headers)) {
    context.options.headers = [
      ...headers.filter(([k]) => k.toLowerCase() !== name.toLowerCase()),
      [name, value],
    ];
  } else {
    const bag: HeaderBag = { ...((headers as HeaderBag | undefined) ?? {}) };
    for (const key of Object.keys(bag)) if (key.toLowerCase() === name.toLowerCase()) delete bag[key];
    bag[name] = value;
    context.options.headers = bag;
  }
}

const requestUrl = (context: Context): string =>
  typeof context.request === 'string' ? context.request : (context.request as Request).url;

const requestMethod = (context: Context): string =>
  (
    context.options?.method ??
    (typeof context.request === 'string' ? 'GET' : (context.request as Request).method)
  ).toUpperCase();

abstract class Link implements Middleware {
  protected next?: Middleware;
  setNext(next: Middleware): void {
    this.next = next;
  }
  abstract execute(context: Context): Promise<void>;
}

export class AuthMiddleware extends Link {
  constructor(private readonly tokens: TokenSource) {
    super();
  }
  async execute(context: Context): Promise<void> {
    setHeader(context, 'Authorization', `Bearer ${await this.tokens.getToken()}`);
    await this.next!.execute(context);
  }
}

/** `/users/{id}/…` → the mailbox a request works on (Graph throttles per app and mailbox). */
export function mailboxOf(url: string): string {
  const path = new URL(url, 'http://x').pathname;
  const match = /\/users\/([^/?]+)/i.exec(path);
  return match ? decodeURIComponent(match[1]).toLowerCase() : '';
}

/** Seconds or an HTTP date, as Graph sends Retry-After; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export interface ThrottlingOptions {
  /** Concurrent requests per mailbox (Graph: 4 per app per mailbox). */
  maxConcurrentPerMailbox?: number;
  /**
   * Where the slots come from: shared by every gateway of the process and, on PostgreSQL, by
   * every instance (the budget is per app). Default: this gateway's own, in-process.
   */
  slots?: MailboxSlots;
  /** Retries after a 429/503/504. */
  maxRetries?: number;
  /** First backoff when no Retry-After is given; doubles on each retry, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  metrics?: Metrics;
}

const RETRIABLE = new Set([429, 503, 504]);

/**
 * At most N concurrent requests per mailbox; 429/503/504 honour Retry-After, else exponential
 * backoff with jitter. The slot is given back while waiting, so a throttled mailbox does not keep
 * its own queue blocked. After the last retry the response goes up as is: the job fails and is
 * retried by the queue, never dropped (DESIGN "Per-mailbox throttling").
 */
export class ThrottlingMiddleware extends Link {
  private readonly slots: MailboxSlots;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: ThrottlingOptions = {}) {
    super();
    this.slots = options.slots ?? inProcessMailboxSlots(options.maxConcurrentPerMailbox ?? 4);
    this.maxRetries = options.maxRetries ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Requests in flight for a mailbox (tests). */
  inFlight(mailbox: string): number {
    return this.slots.active(mailbox);
  }

  async execute(context: Context): Promise<void> {
    const key = mailboxOf(requestUrl(context));
    for (let attempt = 0; ; attempt++) {
      const release = await this.slots.acquire(key);
      try {
        await this.next!.execute(context);
      } finally {
        release();
      }
      const status = context.response?.status ?? 0;
      if (!RETRIABLE.has(status) || attempt >= this.maxRetries) return;
      this.options.metrics?.graphThrottled.inc({ status: String(status) });
      const given = retryAfterMs(context.response!.headers.get('Retry-After'), systemClock().getTime());
      // Full jitter on the exponential part, so many throttled jobs do not retry in step.
      const backoff = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
      const delay =
        given !== undefined ? Math.min(given, this.maxDelayMs) : backoff / 2 + (this.random() * backoff) / 2;
      await context.response!.body?.cancel().catch(() => undefined);
      await this.sleep(delay);
    }
  }
}

export class MetricsMiddleware extends Link {
  constructor(private readonly metrics?: Metrics) {
    super();
  }
  async execute(context: Context): Promise<void> {
    const method = requestMethod(context);
    const end = this.metrics?.graphDuration.startTimer({ method });
    try {
      await this.next!.execute(context);
    } finally {
      end?.();
      this.metrics?.graphRequests.inc({ method, status: String(context.response?.status ?? 0) });
    }
  }
}
