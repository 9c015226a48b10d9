import type { Db } from '../db/port.js';

/**
 * Caps a SQLite database near its size now, as a full disk would: past a couple of pages more, SQLite answers
 * SQLITE_FULL, exactly as it does when the file system has no room. The cap holds on the adapter's writer
 * connection, where every transaction runs, until `freeTheDisk`.
 */
export async function fillTheDisk(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    const [size] = await tx.query<{ pages: number }>('SELECT page_count AS pages FROM pragma_page_count()');
    await tx.exec(`PRAGMA max_page_count = ${size!.pages + 2}`);
  });
}

/** Lifts `fillTheDisk`'s cap (to SQLite's own largest). */
export async function freeTheDisk(db: Db): Promise<void> {
  await db.transaction((tx) => tx.exec('PRAGMA max_page_count = 4294967294'));
}
