import {
  asNumber,
  placeholderRows,
  placeholders,
  type Clock,
  type Db,
  type SqlValue,
  type Tx,
} from '@tillstream/kernel';
import { ACCOUNTS, type AccountCode } from './accounts.js';
import type { EntryKind, JournalEntry, JournalLine, TaxBase } from './journal.decide.js';
import type { OrderBooked } from './online-documents.decide.js';

export type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/** Where a page of the journal ends: the entry's transaction id (0 on SQLite) and its number. */
export interface JournalCursor {
  xid: string;
  entryNo: number;
}

export interface PostedEntry extends JournalEntry {
  entryNo: number;
  cursor: JournalCursor;
  eventId: string;
  postedAt: string;
}

export interface JournalFilter {
  after: JournalCursor;
  limit: number;
  kind?: EntryKind;
  locationId?: string;
  sourceId?: string;
  from?: string;
  to?: string;
}

export interface PeriodFilter {
  locationId?: string;
  channel?: string;
  from?: string;
  to?: string;
}

interface EntryRow {
  entry_no: number | string;
  xid: string | number;
  kind: EntryKind;
  source_id: string;
  location_id: string | null;
  channel: string;
  occurred_at: string;
  currency: string;
  event_id: string;
  posted_at: string;
}

export interface BaseRow {
  rate_ppm: unknown;
  net: unknown;
  tax: unknown;
}

export const taxBaseOf = (row: BaseRow): TaxBase => ({
  ratePpm: row.rate_ppm === null ? null : asNumber(row.rate_ppm),
  net: asNumber(row.net),
  tax: asNumber(row.tax),
});

/** Entries per statement of `postAll`: their lines stay well within every engine's limit of parameters. */
const POST_CHUNK = 200;

const ENTRY_COLUMNS = '(kind, source_id, location_id, channel, occurred_at, currency, event_id, posted_at)';

/** An entry's values in the order of ENTRY_COLUMNS. */
const entryRow = (entry: JournalEntry, eventId: string, postedAt: string): SqlValue[] => [
  entry.kind,
  entry.sourceId,
  entry.locationId,
  entry.channel,
  // Stored in UTC, so that periods compare as text whatever offset the document was written with.
  new Date(entry.occurredAt).toISOString(),
  entry.currency,
  eventId,
  postedAt,
];

/** The lines and tax bases of entries just numbered: one statement for all lines, one for all bases. */
async function writeDetails(
  tx: Tx,
  numbered: ReadonlyArray<{ entryNo: number; entry: JournalEntry }>,
): Promise<void> {
  const lines = numbered.flatMap(({ entryNo, entry }) =>
    entry.lines.map((line, index) => [entryNo, index + 1, line.account, line.debit, line.credit]),
  );
  const bases = numbered.flatMap(({ entryNo, entry }) =>
    entry.taxBases.map((base, index) => [entryNo, index + 1, base.ratePpm, base.net, base.tax]),
  );
  if (lines.length > 0)
    await tx.execute(
      `INSERT INTO journal_lines (entry_no, line_no, account, debit, credit)
       VALUES ${placeholderRows(lines.length, 5)}`,
      lines.flat(),
    );
  if (bases.length > 0)
    await tx.execute(
      `INSERT INTO journal_tax_bases (entry_no, base_no, rate_ppm, net, tax)
       VALUES ${placeholderRows(bases.length, 5)}`,
      bases.flat(),
    );
}

/** Rows of a page's entries gathered per entry number, in the order read. */
function byEntry<Row extends { entry_no: unknown }, Item>(
  rows: readonly Row[],
  itemOf: (row: Row) => Item,
): Map<number, Item[]> {
  const grouped = new Map<number, Item[]>();
  for (const row of rows) {
    const entryNo = asNumber(row.entry_no);
    const items = grouped.get(entryNo);
    if (items) items.push(itemOf(row));
    else grouped.set(entryNo, [itemOf(row)]);
  }
  return grouped;
}

