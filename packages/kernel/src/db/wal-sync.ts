import { fstatSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Makes a SQLite database's committed WAL frames durable without blocking the event loop.
 *
 * With `synchronous = FULL`, better-sqlite3 fsyncs the WAL inside COMMIT, on the event-loop thread: a third
 * of the embedded engine's time under load went to waiting for the disk there, while HTTP parsing and the
 * other contexts' work stood still. With `synchronous = NORMAL` SQLite skips that fsync (it still syncs
 * around checkpoints), and this calls fdatasync on the WAL file on libuv's thread pool instead. An fsync
 * through any descriptor flushes every dirty page of the file, so once it returns, every frame written
 * before it was called is on disk. The adapter answers no caller, wakes no consumer and serves no read of a
 * commit until this has covered it, so the guarantee is the same as FULL's.
 */
export class WalSync {
  private handle: FileHandle | null = null;

  constructor(private readonly walFile: string) {}

  /** Flushes what SQLite has written to the WAL so far. The file exists once a commit has gone through. */
  async sync(): Promise<void> {
    this.handle ??= await open(this.walFile, 'r+');
    await this.handle.datasync();
  }

  /** The WAL file's size in bytes (0 before the first sync): one fstat, no I/O. */
  size(): number {
    return this.handle ? fstatSync(this.handle.fd).size : 0;
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }
}
