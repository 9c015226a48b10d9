import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints the process's SQLite databases on a worker thread.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that takes the WAL past its limit: it copies the
 * WAL's pages back into the database file and fsyncs both files, on the committing thread. For the embedded
 * engine that is the event loop, and under a write-heavy load (checkout) it was a third of what ERP's
 * commits cost. Here the adapters turn the automatic checkpoint off and ask this worker instead, whose own
 * connection runs a PASSIVE checkpoint: it never blocks the writer or a reader, and once it has copied every
 * frame the writer starts the WAL over at its next transaction, as with the automatic one.
 *
 * The worker starts on the first request, so a lightly used platform never pays for it, and stops when it
 * has had nothing to do for a while or the last database that used it closes.
 */

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const connections = new Map();
parentPort.on('message', ({ file, close }) => {
  try {
    if (close) {
      connections.get(file)?.close();
      connections.delete(file);
    } else {
      let connection = connections.get(file);
      if (!connection) {
        connection = new Database(file);
        connection.pragma('busy_timeout = 5000');
        connections.set(file, connection);
      }
      connection.pragma('wal_checkpoint(PASSIVE)');
    }
    parentPort.postMessage({ file });
  } catch (error) {
    parentPort.postMessage({ file, error: String((error && error.message) || error) });
  }
});
`;

/**
 * A worker with nothing to do for this long stops (and frees its isolate, some 5 MB); the next request starts
 * one. Short, since a burst of writes (the demo's seeding, a nightly import) leaves a server idle for hours
 * after: starting a worker again costs a few milliseconds on its own thread, at most once per this interval.
 */
const IDLE_STOP_MS = 2_000;

interface Reply {
  file: string;
  error?: string;
}

let worker: Worker | null = null;
let idleTimer: NodeJS.Timeout | null = null;
const waiting = new Map<string, (reply: Reply) => void>();
/** Requests for one file wait for the one before: the worker answers each file once at a time. */
const lastRequest = new Map<string, Promise<unknown>>();
const users = new Set<string>();

function stopWorker(): Promise<number> | undefined {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const stopping = worker;
  worker = null;
  return stopping?.terminate();
}

function ensureWorker(): Worker {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (worker) return worker;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver } });
  // An idle worker never keeps the process alive.
  started.unref();
  started.on('message', (reply: Reply) => {
    const settle = waiting.get(reply.file);
    waiting.delete(reply.file);
    settle?.(reply);
    if (waiting.size === 0 && worker === started) {
      idleTimer = setTimeout(() => void stopWorker(), IDLE_STOP_MS);
      idleTimer.unref();
    }
  });
  started.on('error', (error) => {
    for (const settle of waiting.values()) settle({ file: '', error: String(error) });
    waiting.clear();
    if (worker === started) worker = null;
  });
  worker = started;
  return started;
}

function ask(file: string, close: boolean): Promise<Reply> {
  const previous = lastRequest.get(file) ?? Promise.resolve();
  const request = previous.then(
    () =>
      new Promise<Reply>((resolve) => {
        waiting.set(file, resolve);
        ensureWorker().postMessage({ file, close });
      }),
  );
  lastRequest.set(file, request);
  void request.then(() => {
    if (lastRequest.get(file) === request) lastRequest.delete(file);
  });
  return request;
}

/**
 * Checkpoints `file` on the worker; resolves with the error, if any, rather than throwing: SQLite's files
 * stay consistent either way and the next request tries again. Frames committed while it ran are left for
 * the writer (see the SQLite adapter).
 */
export async function checkpointOffThread(file: string): Promise<string | null> {
  users.add(file);
  return (await ask(file, false)).error ?? null;
}

/**
 * The database is closing: the worker closes its connection first, so the adapter's own close is the last
 * one (SQLite then checkpoints and removes the WAL). The worker stops when no database is left.
 */
export async function releaseCheckpointer(file: string): Promise<void> {
  if (!users.delete(file)) return;
  if (worker) await ask(file, true);
  if (users.size === 0) await stopWorker();
}
