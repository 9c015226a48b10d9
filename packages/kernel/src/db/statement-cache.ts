import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { SqlValue } from './port.js';

type SqliteParam = string | number | null;

/**
 * A statement prepared from port SQL: its `$n` placeholders become anonymous `?` ones, bound from an array in
 * the order they appear. Named parameters (`@p1`, bound from an object) cost about a microsecond more per
 * statement: building the object's keys, and the driver looking each one up by name.
 */
export class Prepared {
  /** For each `?` in order, the index of the value it takes: `$2 … $1 … $2` is [1, 0, 1]. */
  private readonly order: number[] = [];
  /** How many values the SQL uses: its highest `$n`. */
  private readonly needed: number;
  private readonly statement: Statement;

  constructor(connection: Database.Database, sql: string) {
    const text = sql.replace(/\$(\d+)/g, (_match, digits: string) => {
      this.order.push(Number(digits) - 1);
      return '?';
    });
    this.needed = this.order.reduce((highest, index) => Math.max(highest, index + 1), 0);
    this.statement = connection.prepare(text);
  }

  /** What it costs to keep: its placeholders (at least one for the statement itself). */
  get weight(): number {
    return Math.max(1, this.order.length);
  }

  /** Whether the statement changes nothing in the database. */
  get readonly(): boolean {
    return this.statement.readonly;
  }

  /** Whether the statement returns rows (a SELECT, or anything with RETURNING). */
  get reader(): boolean {
    return this.statement.reader;
  }

  run(params: readonly SqlValue[] = []): Database.RunResult {
    return this.statement.run(this.bind(params));
  }

  all<Row>(params: readonly SqlValue[] = []): Row[] {
    return this.statement.all(this.bind(params)) as Row[];
  }

  private bind(params: readonly SqlValue[]): SqliteParam[] {
    if (params.length < this.needed) {
      throw new RangeError(`SQL uses $${this.needed} but ${params.length} values were given`);
    }
    const bound = new Array<SqliteParam>(this.order.length);
    for (let position = 0; position < this.order.length; position += 1) {
      bound[position] = toSqliteParam(params[this.order[position]!]);
    }
    return bound;
  }
}

function toSqliteParam(value: SqlValue): SqliteParam {
  return value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/**
 * Placeholders' worth of large prepared statements one connection keeps. SQLite holds about 100 bytes per
 * placeholder of a prepared statement, so this bounds them near 10 MB a connection, room for the few batch
 * sizes a steady load settles on, so that those are not prepared again and again. Multi-row statements differ
 * by their row count (`VALUES ($1…), ($9…)`): without a bound every count ever used stayed prepared, 16 MB for
 * one eight-column insert of 1 to 200 rows, growing with uptime and with how batches happen to fall.
 */
const CACHED_PLACEHOLDERS = 100_000;

/** Statements with more placeholders than this are large: multi-row ones. The rest are few, and always kept. */
const LARGE = 32;

/**
 * Prepared statements by SQL text. The small ones (the hot path's) are kept for the process's life, as
 * before; large ones are let go oldest first once they hold more placeholders than the budget, and prepared
 * again if they come back, which their many rows pay for. A hit costs one Map lookup, nothing more: no
 * reordering on the path every query takes. A statement let go is freed by the driver once unreachable.
 */
export class StatementCache {
  private readonly statements = new Map<string, Prepared>();
  /** The large statements kept, oldest first (a Map iterates in insertion order), and their placeholders. */
  private readonly large = new Map<string, number>();
  private held = 0;

  constructor(
    private readonly connection: Database.Database,
    private readonly budget = CACHED_PLACEHOLDERS,
  ) {}

  get(sql: string): Prepared {
    const cached = this.statements.get(sql);
    if (cached) return cached;
    const prepared = new Prepared(this.connection, sql);
    this.statements.set(sql, prepared);
    if (prepared.weight > LARGE) {
      this.large.set(sql, prepared.weight);
      this.held += prepared.weight;
      for (const [oldest, weight] of this.large) {
        if (this.held <= this.budget || oldest === sql) break;
        this.large.delete(oldest);
        this.statements.delete(oldest);
        this.held -= weight;
      }
    }
    return prepared;
  }

  /** How many statements it holds, and the large ones' placeholders (for tests and diagnostics). */
  get size(): { statements: number; placeholders: number } {
    return { statements: this.statements.size, placeholders: this.held };
  }
}
