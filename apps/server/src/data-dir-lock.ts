import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeDirectory } from '@tillstream/kernel';

/** Held for the life of the process: the operating system lets go of it when the process ends, however. */
let held: Database.Database | null = null;

/**
 * Makes this process the only server of the data dir, or says which process is. Two servers on one data dir
 * would each relay and consume the same logs, and the adapter's group commits, checkpoints and backups assume
 * one writer per file. The lock is SQLite's own on `tillstream.lock` (an exclusive transaction never
 * committed): the kernel releases it when the process exits, even on SIGKILL, so no stale lock is ever left.
 * Commands that run beside a server (`keys`, `dlq`, `migrate`) do not take it. Returns the pid of the process
 * that holds it instead, when another does.
 */
export function claimDataDir(dataDir: string): { heldBy: string } | null {
  makeDirectory(dataDir);
  const pidFile = join(dataDir, 'tillstream.pid');
  // No busy wait: a second server should be told at once, not after a timeout.
  const lock = new Database(join(dataDir, 'tillstream.lock'), { timeout: 0 });
  try {
    // Nothing is ever written to it: no journal file to leave behind beside the lock.
    lock.pragma('journal_mode = MEMORY');
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    const heldBy = (() => {
      try {
        return readFileSync(pidFile, 'utf8').trim() || 'unknown';
      } catch {
        return 'unknown';
      }
    })();
    return { heldBy };
  }
  held = lock;
  // For the message a second server prints; the lock, not this file, is what counts.
  writeFileSync(pidFile, `${process.pid}\n`);
  return null;
}

/** Lets go of the data dir (tests, and a process that goes on after its server stopped). */
export function releaseDataDir(): void {
  held?.close();
  held = null;
}
