import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { EventLog } from '../events/port.js';

type HttpLabels = { method: string; route: string; status_code: string };

/**
 * Prometheus metrics: HTTP latency per route, outbox backlog per context and consumer position, lag and
 * dead letters per consumer, read from the event log at scrape time.
 */
export function registerMetrics(app: FastifyInstance, eventLog: EventLog): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // One series per method, route and status, found by a string key: the request count is kept in it and handed
  // to the counter at scrape time, so a request costs one histogram observe rather than two label look-ups.
  const series = new Map<string, { labels: HttpLabels; unreported: number }>();
  new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
    collect() {
      for (const entry of series.values()) {
        if (entry.unreported === 0) continue;
        this.inc(entry.labels, entry.unreported);
        entry.unreported = 0;
      }
    },
  });
  const outboxBacklog = new Gauge({
    name: 'tillstream_outbox_backlog',
    help: 'Committed outbox events not yet relayed to the bus',
    labelNames: ['context'] as const,
    registers: [registry],
  });
  const outboxHead = new Gauge({
    name: 'tillstream_outbox_head_position',
    help: 'Highest outbox position written',
    labelNames: ['context'] as const,
    registers: [registry],
  });
  const consumerPosition = new Gauge({
    name: 'tillstream_consumer_position',
    help: 'Last source position applied by the consumer',
    labelNames: ['consumer', 'source'] as const,
    registers: [registry],
  });
  const consumerLag = new Gauge({
    name: 'tillstream_consumer_lag',
    help: 'Events in the source not yet applied by the consumer',
    labelNames: ['consumer', 'source'] as const,
    registers: [registry],
  });
  const consumerPending = new Gauge({
    name: 'tillstream_consumer_pending',
    help: 'Events delivered to a consumer instance and not yet acknowledged (JetStream)',
    labelNames: ['consumer', 'source'] as const,
    registers: [registry],
  });
  const deadLetters = new Gauge({
    name: 'tillstream_consumer_dead_letters',
    help: 'Events parked in the dead-letter store and not redriven',
    labelNames: ['consumer'] as const,
    registers: [registry],
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let entry = series.get(key);
    if (!entry) {
      entry = {
        labels: { method: request.method, route, status_code: String(reply.statusCode) },
        unreported: 0,
      };
      series.set(key, entry);
    }
    httpDuration.observe(entry.labels, reply.elapsedTime / 1000);
    entry.unreported += 1;
    done();
  });

  app.get(
    '/metrics',
    { config: { scope: 'public' }, schema: { hide: true } as object },
    async (_request, reply) => {
      for (const status of await eventLog.outboxStatus()) {
        outboxBacklog.set({ context: status.context }, status.backlog);
        outboxHead.set({ context: status.context }, status.head);
      }
      for (const status of await eventLog.consumerStatus()) {
        consumerPosition.set({ consumer: status.consumer, source: status.source }, status.position);
        consumerLag.set({ consumer: status.consumer, source: status.source }, status.lag);
        consumerPending.set({ consumer: status.consumer, source: status.source }, status.pending);
        deadLetters.set({ consumer: status.consumer }, status.deadLetters);
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
  return registry;
}
