import type { Migration } from '../db/port.js';

/**
 * Tables every context database carries: its outbox (which is also its event log on the embedded engine),
 * the inbox and checkpoints of its consumers, their dead letters, and stored Idempotency-Key responses.
 * On PostgreSQL each outbox row records the writing transaction id, which the gap-safe relay reads.
 */
export const kernelMigrations: Migration[] = [
  {
    id: '000_kernel_outbox',
    up: {
      sqlite: `
        CREATE TABLE outbox (
          position INTEGER PRIMARY KEY AUTOINCREMENT,
          id TEXT NOT NULL UNIQUE,
          type TEXT NOT NULL,
          subject TEXT NOT NULL,
          envelope TEXT NOT NULL
        );`,
      postgres: `
        CREATE TABLE outbox (
          position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          type TEXT NOT NULL,
          subject TEXT NOT NULL,
          envelope TEXT NOT NULL,
          tx_id xid8 NOT NULL DEFAULT pg_current_xact_id()
        );
        CREATE INDEX outbox_tx_id ON outbox (tx_id, position);`,
    },
  },
  {
    // The PostgreSQL relay looks up the row before a subject's `sequence` (pg-outbox-relay.ts). Rows written
    // before this carry none, and are relayed in transaction order as they were.
    id: '000_kernel_outbox_sequence',
    up: {
      sqlite: 'ALTER TABLE outbox ADD COLUMN sequence INTEGER;',
      postgres: `
        ALTER TABLE outbox ADD COLUMN sequence BIGINT;
        CREATE INDEX outbox_subject_sequence ON outbox (subject, sequence);`,
    },
  },
  {
    // When a row was written, so that the scale-out engine can prune relayed rows by age (pg-retention.ts).
    // Rows written before this count as written now. The embedded outbox is dated by marks instead (below).
    id: '000_kernel_outbox_written_at',
    up: {
      sqlite: 'SELECT 1',
      postgres: 'ALTER TABLE outbox ADD COLUMN written_at TIMESTAMPTZ NOT NULL DEFAULT now();',
    },
  },
  {
    // The embedded engine's outbox rows carry no write time (the hot path writes none): each hourly retention
    // pass records the head with the time instead, which dates every row at or behind it (embedded-retention.ts).
    id: '000_kernel_outbox_marks',
    up: {
      sqlite: `
        CREATE TABLE outbox_marks (
          marked_at TEXT PRIMARY KEY,
          position INTEGER NOT NULL
        );`,
      postgres: 'SELECT 1',
    },
  },
  {
    id: '000_kernel_consumers',
    up: `
      CREATE TABLE inbox (
        consumer TEXT NOT NULL,
        event_id TEXT NOT NULL,
        processed_at TEXT NOT NULL,
        PRIMARY KEY (consumer, event_id)
      );
      CREATE TABLE consumer_checkpoints (
        consumer TEXT NOT NULL,
        source TEXT NOT NULL,
        position BIGINT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (consumer, source)
      );
      CREATE TABLE dead_letters (
        event_id TEXT NOT NULL,
        consumer TEXT NOT NULL,
        source TEXT NOT NULL,
        position BIGINT NOT NULL,
        type TEXT NOT NULL,
        envelope TEXT NOT NULL,
        error TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        failed_at TEXT NOT NULL,
        redriven_at TEXT,
        PRIMARY KEY (consumer, event_id)
      );`,
  },
  {
    id: '000_kernel_idempotency',
    up: `
      CREATE TABLE idempotency_keys (
        principal TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        state TEXT NOT NULL,
        response_status INTEGER,
        response_body TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (principal, idempotency_key)
      );
      CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);`,
  },
];
