import type { CloudEvent } from '@tillstream/contracts';
import type { Db, OutboxRow } from '../db/port.js';
import type { LogItem } from './apply.js';

/** Reads one context's outbox after a position: on the embedded engine that table is the log. */
async function readLog(db: Db, after: number, limit: number): Promise<LogItem[]> {
  const rows = await db.query<{ position: number; envelope: string }>(
    'SELECT position, envelope FROM outbox WHERE position > $1 ORDER BY position LIMIT $2',
    [after, limit],
  );
  return rows.map(toItem);
}

function toItem(row: { position: number | string; envelope: string }): LogItem {
  return new TailItem(Number(row.position), row.envelope);
}

/**
 * A row of the log, parsed when a consumer first looks at it and then shared. Under a burst the slower
 * consumers fall behind the window and read the table again later; rows trimmed before anyone read them were
 * parsed for nothing (6 % of the CPU while POS sync took sales in).
 */
class TailItem implements LogItem {
  private parsed: CloudEvent | undefined;
  constructor(
    readonly position: number,
    private envelope: string,
  ) {}

  get event(): CloudEvent {
    if (this.parsed === undefined) {
      this.parsed = deepFreeze(JSON.parse(this.envelope) as CloudEvent);
      this.envelope = '';
    }
    return this.parsed;
  }
}

/**
 * Events are facts shared by every consumer of the source: none may change what the others see. Walked with
 * for…in rather than Object.values, which made an array per object: half the cost, next to the parse itself.
 */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    if (Array.isArray(value)) for (const member of value) deepFreeze(member);
    else for (const key in value) deepFreeze(value[key]);
    Object.freeze(value);
  }
  return value;
}

/**
 * One context's outbox as its embedded consumers read it. A source has several (ERP's stock, the storefront,
 * the hub's index, POS's directory…), each with its own position; this keeps the rows read last, parsed, so
 * that a row is read and parsed once rather than once per consumer. The kept window is always a gapless run
 * of the log: every row with a position in (start, end]. The writer appends rows in position order and a
 * read sees whole commits, so reading on after `end` keeps it gapless. A consumer behind the window (after a
 * restart, or one far slower than the rest) reads the table directly.
 *
 * The log's one writer also hands over each commit's rows as it appended them (`committed`), so consumers
 * that keep up take new events from memory: once a read has reached the head of the log and every commit
 * since has been handed over without a gap, the window is the whole log after `start`, and the table is read
 * again only after a commit that could not be taken (rows not named, or not continuing the window).
 */
export class SourceTail {
  private window: LogItem[] = [];
  private start = -1;
  private end = -1;
  /** True while the window is known to hold every committed row after `start`. */
  private atHead = false;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Db,
    /** Rows kept: several batches, so consumers a little apart still share them (up to a quarter more). */
    private readonly keep: number,
  ) {
    db.onOutboxCommit((rows) => this.committed(rows));
  }

  /** Up to `limit` events after `after`, in log order. Reads take turns, so the window is extended once. */
  read(after: number, limit: number): Promise<LogItem[]> {
    const result = this.turn.then(() => this.readInTurn(after, limit));
    this.turn = result.catch(() => undefined);
    return result;
  }

  private async readInTurn(after: number, limit: number): Promise<LogItem[]> {
    if (this.start < 0 || after < this.start || after > this.end) {
      const items = await readLog(this.db, after, limit);
      // Start the window here unless this is a straggler behind it.
      if (this.start < 0 || after > this.end) {
        this.restart(after, items);
        this.atHead = items.length < limit;
      }
      return items;
    }
    const first = this.firstAfter(after);
    const kept = this.window.slice(first, first + limit);
    if (kept.length === limit || this.atHead) return kept;
    // Taken before append trims the window, which may drop rows this reader still needs.
    const more = await readLog(this.db, this.end, limit);
    this.append(more);
    // The read saw every commit handed over before it ran; later ones are handed over after it.
    if (more.length < limit) this.atHead = true;
    return [...kept, ...more].slice(0, limit);
  }

  /**
   * A commit to the log, durable, with the rows it appended in position order (null when the writer did not
   * name them). Kept only when they continue the window with no gap: then they are exactly the rows after
   * `end`, and a read would return the same. Anything else leaves the next read to the table.
   */
  private committed(rows: readonly OutboxRow[] | null): void {
    const continues =
      rows !== null && this.start >= 0 && rows.every((row, index) => row.position === this.end + 1 + index);
    if (!continues) {
      this.atHead = false;
      return;
    }
    this.append(rows.map(toItem));
  }

  private restart(after: number, items: LogItem[]): void {
    this.window = [];
    this.start = after;
    this.end = after;
    this.append(items);
  }

  /** Appends what lies past `end`: a read that began before an offer may return rows the offer brought. */
  private append(items: readonly LogItem[]): void {
    const last = items[items.length - 1];
    if (!last || last.position <= this.end) return;
    const fresh = items[0]!.position > this.end ? items : items.filter((item) => item.position > this.end);
    this.window.push(...fresh);
    this.end = last.position;
    // Trimmed in steps of a quarter of `keep`, not on every append: dropping the oldest rows shifts every
    // kept one, and doing so after each commit of a row or two was 4 % of the CPU under POS sync.
    if (this.window.length <= this.keep + (this.keep >> 2)) return;
    const excess = this.window.length - this.keep;
    this.start = this.window[excess - 1]!.position;
    this.window.splice(0, excess);
  }

  /** Index of the first kept item with a position above `after` (binary search: positions ascend). */
  private firstAfter(after: number): number {
    let low = 0;
    let high = this.window.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.window[middle]!.position <= after) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
