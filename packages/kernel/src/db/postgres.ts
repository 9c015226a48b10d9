import pg from 'pg';
import type { PoolClient } from 'pg';
import type { Logger } from '../logger.js';
import type { Db, DbSession, SnapshotReader, SqlValue, Tx } from './port.js';
import { savepointRunner } from './savepoint.js';
import { currentOrigin, type EventOrigin } from '../events/origin.js';
import { pgUnavailableReason } from './pg-unavailable-reason.js';
import { DatabaseUnavailable } from './unavailable.js';

export interface PostgresOptions {
  /** Connection URL, e.g. `postgres://tillstream@127.0.0.1:5432/tillstream`. */
  url: string;
  /** The owning context; also the schema every table of that context lives in. */
  context: string;
  /** Connections kept by the pool; defaults to 10. */
  poolSize?: number;
  /** Receives errors of idle pooled connections (the pool drops and replaces them), and outages. */
  logger?: Logger;
  /**
   * How long a new connection may take, and a transaction may wait for a pooled one, before it fails as
   * unavailable (unreachable or busy); defaults to 10 s. Without it a database behind a dead network hangs every
   * request until TCP gives up (minutes).
   */
  connectTimeoutMs?: number;
}

const CONNECT_TIMEOUT_MS = 10_000;

const INT8_OID = 20;
/** Attempts of one transaction when PostgreSQL asks for a retry (serialization failure, deadlock). */
const MAX_TRANSACTION_ATTEMPTS = 5;
const RETRYABLE_CODES = new Set(['40001', '40P01']);
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * BIGINT (positions, counts) arrives as a JS number, as it does from SQLite, so stores read both dialects
 * alike. Tillstream keeps BIGINT values (positions, minor units) far below 2^53.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

const toPgParams = (params: readonly SqlValue[]): unknown[] =>
  params.map((value) => (value === undefined ? null : value));

function isRetryable(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    RETRYABLE_CODES.has((error as { code?: string }).code ?? '')
  );
}

/** Small jittered pause so two transactions that conflicted do not collide again in lockstep. */
const backoff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.round(Math.random() * 10 * 2 ** attempt)));

async function ensureSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two instances starting together can both pass the IF NOT EXISTS check; the loser sees a duplicate.
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}

function transactionApi(
  client: PoolClient,
  onOutboxWritten: () => void,
  origin: EventOrigin | undefined,
): Tx {
  return {
    dialect: 'postgres',
    origin,
    query: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(sql, toPgParams(params))).rows as Row[],
    execute: async (sql, params = []) => (await client.query(sql, toPgParams(params))).rowCount ?? 0,
    insert: async (sql, params, key) => {
      const [row] = (await client.query(`${sql} RETURNING ${key}`, toPgParams(params))).rows as Array<
        Record<string, string | number>
      >;
      return row ? Number(row[key]) : null;
    },
    exec: async (script) => {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await client.query(script);
    },
    outboxWritten: onOutboxWritten,
    savepoint: savepointRunner(async (sql) => {
      await client.query(sql);
    }),
  };
}

/** A client of its own; TCP keepalive lets a silently dead peer end it rather than leave it hanging. */
async function openSession(url: string, schema: string, connectTimeoutMs: number): Promise<DbSession> {
  const client = new pg.Client({
    connectionString: url,
    options: `-c search_path=${schema}`,
    types: typeParsers,
    keepAlive: true,
    connectionTimeoutMillis: connectTimeoutMs,
  });
  const listeners: Array<() => void> = [];
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    for (const listener of listeners.splice(0)) listener();
  };
  // Without an 'error' listener a dropped connection would crash the process.
  client.on('error', end);
  client.on('end', end);
  await client.connect();
  return {
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      return (await client.query(sql, toPgParams(params))).rows as Row[];
    },
    onEnd(listener) {
      if (ended) listener();
      else listeners.push(listener);
    },
    async close() {
      end();
      await client.end().catch(() => undefined);
    },
  };
}

/**
 * Turns a failure to reach the database (or its disk being full) into `DatabaseUnavailable` and logs an
 * outage once, when it starts and when the database answers again, rather than once per request that hit it.
 * A pool with no client free is no outage (the transactions holding them go on committing): it is warned of
 * at most once per `quietMs`.
 */
function reachability(context: string, logger: Logger | undefined, quietMs: number) {
  let downSince: number | null = null;
  let busyWarnedAt = -Infinity;
  return {
    failed(error: unknown): unknown {
      const reason = pgUnavailableReason(error);
      if (!reason) return error;
      if (reason === 'busy') {
        if (Date.now() - busyWarnedAt >= quietMs) {
          busyWarnedAt = Date.now();
          logger?.warn({ context, waitedMs: quietMs }, 'database connections all in use');
        }
      } else if (downSince === null) {
        downSince = Date.now();
        logger?.error({ err: error, context, reason }, 'database unavailable');
      }
      return new DatabaseUnavailable(context, error, reason);
    },
    /** Told of committed transactions only: a read answering says nothing of a disk too full to write. */
    answered(): void {
      if (downSince === null) return;
      logger?.warn({ context, unreachableMs: Date.now() - downSince }, 'database available again');
      downSince = null;
    },
  };
}

