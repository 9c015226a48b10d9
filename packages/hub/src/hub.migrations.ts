import type { Migration } from '@tillstream/kernel';

/** Shared by both dialects once the identity column is spelled for each. */
const webhookTables = (identity: string) => `
  CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL,
    disabled_reason TEXT,
    disabled_at TEXT,
    failing_since TEXT,
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_expires_at TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE webhook_deliveries (
    seq ${identity},
    id TEXT NOT NULL UNIQUE,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    event_position BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    partition_key TEXT NOT NULL,
    origin TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    lease_token TEXT,
    lease_until TEXT,
    last_attempt_at TEXT,
    last_status INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT
  );
  CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries (subscription_id, event_id)
    WHERE origin = 'event';
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'pending';
  CREATE INDEX webhook_deliveries_key ON webhook_deliveries (subscription_id, partition_key, status, seq);
  CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, seq);
  CREATE INDEX webhook_deliveries_lease ON webhook_deliveries (lease_token);
  CREATE TABLE webhook_attempts (
    id ${identity},
    delivery_seq BIGINT NOT NULL REFERENCES webhook_deliveries (seq) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    attempted_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    status_code INTEGER,
    error TEXT,
    response_body TEXT
  );
  CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_seq, id);`;

/** The same SQL on both dialects; deliveries already tried take the time of their first logged attempt. */
const firstAttemptColumn = `
  ALTER TABLE webhook_deliveries ADD COLUMN first_attempt_at TEXT;
  UPDATE webhook_deliveries SET first_attempt_at = (
    SELECT MIN(a.attempted_at) FROM webhook_attempts a WHERE a.delivery_seq = webhook_deliveries.seq)
  WHERE attempts > 0;`;

const eventLogRetention = (position: string) => `
  ALTER TABLE events ADD COLUMN indexed_at TEXT;
  UPDATE events SET indexed_at = COALESCE(event_time, '1970-01-01T00:00:00.000Z');
  CREATE TABLE event_log_horizon (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    pruned_through ${position} NOT NULL,
    pruned_indexed_at TEXT NOT NULL
  );
  CREATE INDEX webhook_deliveries_open_event ON webhook_deliveries (event_position) WHERE completed_at IS NULL;`;

export const hubMigrations: Migration[] = [
  {
    id: '001_event_index',
    up: {
      sqlite: `
        CREATE TABLE events (
          position INTEGER PRIMARY KEY AUTOINCREMENT,
          event_id TEXT NOT NULL UNIQUE,
          type TEXT NOT NULL,
          source TEXT NOT NULL,
          envelope TEXT NOT NULL
        );`,
      postgres: `
        CREATE TABLE events (
          position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          event_id TEXT NOT NULL UNIQUE,
          type TEXT NOT NULL,
          source TEXT NOT NULL,
          envelope TEXT NOT NULL
        );`,
    },
  },
  {
    id: '002_webhooks',
    up: {
      sqlite: webhookTables('INTEGER PRIMARY KEY AUTOINCREMENT'),
      postgres: webhookTables('BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY'),
    },
  },
  {
    // Replay selects by the CloudEvents `time` and enqueues by `partitionkey`, without reading envelopes.
    id: '003_event_columns',
    up: {
      sqlite: `
        ALTER TABLE events ADD COLUMN event_time TEXT;
        ALTER TABLE events ADD COLUMN partition_key TEXT;
        UPDATE events SET event_time = json_extract(envelope, '$.time'),
          partition_key = COALESCE(json_extract(envelope, '$.partitionkey'), json_extract(envelope, '$.subject'));
        CREATE INDEX events_event_time ON events (event_time, position);`,
      postgres: `
        ALTER TABLE events ADD COLUMN event_time TEXT;
        ALTER TABLE events ADD COLUMN partition_key TEXT;
        UPDATE events SET event_time = envelope::json->>'time',
          partition_key = COALESCE(envelope::json->>'partitionkey', envelope::json->>'subject');
        CREATE INDEX events_event_time ON events (event_time, position);`,
    },
  },
  {
    // Throttled retries end when the schedule would have, counted from the first attempt, not the enqueue.
    id: '004_delivery_first_attempt',
    up: {
      sqlite: firstAttemptColumn,
      postgres: firstAttemptColumn,
    },
  },
  {
    // Retention prunes the log from its oldest end by when the hub indexed an event, not by its CloudEvents
    // time: a till's sale synced days late is new to the log. Rows indexed before this column take their event
    // time. The horizon says how far pruning went, so a cursor behind it is refused rather than served a gap;
    // open deliveries read their event's envelope, and their index lets pruning stop short of them.
    id: '005_event_log_retention',
    up: {
      sqlite: eventLogRetention('INTEGER'),
      postgres: eventLogRetention('BIGINT'),
    },
  },
];
