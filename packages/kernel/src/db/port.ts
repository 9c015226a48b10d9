/**
 * The database port. Contexts write plain SQL in the common subset of SQLite and PostgreSQL, with `$1`-style
 * placeholders; each adapter maps that to its driver. Migrations may differ per dialect where DDL does.
 */
import type { EventOrigin } from '../events/origin.js';

export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | boolean | null | undefined;

/** An outbox row as its transaction wrote it: its log position and the envelope's JSON. */
export interface OutboxRow {
  position: number;
  envelope: string;
}

/** Queries inside one transaction. */
export interface Tx {
  readonly dialect: Dialect;
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a statement and returns how many rows it changed. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs an INSERT of one row into a table whose key `key` is an integer the database assigns, and returns
   * that key, or null when nothing was inserted (ON CONFLICT DO NOTHING). PostgreSQL adds `RETURNING key`;
   * SQLite reads it as the row id (`key` must be the INTEGER PRIMARY KEY), without the result row RETURNING
   * would build, which cost as much as the insert itself.
   */
  insert(sql: string, params: readonly SqlValue[], key: string): Promise<number | null>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * Marks that this transaction appended to the outbox, so the relay is woken once it commits. With the rows
   * it appended, in position order, the embedded log hands them to its consumers without reading them back.
   */
  outboxWritten(rows?: readonly OutboxRow[]): void;
  /**
   * Runs fn inside a savepoint of this transaction: when fn throws, only its own writes are rolled back and
   * the error is rethrown; the transaction goes on. One at a time: not nestable, not concurrent (refused).
   */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Where the events this transaction appends come from (trace, correlation, causation): the API request
   * that opened it (`Db.transaction` takes it from the request being handled, before its first await or
   * kept with `keepOrigin()`), or, set before each event a
   * consumer handles, that event (applyEvents). The outbox stamps every event with it; when unset, the outbox
   * starts a trace of the transaction's own.
   */
  origin?: EventOrigin;
}

/** The reads of one snapshot (`Db.snapshot`). */
export interface SnapshotReader {
  readonly dialect: Dialect;
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
}

export interface Db {
  readonly dialect: Dialect;
  /** Name of the owning context (also the schema name on PostgreSQL). */
  readonly context: string;
  /**
   * Runs fn in one transaction; commits when it resolves, rolls back when it throws. Effects and the outbox
   * rows they cause go through the same Tx, so they commit together or not at all.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** A read outside any transaction; sees committed data only. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /**
   * Runs fn's reads in one snapshot of committed data: every statement sees the database as of the first,
   * however many commits land meanwhile. For an API answer assembled from several reads of rows one
   * transaction writes together (PostgreSQL reads each plain statement at its own instant). Reads only.
   */
  snapshot<T>(fn: (reader: SnapshotReader) => Promise<T>): Promise<T>;
  /**
   * Called after every commit that wrote rows to the outbox (wakes the embedded relay and consumers), with
   * every row that commit appended when each writer named its rows, else null.
   */
  onOutboxCommit(listener: (rows: readonly OutboxRow[] | null) => void): void;
  /**
   * Whether the database still takes transactions. Optional: an adapter without it is taken as writable.
   * After a failed fsync the SQLite adapter refuses every transaction until the process restarts, while its
   * reads still answer, so a `SELECT 1` does not show it.
   */
  health?(): DbHealth;
  /**
   * PostgreSQL only: a connection of its own, outside the pool, for what lives as long as a session does (an
   * advisory lock held to lead an exclusive consumer). Closing the database does not close it.
   */
  openSession?(): Promise<DbSession>;
  close(): Promise<void>;
}

/** One dedicated connection; whatever it holds (session advisory locks) is released when it ends. */
export interface DbSession {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Called once when the connection fails or ends, whoever ended it; at once if it already has. */
  onEnd(listener: () => void): void;
  close(): Promise<void>;
}

export interface DbHealth {
  writable: boolean;
  /** Why it is not, when it is not. */
  reason?: string;
}

export interface Migration {
  /** Ordered, never renumbered once released: `001_initial`. */
  id: string;
  /** SQL for each dialect; a string when the statement is the same in both. */
  up: string | Record<Dialect, string>;
}
