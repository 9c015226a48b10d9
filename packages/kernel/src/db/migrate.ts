import type { Db, Migration } from './port.js';

/**
 * Applies the migrations not yet recorded, in id order, in one transaction. On PostgreSQL an advisory lock
 * makes concurrent starts of several instances safe: the second waits, then finds nothing left to do.
 */
export async function runMigrations(db: Db, migrations: readonly Migration[]): Promise<string[]> {
  const ordered = [...migrations].sort((a, b) => a.id.localeCompare(b.id));
  const ids = new Set<string>();
  for (const migration of ordered) {
    if (ids.has(migration.id)) throw new Error(`duplicate migration id ${migration.id} in ${db.context}`);
    ids.add(migration.id);
  }
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tillstream_migrate_${db.context}`]);
    }
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      (await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).map((row) => row.id),
    );
    const pending = ordered.filter((migration) => !applied.has(migration.id));
    for (const migration of pending) {
      await tx.exec(typeof migration.up === 'string' ? migration.up : migration.up[tx.dialect]);
      await tx.execute('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [
        migration.id,
        new Date().toISOString(),
      ]);
    }
    return pending.map((migration) => migration.id);
  });
}
