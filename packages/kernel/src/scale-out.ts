/**
 * The scale-out engine's adapters (PostgreSQL, NATS JetStream), kept out of the main entry so the embedded
 * engine never loads their drivers.
 */
export * from './db/postgres.js';
export * from './events/nats-log.js';
