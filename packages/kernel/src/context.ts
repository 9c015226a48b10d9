import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { Clock } from './clock.js';
import type { IdGenerator } from './ids.js';
import type { Logger } from './logger.js';
import type { Db, Migration } from './db/port.js';
import type { Outbox } from './events/outbox.js';
import type { ConsumerSpec } from './events/port.js';

/** What the composition root hands every bounded context. */
export interface ContextDeps {
  db: Db;
  outbox: Outbox;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
}

/**
 * A bounded context as the server sees it. Each context package exports one factory returning this; the
 * server mounts `routes` under `/{name}/v1`, runs `migrations` on the context's own database and starts
 * `consumers` on the event log.
 */
export interface ContextModule {
  name: string;
  migrations: readonly Migration[];
  routes: FastifyPluginAsync;
  consumers: readonly ConsumerSpec[];
  /** Adds the context's own gauges to the process's /metrics registry (read at scrape time). */
  metrics?(registry: Registry): void;
  /** Background work (sweepers); started after migrations, stopped before the database closes. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
