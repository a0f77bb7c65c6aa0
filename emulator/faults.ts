/**
 * Fault knobs (all documented in README.md), the emulator's counters, and a seedable random source
 * so a faulty run can be replayed.
 */
export interface RequestFaultRule {
  /** HTTP method to match (any when absent), e.g. "POST". */
  method?: string;
  /** Regular expression tested against the path after /v1.0, e.g. "/users/[^/]+/events". */
  path?: string;
  rate429?: number;
  rate503?: number;
  latencyMs?: number;
}

export interface NotificationFaults {
  /** Each change is delivered between min and max times (1/1 = no duplicates). */
  duplicates: { min: number; max: number };
  /** Extra delay before a batch is POSTed. */
  delayMs: number;
  /** Shuffle notifications within windows of this size (0 or 1 = keep order). */
  reorderWindow: number;
  /** Probability that a notification is silently dropped (what `missed` is about). */
  dropRate: number;
  /** Most notifications in one POST. */
  maxBatch: number;
}

export interface Faults {
  latencyMs: number;
  rate429: number;
  rate503: number;
  retryAfterSeconds: number;
  /** Concurrent requests per app per mailbox before MailboxConcurrency 429s (Graph: 4). */
  concurrencyLimit: number;
  /** Requests per app per mailbox per 10 minutes of emulator time (Graph: 10,000). */
  mailboxBudget: number;
  rules: RequestFaultRule[];
  notifications: NotificationFaults;
  /** Per-subscription overrides of `notifications`. */
  subscriptionNotifications: Record<string, Partial<NotificationFaults>>;
  /** The validation handshake must be answered within this time (Graph: 10 s). */
  validationTimeoutMs: number;
  /** A delivery without a 2xx within this time is retried (Graph: 3 s). */
  deliveryTimeoutMs: number;
  deliveryRetries: number;
  retryBackoffMs: number;
  /** Delay before rooms answer a meeting request (Exchange processes asynchronously). */
  roomProcessingDelayMs: number;
  /**
   * Up to this much more, drawn per meeting change from the seeded random source (the booking
   * assistant answers in seconds, longer under load: GRAPH-FACTS "Room answers come late").
   */
  roomProcessingJitterMs: number;
  /** Seed of the random source used by rates, duplicates, reordering and drops. */
  randomSeed: number;
  /**
   * Mailboxes (id or UPN, lower case; '*' = all) where `includeResourceData: true` is refused
   * with a 400, as a tenant or resource that does not support rich notifications answers.
   */
  refuseRichSubscriptions: string[];
  /**
   * Deliveries of rich notifications altered on the way, as a forger would: 'signature' breaks
   * each item's dataSignature, 'token' signs the validation tokens with a key not in the tenant's
   * JWKS. Null: as Graph sends them.
   */
  richTamper: 'signature' | 'token' | null;
}

export function defaultFaults(): Faults {
  return {
    latencyMs: 0,
    rate429: 0,
    rate503: 0,
    retryAfterSeconds: 2,
    concurrencyLimit: 4,
    mailboxBudget: 10_000,
    rules: [],
    notifications: {
      duplicates: { min: 1, max: 1 },
      delayMs: 0,
      reorderWindow: 0,
      dropRate: 0,
      maxBatch: 50,
    },
    subscriptionNotifications: {},
    validationTimeoutMs: 10_000,
    deliveryTimeoutMs: 3_000,
    deliveryRetries: 3,
    retryBackoffMs: 200,
    roomProcessingDelayMs: 0,
    roomProcessingJitterMs: 0,
    randomSeed: 42,
    refuseRichSubscriptions: [],
    richTamper: null,
  };
}

/** Merges a partial update into the faults (objects one level deep). */
export function mergeFaults(current: Faults, patch: Partial<Faults>): Faults {
  return {
    ...current,
    ...patch,
    notifications: {
      ...current.notifications,
      ...(patch.notifications ?? {}),
      duplicates: { ...current.notifications.duplicates, ...(patch.notifications?.duplicates ?? {}) },
    },
    subscriptionNotifications: {
      ...current.subscriptionNotifications,
      ...(patch.subscriptionNotifications ?? {}),
    },
  };
}

/** mulberry32: small, seedable, good enough for fault injection. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Stats {
  requests: number;
  byMethod: Record<string, number>;
  /** Requests per mailbox (by UPN). */
  byMailbox: Record<string, number>;
  /**
   * The most requests of one app that were in flight at once on a mailbox (by UPN), counted from
   * arrival to answer, injected faults and MailboxConcurrency 429s included: what the caller sent,
   * not what Graph let through (Graph allows 4; more is a caller's bug).
   */
  peakInFlightByMailbox: Record<string, number>;
  /** The highest of peakInFlightByMailbox. */
  peakInFlight: number;
  /** 429s answered because more than concurrencyLimit requests were in flight on one mailbox. */
  concurrency429: number;
  eventGets: number;
  /** GETs of one event (`/users/{id}/events/{id}`) that were not throttled. */
  eventReads: number;
  /** Of those, the ones answered 404 (the copy is gone: a deleted change's read). */
  eventReadsNotFound: number;
  writes: number;
  throttled429: number;
  injected503: number;
  tokens: number;
  /** Delegated tokens issued by the on-behalf-of grant. */
  oboTokens: number;
  /** Graph requests made with a delegated (user) token. */
  delegatedRequests: number;
  notificationPosts: number;
  notificationsDelivered: number;
  /** Delivered change notifications by changeType (created, updated, deleted). */
  deliveredByChangeType: Record<string, number>;
  notificationsDropped: number;
  notificationFailures: number;
  lifecyclePosts: number;
  validations: number;
}

export function emptyStats(): Stats {
  return {
    requests: 0,
    byMethod: {},
    byMailbox: {},
    peakInFlightByMailbox: {},
    peakInFlight: 0,
    concurrency429: 0,
    eventGets: 0,
    eventReads: 0,
    eventReadsNotFound: 0,
    writes: 0,
    throttled429: 0,
    injected503: 0,
    tokens: 0,
    oboTokens: 0,
    delegatedRequests: 0,
    notificationPosts: 0,
    notificationsDelivered: 0,
    deliveredByChangeType: {},
    notificationsDropped: 0,
    notificationFailures: 0,
    lifecyclePosts: 0,
    validations: 0,
  };
}
