import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { EventLog } from '../events/port.js';
import { RouteLatency } from './route-latency.js';

/**
 * The embedded engine has no relay: its outbox is the log, so a committed event is already where consumers
 * read it. Its backlog is 0 by definition, and the help text says why, so that 0 is not read as "applied".
 */
const OUTBOX_BACKLOG_HELP: Record<EventLog['kind'], string> = {
  nats: 'Committed outbox events not yet relayed to NATS',
  embedded:
    'Committed outbox events not yet relayed: always 0 on the embedded engine, where the outbox is the log ' +
    'itself; events not yet applied are tillstream_consumer_lag',
};

/**
 * Prometheus metrics: HTTP latency per route, outbox backlog per context and consumer position, lag, dead
 * letters and (exclusive consumers) leadership per consumer, read from the event log at scrape time.
 */
export function registerMetrics(app: FastifyInstance, eventLog: EventLog): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const latency = new RouteLatency([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  latency.register(registry);
  const outboxBacklog = new Gauge({
    name: 'tillstream_outbox_backlog',
    help: OUTBOX_BACKLOG_HELP[eventLog.kind],
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
  const consumerLeader = new Gauge({
    name: 'tillstream_consumer_leader',
    help: 'Exclusive consumers (scale-out): 1 on the one instance applying its events, 0 on standbys',
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
    latency.observe(request.method, reply.statusCode, route, reply.elapsedTime / 1000);
    done();
  });

  app.get(
    '/metrics',
    { config: { scope: 'public', rateLimit: false }, schema: { hide: true } as object },
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
        if (status.leader !== undefined)
          consumerLeader.set({ consumer: status.consumer, source: status.source }, status.leader ? 1 : 0);
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
  return registry;
}
