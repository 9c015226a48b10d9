import Database from 'better-sqlite3';
import type { QueueStatus, QueuedTransaction, Settlement, TerminalStorage } from './storage.port.js';

interface Row {
  id: string;
  body: string;
  status: QueueStatus;
  attempts: number;
  created_at: string;
  synced_at: string | null;
  error: string | null;
}

const toEntry = (row: Row): QueuedTransaction => ({
  id: row.id,
  transaction: JSON.parse(row.body) as QueuedTransaction['transaction'],
  status: row.status,
  attempts: row.attempts,
  createdAt: row.created_at,
  ...(row.synced_at ? { syncedAt: row.synced_at } : {}),
  ...(row.error ? { error: JSON.parse(row.error) as { code: string; detail: string } } : {}),
});

/**
 * The terminal's store in one SQLite file (Node terminals, kiosks, tests). WAL with synchronous=FULL: a commit
 * that returned is on disk, so a sale confirmed before a crash or power cut is still queued after it.
 */
export function sqliteStorage(file: string): TerminalStorage {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS queue (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      body TEXT NOT NULL,
      status TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      synced_at TEXT,
      error TEXT
    );
    CREATE INDEX IF NOT EXISTS queue_status ON queue (status, seq);
    CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
  const append = db.prepare(
    `INSERT INTO queue (id, type, body, status, attempts, created_at, synced_at, error)
     VALUES (@id, @type, @body, @status, @attempts, @createdAt, @syncedAt, @error)`,
  );
  const setState = db.prepare(
    'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const update = db.prepare(
    'UPDATE queue SET status = @status, attempts = @attempts, synced_at = @syncedAt, error = @error WHERE id = @id',
  );
  const commit = db.transaction((change: Parameters<TerminalStorage['commit']>[0]) => {
    for (const entry of change.append ?? []) {
      append.run({
        id: entry.id,
        type: entry.transaction.type,
        body: JSON.stringify(entry.transaction),
        status: entry.status,
        attempts: entry.attempts,
        createdAt: entry.createdAt,
        syncedAt: entry.syncedAt ?? null,
        error: entry.error ? JSON.stringify(entry.error) : null,
      });
    }
    for (const [key, value] of Object.entries(change.state ?? {})) setState.run(key, JSON.stringify(value));
  });
  const settle = db.transaction((settlements: readonly Settlement[]) => {
    for (const settlement of settlements) {
      update.run({
        id: settlement.id,
        status: settlement.status,
        attempts: settlement.attempts,
        syncedAt: settlement.syncedAt ?? null,
        error: settlement.error ? JSON.stringify(settlement.error) : null,
      });
    }
  });

  return {
    async commit(change) {
      commit(change);
    },
    async pending(limit) {
      const rows = db
        .prepare("SELECT * FROM queue WHERE status = 'pending' ORDER BY seq LIMIT ?")
        .all(limit) as Row[];
      return rows.map(toEntry);
    },
    async settle(settlements) {
      settle(settlements);
    },
    async counts() {
      const counts: Record<QueueStatus, number> = { pending: 0, synced: 0, quarantined: 0 };
      const rows = db.prepare('SELECT status, COUNT(*) AS n FROM queue GROUP BY status').all() as Array<{
        status: QueueStatus;
        n: number;
      }>;
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },
    async recent(limit, status) {
      const rows = (
        status === undefined
          ? db.prepare('SELECT * FROM queue ORDER BY seq DESC LIMIT ?').all(limit)
          : db.prepare('SELECT * FROM queue WHERE status = ? ORDER BY seq DESC LIMIT ?').all(status, limit)
      ) as Row[];
      return rows.map(toEntry);
    },
    async find(id) {
      const row = db.prepare('SELECT * FROM queue WHERE id = ?').get(id) as Row | undefined;
      return row ? toEntry(row) : null;
    },
    async get<T>(key: string) {
      const row = db.prepare('SELECT value FROM state WHERE key = ?').get(key) as
        { value: string } | undefined;
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async close() {
      db.close();
    },
  };
}
