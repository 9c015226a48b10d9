import type { ContextHarness } from '@tillstream/kernel/testing';

/**
 * Calls commerce's API by its full path as the storefront does, without a key, or as the admin when `admin` is
 * true (the harness's own `api` always sends the admin key). `harness` is read at each call: suites build it in
 * their `beforeAll`.
 */
export const storefrontCall =
  (harness: () => ContextHarness) =>
  async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, admin = false) => {
    const commerce = harness();
    const response = await commerce.app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload: payload as object } : {}),
      ...(admin ? { headers: { authorization: `Bearer ${commerce.adminKey}` } } : {}),
    });
    return { status: response.statusCode, body: response.json() };
  };
