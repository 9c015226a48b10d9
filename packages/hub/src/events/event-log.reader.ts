import { conflict, type Db } from '@tillstream/kernel';
import { typeCondition } from './event-patterns.js';
import { assertCursorRetained } from './event-log.retention.js';

export interface LogEntry {
  position: number;
  envelope: string;
}

export interface LogPage {
  entries: LogEntry[];
  /** Where the next read starts: past every event looked at, matching or not. */
  next: number;
}

export async function logHead(db: Db): Promise<number> {
  const [row] = await db.query<{ head: number | string | null }>('SELECT MAX(position) AS head FROM events');
  return Number(row?.head ?? 0);
}

/**
 * Refuses a cursor beyond the log's newest event: no read of this log handed it out (every `next` is at most
 * the head it read), so it is forged or from another log, such as one this was restored over from a backup.
 * Taken, it would wait, silently, for positions the reader has already been given, and skip every event
 * up to it.
 */
export function assertCursorNotAhead(after: number, head: number): void {
  if (after > head)
    throw conflict('cursor_ahead', `Position ${after} is beyond the newest event in the hub log (${head})`, {
      headCursor: String(head),
    });
}

/**
 * Reads the hub log after a cursor, only the types the patterns match. The head is read first and bounds the
 * query, so when fewer than `limit` events match, the cursor can jump to the head without passing an event
 * that committed meanwhile (positions commit in order: the index writer holds a lock to commit).
 */
export async function readLog(
  db: Db,
  query: { after: number; limit: number; patterns: readonly string[] },
): Promise<LogPage> {
  const page = await readAfter(db, query);
  // Checked after reading: had pruning passed the cursor before the read, its horizon is visible by now.
  await assertCursorRetained(db, query.after);
  return page;
}

async function readAfter(
  db: Db,
  query: { after: number; limit: number; patterns: readonly string[] },
): Promise<LogPage> {
  const head = await logHead(db);
  assertCursorNotAhead(query.after, head);
  if (head === query.after) return { entries: [], next: query.after };
  const filter = typeCondition(query.patterns, 4);
  const rows = await db.query<{ position: number | string; envelope: string }>(
    `SELECT position, envelope FROM events WHERE position > $1 AND position <= $2 AND ${filter.sql}
     ORDER BY position LIMIT $3`,
    [query.after, head, query.limit, ...filter.params],
  );
  const entries = rows.map((row) => ({ position: Number(row.position), envelope: row.envelope }));
  const last = entries[entries.length - 1];
  return { entries, next: entries.length === query.limit && last ? last.position : head };
}
