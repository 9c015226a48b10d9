import Database from 'better-sqlite3';
import type { Db, OutboxRow, SnapshotReader, SqlValue, Tx } from './port.js';
import { savepointRunner } from './savepoint.js';
import { StatementCache } from './statement-cache.js';
import { WalSync } from './wal-sync.js';
import { checkpointOffThread, releaseCheckpointer } from './checkpointer.js';
import { currentOrigin, type EventOrigin } from '../events/origin.js';
import { DatabaseUnavailable } from './unavailable.js';

export interface SqliteOptions {
  /** File path; one file per context in the data dir. */
  file: string;
  context: string;
  /** WAL size that starts a checkpoint on the worker; 16 MB unless a test wants to see one sooner. */
  checkpointAtBytes?: number;
}

/**
 * The WAL is checkpointed (on the worker, see checkpointer.ts) once it outgrows this, 4,000 pages; SQLite
 * truncates it back to this size when it starts over. Past eight times as much the worker is not keeping up
 * (or failing), and the writer checkpoints itself, as SQLite would.
 */
const CHECKPOINT_AT_BYTES = 16 * 1024 * 1024;

/** How often, at most, the WAL's size is looked at after a commit. */
const WAL_LOOK_EVERY_MS = 5;

/** Outbox rows appended one after the other; unknown (null) once either side is. */
function followedBy(
  first: readonly OutboxRow[] | null,
  then: readonly OutboxRow[] | null,
): readonly OutboxRow[] | null {
  return first && then ? [...first, ...then] : null;
}

/** Logical transactions committed together at most; bounds how long one batch holds the writer. */
const MAX_GROUP = 256;

/** A full disk (or the file's size limit) is the database's state, not the transaction's fault: a 503. */
function unlessFull(context: string, error: unknown): unknown {
  const full = (error as { code?: unknown } | null)?.code === 'SQLITE_FULL';
  return full ? new DatabaseUnavailable(context, error, 'full') : error;
}

interface QueuedTransaction {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** Taken when the transaction was asked for: the group's drain runs it in the context of another caller. */
  origin: EventOrigin | undefined;
}

/**
 * SQLite adapter: WAL, an acknowledged commit survives a crash or power loss, and reads outside a transaction
 * never see uncommitted rows (while a group is open they go to a separate, query-only reader connection).
 *
 * Group commit: an fsync costs milliseconds, so transactions that arrive while one is running are queued and
 * then run one after another inside a single SQLite transaction, each in its own SAVEPOINT when there are
 * several. A transaction that throws is rolled back to its savepoint alone; the others commit together with
 * one fsync, and every caller hears back only after that fsync, so nothing is acknowledged before it is
 * durable.
 *
 * The fsync runs off the event loop (see WalSync). While it runs, no other commit starts, and reads wait
 * for it: nothing outside a transaction, not a consumer, not an API read, sees a commit before it is
 * durable, so no effect downstream can outlive a sale that a power cut took back.
 */
