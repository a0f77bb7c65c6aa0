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
  };
}
