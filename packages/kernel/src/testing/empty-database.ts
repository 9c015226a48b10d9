import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/port.js';
import { openSqlite } from '../db/sqlite.js';
import { openPostgres } from '../db/postgres.js';
import type { HarnessDialect } from './context-harness.js';

export interface EmptyDatabase {
  db: Db;
  /** Closes the database and removes it: the SQLite file's directory, or the PostgreSQL schema. */
  drop(): Promise<void>;
}

/**
 * An empty database for a context, with nothing migrated: a SQLite file of its own, or a PostgreSQL schema of
 * its own. Migration tests apply a context's older migrations, write rows as they were, then the newer ones.
 */
export async function openEmptyDatabase(
  dialect: HarnessDialect,
  context: string,
  pgUrl: string | undefined,
): Promise<EmptyDatabase> {
  if (dialect === 'postgres') {
    const schema = `${context}_migrate_${randomBytes(4).toString('hex')}`;
    const db = await openPostgres({ url: pgUrl!, context: schema, poolSize: 2 });
    return {
      db,
      async drop() {
        await db.transaction((tx) => tx.exec(`DROP SCHEMA "${schema}" CASCADE`));
        await db.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `tillstream-${context}-migrate-`));
  const db = openSqlite({ file: join(dir, `${context}.sqlite`), context });
  return {
    db,
    async drop() {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
