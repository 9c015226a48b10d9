import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db, Migration } from '../db/port.js';
import type { Clock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import type { Principal, Scope } from './scopes.js';
import { sha256Hex } from '../fingerprint.js';

export const authMigrations: Migration[] = [
  {
    id: '001_api_keys',
    up: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_hash TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        terminal_id TEXT,
        store_id TEXT,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );`,
  },
];

/**
 * Keys are 192 random bits, so a fast SHA-256 is the right hash (as for GitHub or Stripe tokens): there is no
 * password to brute-force, and verification must stay cheap on every request. Only the hash is stored.
 */
export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

export function generateApiKey(): string {
  return `tsk_${randomBytes(24).toString('base64url')}`;
}

export interface NewApiKey {
  name: string;
  scopes: readonly Scope[];
  terminalId?: string | null;
  storeId?: string | null;
  /** Use this secret instead of generating one (the bootstrap admin key from the environment). */
  secret?: string;
}

interface ApiKeyRow {
  id: string;
  name: string;
  key_hash: string;
  scopes: string;
  terminal_id: string | null;
  store_id: string | null;
  revoked_at: string | null;
}

const toPrincipal = (row: ApiKeyRow): Principal => ({
  keyId: row.id,
  name: row.name,
  scopes: JSON.parse(row.scopes) as Scope[],
  terminalId: row.terminal_id,
  storeId: row.store_id,
});

export interface ApiKeyStore {
  create(input: NewApiKey): Promise<{ id: string; secret: string }>;
  verify(secret: string): Promise<Principal | null>;
  revoke(id: string): Promise<boolean>;
  hasAdminKey(): Promise<boolean>;
  findBySecret(secret: string): Promise<Principal | null>;
}

/** Verified keys are cached briefly; a revocation takes effect within `cacheTtlMs`. */
export function createApiKeyStore(
  db: Db,
  deps: { clock: Clock; ids: IdGenerator; cacheTtlMs: number },
): ApiKeyStore {
  const cache = new Map<string, { principal: Principal | null; expiresAt: number }>();

  const findBySecret = async (secret: string): Promise<Principal | null> => {
    const hash = hashApiKey(secret);
    const rows = await db.query<ApiKeyRow>(
      'SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    // Defence in depth: compare the hashes in constant time even though the lookup matched.
    if (!timingSafeEqual(Buffer.from(row.key_hash), Buffer.from(hash))) return null;
    return toPrincipal(row);
  };

  return {
    async create(input) {
      const id = deps.ids.next();
      const secret = input.secret ?? generateApiKey();
      await db.transaction((tx) =>
        tx.execute(
          `INSERT INTO api_keys (id, name, key_hash, scopes, terminal_id, store_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            id,
            input.name,
            hashApiKey(secret),
            JSON.stringify(input.scopes),
            input.terminalId ?? null,
            input.storeId ?? null,
            deps.clock.now().toISOString(),
          ],
        ),
      );
      return { id, secret };
    },
    async verify(secret) {
      const now = deps.clock.now().getTime();
      const cached = cache.get(secret);
      if (cached && cached.expiresAt > now) return cached.principal;
      const principal = await findBySecret(secret);
      if (cache.size > 10_000) cache.clear();
      cache.set(secret, { principal, expiresAt: now + deps.cacheTtlMs });
      return principal;
    },
    async revoke(id) {
      const changed = await db.transaction((tx) =>
        tx.execute('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
          deps.clock.now().toISOString(),
          id,
        ]),
      );
      cache.clear();
      return changed > 0;
    },
    async hasAdminKey() {
      const rows = await db.query<{ scopes: string }>('SELECT scopes FROM api_keys WHERE revoked_at IS NULL');
      return rows.some((row) => (JSON.parse(row.scopes) as string[]).includes('admin'));
    },
    findBySecret,
  };
}
