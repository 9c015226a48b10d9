import { ConfigError, type ApiKeyStore, type Db } from '@tillstream/kernel';

/**
 * No default secrets: the admin key comes from TILLSTREAM_ADMIN_KEY, or, when no admin key exists yet, one is
 * generated and returned (with its id, to revoke it by) so the CLI prints it once. Returns the generated key,
 * or null. A TILLSTREAM_ADMIN_KEY that was revoked is refused: a revoked secret never becomes valid again.
 */
export async function ensureAdminKey(
  apiKeys: ApiKeyStore,
  configured: string | undefined,
): Promise<{ id: string; secret: string } | null> {
  if (configured) {
    if (await apiKeys.findBySecret(configured)) return null;
    try {
      await apiKeys.create({ name: 'admin (TILLSTREAM_ADMIN_KEY)', scopes: ['admin'], secret: configured });
    } catch (error) {
      // Another process starting with the same key may have stored it meanwhile; otherwise the one stored
      // key with this hash is a revoked one (findBySecret passes over revoked keys).
      if (await apiKeys.findBySecret(configured)) return null;
      if (isUniqueViolation(error))
        throw new ConfigError(['adminKey: this admin key was revoked; choose another TILLSTREAM_ADMIN_KEY']);
      throw error;
    }
    return null;
  }
  if (await apiKeys.hasAdminKey()) return null;
  return apiKeys.create({ name: 'admin (generated)', scopes: ['admin'] });
}

/** SQLite's and PostgreSQL's unique-constraint violations. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/** What `tillstream keys list` shows of a key: never its secret (only a hash of it is stored anyway). */
export interface ApiKeyListing {
  id: string;
  name: string;
  scopes: string[];
  terminalId: string | null;
  storeId: string | null;
  createdAt: string;
  revokedAt: string | null;
}

interface ApiKeyListingRow {
  id: string;
  name: string;
  scopes: string;
  terminal_id: string | null;
  store_id: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** Every API key in the auth database, oldest first, revoked ones included. */
export async function listApiKeys(authDb: Db): Promise<ApiKeyListing[]> {
  const rows = await authDb.query<ApiKeyListingRow>(
    'SELECT id, name, scopes, terminal_id, store_id, created_at, revoked_at FROM api_keys ORDER BY created_at, id',
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    terminalId: row.terminal_id,
    storeId: row.store_id,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }));
}