export function openSqlite(options: SqliteOptions): Db {
  const writer = new Database(options.file);
  const journalMode = writer.pragma('journal_mode = WAL', { simple: true }) as string;
  if (journalMode !== 'wal') {
    writer.close();
    // Durability and the reader connection both rest on the WAL (e.g. a network filesystem refuses it).
    throw new Error(`SQLite kept ${options.file} in ${journalMode} journal mode, not WAL: use a local disk`);
  }
  // NORMAL: COMMIT does not fsync the WAL on the event-loop thread; WalSync does, on the thread pool, before
  // anyone hears of the commit. Checkpoints still sync the WAL and the database file themselves.
  writer.pragma('synchronous = NORMAL');
  writer.pragma('busy_timeout = 5000');
  writer.pragma('wal_autocheckpoint = 0');
  const checkpointAt = options.checkpointAtBytes ?? CHECKPOINT_AT_BYTES;
  writer.pragma(`journal_size_limit = ${checkpointAt}`);
  writer.pragma('foreign_keys = ON');
  // A group's savepoints journal the pages they change; on disk that was a temporary file written page by
  // page (about half of all writes during POS ingest), in memory it is a copy.
  writer.pragma('temp_store = MEMORY');
  const reader = new Database(options.file, { readonly: false });
  reader.pragma('busy_timeout = 5000');
  reader.pragma('query_only = ON');
  const writes = new StatementCache(writer);
  const reads = new StatementCache(reader);
  /** Transaction control, prepared once: several statements per logical transaction add up. */
  const control = (sql: string) => writes.get(sql).run();
  const wal = new WalSync(`${options.file}-wal`);
  /** The fsync of the last group's commit while it runs: reads wait for it. */
  let syncing: Promise<void> | null = null;
  /** Set when an fsync failed: what was committed may not be on disk, so nothing more is accepted. */
  let syncFailure: Error | null = null;
  let checkpointing: Promise<unknown> | null = null;
  const queue: QueuedTransaction[] = [];
  const outboxListeners: Array<(rows: readonly OutboxRow[] | null) => void> = [];
  let draining = false;
  let closed = false;
  let idle: Promise<void> = Promise.resolve();
  let markIdle: () => void = () => {};

  /**
   * A connection of its own for snapshots, opened on first use (most contexts never take one): a read
   * transaction there pins what it sees, which on the shared reader would pin every other read as well, and
   * hide from a request what it had just committed.
   */
  let snapshotReads: StatementCache | null = null;
  let snapshotConnection: Database.Database | null = null;
  let snapshotTurn: Promise<unknown> = Promise.resolve();

  const readSnapshot = async <T>(fn: (reader: SnapshotReader) => Promise<T>): Promise<T> => {
    if (!snapshotReads) {
      snapshotConnection = new Database(options.file, { readonly: false });
      snapshotConnection.pragma('busy_timeout = 5000');
      snapshotConnection.pragma('query_only = ON');
      snapshotReads = new StatementCache(snapshotConnection);
    }
    const cache = snapshotReads;
    // The snapshot starts at the first read, after the last commit's fsync: no read sees a commit before it.
    let pinned = false;
    cache.get('BEGIN').run();
    try {
      return await fn({
        dialect: 'sqlite',
        async query<Row>(sql: string, params?: readonly SqlValue[]) {
          if (!pinned && syncing) await syncing.catch(() => undefined);
          pinned = true;
          return runQuery<Row>(cache, sql, params);
        },
      });
    } finally {
      cache.get('COMMIT').run();
    }
  };

  const runQuery = <Row>(cache: StatementCache, sql: string, params: readonly SqlValue[] = []): Row[] => {
    const prepared = cache.get(sql);
    if (prepared.reader) return prepared.all<Row>(params);
    prepared.run(params);
    return [];
  };

  /** What one logical transaction appended to the outbox: null rows once a writer did not name them. */
  interface ItemOutbox {
    wrote: boolean;
    rows: readonly OutboxRow[] | null;
  }

  const openTx = (outbox: ItemOutbox, origin: EventOrigin | undefined): Tx => {
    const inSavepoint = savepointRunner(async (sql) => {
      control(sql);
    });
    return {
      dialect: 'sqlite',
      origin,
      query: async (sql, params) => runQuery(writes, sql, params),
      execute: async (sql, params) => writes.get(sql).run(params).changes,
      insert: async (sql, params) => {
        const result = writes.get(sql).run(params);
        return result.changes > 0 ? Number(result.lastInsertRowid) : null;
      },
      exec: async (script) => {
        writer.exec(script);
      },
      outboxWritten: (rows) => {
        outbox.wrote = true;
        outbox.rows = followedBy(outbox.rows, rows ?? null);
      },
      // Rows appended inside a savepoint that rolls back were never written: they must not be handed on.
      savepoint: async (fn) => {
        const before = outbox.rows;
        try {
          return await inSavepoint(fn);
        } catch (error) {
          outbox.rows = before;
          throw error;
        }
      },
    };
  };

  /** A checkpoint on the writer, between transactions; one that cannot run now (busy) waits for a later commit. */
  function checkpointHere(): void {
    try {
      writer.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // SQLITE_BUSY while the worker checkpoints: it is doing the same work.
    }
  }

  /** When the WAL's size was last looked at: an fstat after every group commit showed in profiles. */
  let walLookedAt = 0;
  /** The worker's checkpoint is done: the frames committed while it ran are still to be copied back. */
  let tailDue = false;

  /**
   * The worker copied what was in the WAL when it began; commits during its run are not, and the WAL starts
   * over only once every frame is back. So before the next group, the worker copies those few frames too,
   * while this database's writes wait (this writer is the only one, so nothing is appended meanwhile and the
   * pass completes); the group's BEGIN then starts the WAL over. Copying them on the event loop instead
   * stopped every request and every context for the copy and its two fsyncs: 4 % of the CPU profile under
   * spread reservations.
   */
  async function finishCheckpoint(): Promise<void> {
    tailDue = false;
    await checkpointOffThread(options.file);
  }

  function checkpointIfDue(): void {
    const now = performance.now();
    if (now - walLookedAt < WAL_LOOK_EVERY_MS) return;
    walLookedAt = now;
    const size = wal.size();
    if (size <= checkpointAt) return;
    if (size > 8 * checkpointAt) {
      checkpointHere();
      return;
    }
    // A failed checkpoint is tried again after a later commit; the inline one above bounds the WAL.
    checkpointing ??= checkpointOffThread(options.file)
      .then((error) => (tailDue = error === null))
      .finally(() => (checkpointing = null));
  }

  /**
   * Runs queued transactions in groups until the queue is empty. Requests that arrive while a group runs
   * or its fsync is awaited queue up: yielding one event-loop turn (setImmediate runs after I/O) before each
   * group lets those already read join it instead of waiting for a commit each.
   */
  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    idle = new Promise((resolve) => (markIdle = resolve));
    try {
      while (queue.length > 0) {
        if (tailDue) await finishCheckpoint();
        await new Promise((resolve) => setImmediate(resolve));
        const group = queue.splice(0, MAX_GROUP);
        const settled: Array<() => void> = [];
        let wroteOutbox = false;
        /** What the group appended to the outbox, in position order; null once a writer did not say. */
        let appended: readonly OutboxRow[] | null = [];
        try {
          control('BEGIN IMMEDIATE');
        } catch (error) {
          for (const item of group) item.reject(error);
          continue;
        }
        // A transaction alone in its group needs no savepoint of its own: when it fails, the SQLite
        // transaction is rolled back whole. A savepoint copies every page its transaction changes into a
        // journal, and releasing it cost up to a tenth of a millisecond for a consumer's batch.
        const alone = group.length === 1;
        /** Set when SQLite rolled the whole group back itself, on the transaction that failed with it. */
        let groupLost: number | null = null;
        for (const [index, item] of group.entries()) {
          const outbox: ItemOutbox = { wrote: false, rows: [] };
          if (!alone) control('SAVEPOINT logical_tx');
          try {
            const value = await item.fn(openTx(outbox, item.origin));
            if (!alone) control('RELEASE logical_tx');
            if (outbox.wrote) {
              wroteOutbox = true;
              appended = followedBy(appended, outbox.rows);
            }
            settled.push(() => item.resolve(value));
          } catch (error) {
            if (writer.inTransaction && alone) {
              control('ROLLBACK');
            } else if (writer.inTransaction) {
              control('ROLLBACK TO logical_tx');
              control('RELEASE logical_tx');
            } else if (!alone) {
              // SQLite may roll the whole transaction back itself (a full disk, an I/O error): the group's
              // earlier work is gone, and the rest must not run outside a transaction, each committing alone.
              item.reject(error);
              groupLost = index;
              break;
            }
            settled.push(() => item.reject(error));
          }
        }
        if (groupLost !== null) {
          // Only the one that failed has its answer; the others run again, first, in the next group.
          queue.unshift(...group.filter((_, index) => index !== groupLost));
          continue;
        }
        if (alone && !writer.inTransaction) {
          // It failed and took its transaction with it: nothing to commit, nothing to wait for.
          for (const settle of settled) settle();
          continue;
        }
        try {
          control('COMMIT');
        } catch (error) {
          if (writer.inTransaction) control('ROLLBACK');
          for (const item of group) item.reject(error);
          continue;
        }
        try {
          syncing = wal.sync();
          await syncing;
        } catch (error) {
          // After a failed fsync the kernel may have dropped the dirty pages: neither these commits nor any
          // later one can be promised durable (PostgreSQL's "fsyncgate"), so this database stops taking
          // writes until the process restarts and SQLite recovers from what is really on disk.
          const message = `database ${options.context}: fsync of its WAL failed; restart the process`;
          syncFailure = new Error(message, { cause: error });
          for (const item of [...group, ...queue.splice(0)]) item.reject(syncFailure);
          continue;
        } finally {
          syncing = null;
        }
        checkpointIfDue();
        if (wroteOutbox) for (const listener of outboxListeners) listener(appended);
        for (const settle of settled) settle();
      }
    } finally {
      draining = false;
      markIdle();
    }
  }

  return {
    dialect: 'sqlite',
    context: options.context,
    transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new Error(`database ${options.context} is closed`));
      if (syncFailure) return Promise.reject(syncFailure);
      return new Promise<T>((resolve, reject) => {
        queue.push({
          fn,
          resolve: resolve as (value: unknown) => void,
          reject: (error) => reject(unlessFull(options.context, error)),
          origin: currentOrigin(),
        });
        void drain();
      });
    },
    async query(sql, params) {
      // Resumes before the next group can commit: drain() yields a macrotask before each group.
      if (syncing) await syncing.catch(() => undefined);
      // Between groups the writer holds no transaction and sees exactly what is committed, so it serves the
      // read: its page cache survives its own commits, whereas the reader's is emptied whenever another
      // connection has written, and refilled page by page from the file (a few percent of the CPU under load).
      // While a group runs, its uncommitted rows are on the writer: the reader answers then. A statement that
      // writes always goes to the reader, whose query_only refuses it: writes belong in a transaction.
      const viaWriter = !writer.inTransaction && writes.get(sql).readonly;
      return runQuery(viaWriter ? writes : reads, sql, params);
    },
    async snapshot(fn) {
      if (closed) throw new Error(`database ${options.context} is closed`);
      // One snapshot at a time on its connection; each waits for the one before.
      const run = () => readSnapshot(fn);
      const result = snapshotTurn.then(run, run);
      snapshotTurn = result.catch(() => undefined);
      return result;
    },
    onOutboxCommit(listener) {
      outboxListeners.push(listener);
    },
    health() {
      if (syncFailure) return { writable: false, reason: syncFailure.message };
      if (closed) return { writable: false, reason: `database ${options.context} is closed` };
      return { writable: true };
    },
    async close() {
      if (closed) return;
      closed = true;
      while (draining || queue.length > 0) {
        await idle;
        if (queue.length > 0) await drain();
      }
      await checkpointing;
      await releaseCheckpointer(options.file);
      await wal.close();
      await snapshotTurn;
      snapshotConnection?.close();
      reader.close();
      writer.close();
    },
  };
}