/**
 * PostgreSQL adapter for the scale-out engine: one schema per context (created if missing), selected through
 * `search_path` on every pooled connection, so the contexts' SQL stays unqualified and identical to SQLite's.
 * Transactions run at READ COMMITTED on one pooled client and are retried a few times on serialization
 * failures and deadlocks, which PostgreSQL reports as safe to retry.
 */
export async function openPostgres(options: PostgresOptions): Promise<Db> {
  const schema = options.context;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`context name ${schema} is not a valid schema name`);
  const connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    options: `-c search_path=${schema}`,
    types: typeParsers,
    keepAlive: true,
    connectionTimeoutMillis: connectTimeoutMs,
  });
  pool.on('error', (error) =>
    options.logger?.warn({ err: error, context: schema }, 'idle postgres connection failed'),
  );
  const reach = reachability(schema, options.logger, connectTimeoutMs);
  // Rows are not handed on: the scale-out relay reads the outbox gap-safely by transaction id (pg-outbox-relay).
  const outboxListeners: Array<(rows: null) => void> = [];
  let closed = false;

  try {
    await ensureSchema(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }

  /**
   * A pooled client for one transaction or snapshot. The pool listens for errors of idle clients only: one
   * whose connection drops while it is checked out emits 'error' to nobody, which would crash the process. The
   * statement in flight fails with that error anyway; the listener only keeps it, so the client is destroyed
   * at release instead of pooled.
   */
  async function checkOut(): Promise<{ client: PoolClient; release(broken?: Error): void }> {
    const client = await pool.connect();
    let lost: Error | undefined;
    const onError = (error: Error) => (lost = error);
    client.on('error', onError);
    return {
      client,
      release(broken) {
        client.removeListener('error', onError);
        client.release(broken ?? lost);
      },
    };
  }

  async function attempt<T>(
    fn: (tx: Tx) => Promise<T>,
    origin: EventOrigin | undefined,
  ): Promise<{ result: T; wroteOutbox: boolean }> {
    const { client, release } = await checkOut();
    let wroteOutbox = false;
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      try {
        const result = await fn(transactionApi(client, () => (wroteOutbox = true), origin));
        await client.query('COMMIT');
        return { result, wroteOutbox };
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      }
    } finally {
      // A client whose rollback failed is in an unknown state: destroy it rather than pool it.
      release(broken);
    }
  }

  async function readSnapshot<T>(fn: (reader: SnapshotReader) => Promise<T>): Promise<T> {
    const { client, release } = await checkOut();
    let broken: Error | undefined;
    try {
      // REPEATABLE READ takes its snapshot at the first statement and keeps it; READ ONLY, as it only reads.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      try {
        return await fn({
          dialect: 'postgres',
          query: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
            (await client.query(sql, toPgParams(params))).rows as Row[],
        });
      } finally {
        await client.query('COMMIT').catch((error: Error) => (broken = error));
      }
    } finally {
      release(broken);
    }
  }

  return {
    dialect: 'postgres',
    context: options.context,
    async transaction(fn) {
      // Taken before the first await, in the caller's context, and the same for every retry.
      const origin = currentOrigin();
      for (let attemptNumber = 1; ; attemptNumber += 1) {
        if (closed) throw new Error(`database ${options.context} is closed`);
        try {
          const { result, wroteOutbox } = await attempt(fn, origin);
          reach.answered();
          if (wroteOutbox) for (const listener of outboxListeners) listener(null);
          return result;
        } catch (error) {
          if (!isRetryable(error) || attemptNumber >= MAX_TRANSACTION_ATTEMPTS) throw reach.failed(error);
          await backoff(attemptNumber);
        }
      }
    },
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      if (closed) throw new Error(`database ${options.context} is closed`);
      try {
        return (await pool.query(sql, toPgParams(params))).rows as Row[];
      } catch (error) {
        throw reach.failed(error);
      }
    },
    async snapshot(fn) {
      if (closed) throw new Error(`database ${options.context} is closed`);
      try {
        return await readSnapshot(fn);
      } catch (error) {
        throw reach.failed(error);
      }
    },
    onOutboxCommit(listener) {
      outboxListeners.push(listener);
    },
    async openSession() {
      if (closed) throw new Error(`database ${options.context} is closed`);
      return openSession(options.url, schema, connectTimeoutMs);
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
