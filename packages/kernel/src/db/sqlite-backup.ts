import { open, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { makeDirectory } from '../make-directory.js';

/** One database file to copy, named as its context names it (`pos`, `erp`, `auth`, …). */
export interface SqliteBackupSource {
  name: string;
  file: string;
}

export interface BackedUpFile {
  name: string;
  /** The copy's file name inside the backup directory: the source's own, so the directory is a data dir. */
  file: string;
  bytes: number;
}

/** Pages copied per step; the event loop runs between steps, so the platform keeps serving meanwhile. */
const PAGES_PER_STEP = 256;

/**
 * Copies several SQLite databases as they all were at one instant, into `targetDir` (which must not exist).
 *
 * One instant matters because each context's database holds the positions it has consumed other contexts'
 * logs up to. Copied one after the other, ERP's copy could hold a sale's movement, and its position past that
 * sale, while POS's older copy lacks the sale: restored, POS would number its next event as that sale was and
 * ERP would skip it as read. So a read transaction is opened on every database before any is copied, all
 * within one synchronous stretch of code. Every writer of these files is in this process, and a SQLite commit
 * runs on this thread, so no commit can fall between two of those snapshots: a consumer's position in the
 * copy never passes what its source's copy holds. Each file is then copied from its snapshot with SQLite's
 * online backup, a few pages at a time, while writes go on, and read through once to check it.
 *
 * The copies are written into `<targetDir>.partial` and renamed when all are complete and on disk, so a
 * backup directory is either whole or absent. Starting the platform with `--data-dir <targetDir>` restores it.
 */
export async function backupSqliteTogether(
  sources: readonly SqliteBackupSource[],
  targetDir: string,
): Promise<BackedUpFile[]> {
  if (await exists(targetDir)) throw new Error(`backup target ${targetDir} already exists`);
  const partial = `${targetDir}.partial`;
  await rm(partial, { recursive: true, force: true });
  makeDirectory(partial);
  const readers: Array<{ source: SqliteBackupSource; connection: Database.Database }> = [];
  try {
    for (const source of sources) {
      readers.push({
        source,
        connection: new Database(source.file, { readonly: true, fileMustExist: true }),
      });
    }
    // The one instant: nothing awaits between the first snapshot and the last.
    for (const { connection } of readers) {
      connection.exec('BEGIN');
      // A WAL read transaction takes its snapshot at its first read.
      connection.prepare('SELECT count(*) FROM sqlite_schema').get();
    }
    const copied: BackedUpFile[] = [];
    for (const { source, connection } of readers) {
      const file = basename(source.file);
      const destination = join(partial, file);
      await connection.backup(destination, { progress: () => PAGES_PER_STEP });
      await checkCopy(destination);
      await syncFile(destination);
      copied.push({ name: source.name, file, bytes: (await stat(destination)).size });
    }
    await rename(partial, targetDir);
    await syncFile(join(targetDir, '..'));
    return copied;
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  } finally {
    for (const { connection } of readers) connection.close();
  }
}

/** Runs `PRAGMA quick_check` on one file and answers the lines that are not `ok`. */
const CHECK_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let found;
let copy;
try {
  copy = new Database(workerData.file, { readonly: true, fileMustExist: true });
  found = copy.pragma('quick_check').map((row) => row.quick_check).filter((line) => line !== 'ok');
} catch (error) {
  found = [String((error && error.message) || error)];
} finally {
  copy?.close();
}
parentPort.postMessage(found);
`;

/**
 * Reads the copy through once (`PRAGMA quick_check`: every page, index and record format) before it counts: a
 * backup nobody could restore is found now, not on the day it is needed. On a worker thread: reading a large
 * database through takes seconds the event loop owes to the sales still coming in. Damage bad enough to stop
 * the check itself (SQLITE_CORRUPT) is a failed check too.
 */
async function checkCopy(file: string): Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECK_SOURCE, { eval: true, workerData: { driver, file } });
  try {
    const found = await new Promise<string[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if (found.length > 0)
      throw new Error(`the copy ${file} fails its check: ${found.slice(0, 5).join('; ')}`);
  } finally {
    await worker.terminate();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** fsync of a file, or of a directory so that a rename in it survives a power cut. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
