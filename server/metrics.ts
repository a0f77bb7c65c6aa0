import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per service instance (tests run several in one process), exposed on /metrics.
 * Areas add their own metrics to `registry`; the shared ones live here.
 */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  jobs: Counter<'queue' | 'outcome'>;
  queueDepth: Gauge<'queue'>;
  /** Graph / Entra ID calls, one per attempt (retries counted apart). */
  graphRequests: Counter<'method' | 'status'>;
  graphDuration: Histogram<'method'>;
  /** Graph answers 429/503/504 that our throttling waited out. */
  graphThrottled: Counter<'status'>;
  /** Change and lifecycle notifications offered to the webhooks, by outcome. */
  intakeNotifications: Counter<'endpoint' | 'outcome'>;
  /** Jobs per group commit of the intake. */
  intakeBatchSize: Histogram;
  /** Seconds a change-notification request spent in each step (http/intakeTimeline.ts). */
  intakePhase: Histogram<'phase'>;
  /**
   * Seconds from a change to its write on the other side: notification received → loan written
   * (inbound), Hector change committed → Outlook event written (outbound).
   */
  syncLag: Histogram<'direction'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hector_outlook_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'hector_outlook_http_requests_total',
      help: 'HTTP requests answered, by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'hector_outlook_http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'hector_outlook_jobs_total',
      help: 'Job attempts by outcome: completed, failed (will retry), dead (last try failed)',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'hector_outlook_queue_depth',
      help: 'Jobs waiting in each queue (created or retry)',
      labelNames: ['queue'],
      registers: [registry],
    }),
    graphRequests: new Counter({
      name: 'hector_outlook_graph_requests_total',
      help: 'Requests sent to Microsoft Graph, by method and status (0 = no answer)',
      labelNames: ['method', 'status'],
      registers: [registry],
    }),
    graphDuration: new Histogram({
      name: 'hector_outlook_graph_request_duration_seconds',
      help: 'Time Microsoft Graph took to answer one request',
      labelNames: ['method'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    graphThrottled: new Counter({
      name: 'hector_outlook_graph_throttled_total',
      help: 'Graph answers 429/503/504 waited out before a retry',
      labelNames: ['status'],
      registers: [registry],
    }),
    intakeNotifications: new Counter({
      name: 'hector_outlook_intake_notifications_total',
      help: 'Notifications offered to the webhooks: accepted, or dropped (unknown subscription, forged clientState)',
      labelNames: ['endpoint', 'outcome'],
      registers: [registry],
    }),
    intakeBatchSize: new Histogram({
      name: 'hector_outlook_intake_batch_size',
      help: 'Jobs written by one group commit of the webhook intake',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers: [registry],
    }),
    intakePhase: new Histogram({
      name: 'hector_outlook_intake_phase_seconds',
      help: 'Time a change-notification request spent parsing, checking subscriptions, waiting for its INSERT, answering',
      labelNames: ['phase'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    syncLag: new Histogram({
      name: 'hector_outlook_sync_lag_seconds',
      help: 'Time from a change to its write on the other side: notification received → loan written (inbound), Hector change committed → Outlook event written (outbound)',
      labelNames: ['direction'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers: [registry],
    }),
  };
}
