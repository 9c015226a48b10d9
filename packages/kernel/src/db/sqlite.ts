import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { Db, SqlValue, Tx } from './port.js';
import { Mutex } from './mutex.js';

/** `$1` placeholders become named `@p1` parameters, which better-sqlite3 binds from an object. */
function toSqliteSql(sql: string): string {
  return sql.replace(/\$(\d+)/g, '@p$1');
}

function toSqliteParams(params: readonly SqlValue[]): Record<string, string | number | null> {
  const bound: Record<string, string | number | null> = {};
  params.forEach((value, index) => {
    bound[`p${index + 1}`] =
      value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value;
  });
  return bound;
}

class StatementCache {
  private readonly statements = new Map<string, Statement>();
  constructor(private readonly connection: Database.Database) {}

  get(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.connection.prepare(toSqliteSql(sql));
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

export interface SqliteOptions {
  /** File path; one file per context in the data dir. */
  file: string;
  context: string;
}

/**
 * SQLite adapter: WAL with synchronous=FULL so an acknowledged commit survives a crash or power loss, one
 * writer connection behind a mutex (transactions are async at the port), and a separate reader connection so
 * reads outside a transaction never see another transaction's uncommitted rows.
 */
export function openSqlite(options: SqliteOptions): Db {
  const writer = new Database(options.file);
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  writer.pragma('busy_timeout = 5000');
  writer.pragma('foreign_keys = ON');
  const reader = new Database(options.file, { readonly: false });
  reader.pragma('busy_timeout = 5000');
  reader.pragma('query_only = ON');
  const writes = new StatementCache(writer);
  const reads = new StatementCache(reader);
  const mutex = new Mutex();
  const outboxListeners: Array<() => void> = [];
  let closed = false;

  const runQuery = <Row>(cache: StatementCache, sql: string, params: readonly SqlValue[] = []): Row[] => {
    const statement = cache.get(sql);
    const bound = toSqliteParams(params);
    if (statement.reader) return statement.all(bound) as Row[];
    statement.run(bound);
    return [];
  };

  return {
    dialect: 'sqlite',
    context: options.context,
    async transaction(fn) {
      return mutex.run(async () => {
        if (closed) throw new Error(`database ${options.context} is closed`);
        let wroteOutbox = false;
        const tx: Tx = {
          dialect: 'sqlite',
          query: async (sql, params) => runQuery(writes, sql, params),
          execute: async (sql, params = []) => writes.get(sql).run(toSqliteParams(params)).changes,
          exec: async (script) => {
            writer.exec(script);
          },
          outboxWritten: () => {
            wroteOutbox = true;
          },
        };
        writer.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(tx);
          writer.exec('COMMIT');
          if (wroteOutbox) for (const listener of outboxListeners) listener();
          return result;
        } catch (error) {
          if (writer.inTransaction) writer.exec('ROLLBACK');
          throw error;
        }
      });
    },
    async query(sql, params) {
      return runQuery(reads, sql, params);
    },
    onOutboxCommit(listener) {
      outboxListeners.push(listener);
    },
    async close() {
      await mutex.run(async () => {
        if (closed) return;
        closed = true;
        reader.close();
        writer.close();
      });
    },
  };
}