/** `occurred_at` bounds, a location and a channel, as SQL conditions on `journal_entries e`, numbered from `from`. */
export function periodConditions(
  filter: PeriodFilter,
  from: number,
): { where: string[]; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (condition: string, value: SqlValue) => {
    params.push(value);
    where.push(condition.replace('?', `$${from + params.length - 1}`));
  };
  if (filter.locationId !== undefined) add('e.location_id = ?', filter.locationId);
  if (filter.channel !== undefined) add('e.channel = ?', filter.channel);
  if (filter.from !== undefined) add('e.occurred_at >= ?', filter.from);
  if (filter.to !== undefined) add('e.occurred_at < ?', filter.to);
  return { where, params };
}

/** The journal's rows: entries unique by source document, each written whole with its lines. */
export function createJournalStore(deps: { clock: Clock }) {
  return {
    /** Writes an entry and its lines; false when its source document was posted before (a redelivery). */
    async post(tx: Tx, entry: JournalEntry, eventId: string): Promise<boolean> {
      const entryNo = await tx.insert(
        `INSERT INTO journal_entries ${ENTRY_COLUMNS} VALUES ${placeholderRows(1, 8)} ON CONFLICT DO NOTHING`,
        entryRow(entry, eventId, deps.clock.now().toISOString()),
        'entry_no',
      );
      if (entryNo === null) return false;
      await writeDetails(tx, [{ entryNo, entry }]);
      return true;
    },

    /**
     * Writes many entries in a few statements: a consumer that posts an entry per stock movement writes a batch
     * of them at once, where two statements per entry cost a measurable share of ERP's one thread. Entries
     * posted before (same kind and source) are skipped, as `post` skips them; the entries it wrote are
     * answered, so what follows from an entry being booked happens once, with it.
     */
    async postAll(
      tx: Tx,
      posts: ReadonlyArray<{ entry: JournalEntry; eventId: string }>,
    ): Promise<JournalEntry[]> {
      const postedAt = deps.clock.now().toISOString();
      const written: JournalEntry[] = [];
      for (let from = 0; from < posts.length; from += POST_CHUNK) {
        const chunk = posts.slice(from, from + POST_CHUNK);
        const inserted = await tx.query<{ entry_no: unknown; kind: string; source_id: string }>(
          `INSERT INTO journal_entries ${ENTRY_COLUMNS} VALUES ${placeholderRows(chunk.length, 8)}
           ON CONFLICT DO NOTHING RETURNING entry_no, kind, source_id`,
          chunk.flatMap(({ entry, eventId }) => entryRow(entry, eventId, postedAt)),
        );
        const entryNoOf = new Map(
          inserted.map((row) => [`${row.kind}/${row.source_id}`, asNumber(row.entry_no)]),
        );
        const numbered = chunk.flatMap(({ entry }) => {
          const entryNo = entryNoOf.get(`${entry.kind}/${entry.sourceId}`);
          return entryNo === undefined ? [] : [{ entryNo, entry }];
        });
        await writeDetails(tx, numbered);
        written.push(...numbered.map(({ entry }) => entry));
      }
      return written;
    },

    /** What an online order's entry booked, for refunding its tax in proportion; null if it was never posted. */
    async orderBooked(tx: Tx, orderId: string): Promise<OrderBooked | null> {
      const [row] = await tx.query<{ channel: string; total: unknown; tax: unknown }>(
        `SELECT e.channel,
           SUM(CASE WHEN l.account = $2 THEN l.debit - l.credit ELSE 0 END) AS total,
           SUM(CASE WHEN l.account = $3 THEN l.credit - l.debit ELSE 0 END) AS tax
         FROM journal_entries e JOIN journal_lines l ON l.entry_no = e.entry_no
         WHERE e.kind = 'online_order' AND e.source_id = $1
         GROUP BY e.channel`,
        [orderId, ACCOUNTS.providerReceivable.code, ACCOUNTS.salesTax.code],
      );
      if (!row) return null;
      const bases = await tx.query<BaseRow>(
        `SELECT b.rate_ppm, b.net, b.tax FROM journal_entries e
         JOIN journal_tax_bases b ON b.entry_no = e.entry_no
         WHERE e.kind = 'online_order' AND e.source_id = $1 ORDER BY b.base_no`,
        [orderId],
      );
      return {
        channel: row.channel,
        total: asNumber(row.total),
        tax: asNumber(row.tax),
        taxBases: bases.map(taxBaseOf),
      };
    },

    /**
     * Entries after the cursor, with their lines, in an order no later commit can fall behind: entry number on
     * SQLite (one writer), and on PostgreSQL (transaction id, entry number) over finished transactions only.
     */
    async list(reader: Pick<Tx, 'query' | 'dialect'>, filter: JournalFilter): Promise<PostedEntry[]> {
      const postgres = reader.dialect === 'postgres';
      const first = postgres ? 4 : 3;
      const { where, params } = periodConditions(filter, first);
      if (filter.kind !== undefined) {
        params.push(filter.kind);
        where.push(`e.kind = $${params.length + first - 1}`);
      }
      if (filter.sourceId !== undefined) {
        params.push(filter.sourceId);
        where.push(`e.source_id = $${params.length + first - 1}`);
      }
      const filters = where.map((condition) => `AND ${condition}`).join(' ');
      const entries = postgres
        ? await reader.query<EntryRow>(
            `SELECT e.*, e.posted_xid::text AS xid FROM journal_entries e
             WHERE (e.posted_xid, e.entry_no) > ($1::xid8, $2::bigint)
               AND e.posted_xid < pg_snapshot_xmin(pg_current_snapshot()) ${filters}
             ORDER BY e.posted_xid, e.entry_no LIMIT $3`,
            [filter.after.xid, filter.after.entryNo, filter.limit, ...params],
          )
        : await reader.query<EntryRow>(
            `SELECT e.*, 0 AS xid FROM journal_entries e WHERE e.entry_no > $1 ${filters}
             ORDER BY e.entry_no LIMIT $2`,
            [filter.after.entryNo, filter.limit, ...params],
          );
      if (entries.length === 0) return [];
      const entryNos = entries.map((row) => asNumber(row.entry_no));
      const lines = byEntry(
        await reader.query<{ entry_no: unknown; account: AccountCode; debit: unknown; credit: unknown }>(
          `SELECT entry_no, account, debit, credit FROM journal_lines
           WHERE entry_no IN (${placeholders(entryNos.length)}) ORDER BY entry_no, line_no`,
          entryNos,
        ),
        (line): JournalLine => ({
          account: line.account,
          debit: asNumber(line.debit),
          credit: asNumber(line.credit),
        }),
      );
      const bases = byEntry(
        await reader.query<BaseRow & { entry_no: unknown }>(
          `SELECT entry_no, rate_ppm, net, tax FROM journal_tax_bases
           WHERE entry_no IN (${placeholders(entryNos.length)}) ORDER BY entry_no, base_no`,
          entryNos,
        ),
        taxBaseOf,
      );
      return entries.map((row) => {
        const entryNo = asNumber(row.entry_no);
        return {
          entryNo,
          cursor: { xid: String(row.xid), entryNo },
          kind: row.kind,
          sourceId: row.source_id,
          locationId: row.location_id,
          channel: row.channel,
          occurredAt: row.occurred_at,
          currency: row.currency,
          eventId: row.event_id,
          postedAt: row.posted_at,
          lines: lines.get(entryNo) ?? [],
          taxBases: bases.get(entryNo) ?? [],
        };
      });
    },
  };
}

export type JournalStore = ReturnType<typeof createJournalStore>;
