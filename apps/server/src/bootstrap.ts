import type { ApiKeyStore } from '@tillstream/kernel';

/**
 * No default secrets: the admin key comes from TILLSTREAM_ADMIN_KEY, or, when no admin key exists yet, one is
 * generated and returned so the CLI prints it once. Returns the generated secret, or null.
 */
export async function ensureAdminKey(
  apiKeys: ApiKeyStore,
  configured: string | undefined,
): Promise<string | null> {
  if (configured) {
    if (!(await apiKeys.findBySecret(configured))) {
      await apiKeys.create({ name: 'admin (TILLSTREAM_ADMIN_KEY)', scopes: ['admin'], secret: configured });
    }
    return null;
  }
  if (await apiKeys.hasAdminKey()) return null;
  return (await apiKeys.create({ name: 'admin (generated)', scopes: ['admin'] })).secret;
}
