import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextHarness } from '../src/testing/index.js';
import { probeHarness } from './probe.js';

/**
 * Auth is attached to each route when it is registered. A plugin may mark its routes public from its own
 * onRoute hook (the POS web app's static files do), which runs after the kernel's: those routes must still be
 * public, while undeclared ones need admin and declared ones their scope.
 */
describe('route auth decided at registration', () => {
  let harness: ContextHarness;
  const get = (url: string, key?: string) =>
    harness.app.inject({
      method: 'GET',
      url,
      ...(key ? { headers: { authorization: `Bearer ${key}` } } : {}),
    });

  beforeAll(async () => {
    harness = await probeHarness(async (app) => {
      app.get('/declared-public', { config: { scope: 'public' } }, async () => ({ ok: true }));
      app.get('/declared-read', { config: { scope: 'erp:read' } }, async () => ({ ok: true }));
      app.get('/undeclared', async () => ({ ok: true }));
      await app.register(async (scope) => {
        scope.addHook('onRoute', (route) => {
          route.config = { ...(route.config as object), scope: 'public' };
        });
        scope.get('/marked-public-by-plugin', async () => ({ ok: true }));
      });
    });
  });
  afterAll(async () => harness?.close());

  it('serves public routes without a key, however they were marked public', async () => {
    expect((await get('/probe/v1/declared-public')).statusCode).toBe(200);
    expect((await get('/probe/v1/marked-public-by-plugin')).statusCode).toBe(200);
  });

  it('asks for a key on declared and undeclared routes, and for admin on undeclared ones', async () => {
    const missing = await get('/probe/v1/declared-read');
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ code: 'unauthorized' });
    expect((await get('/probe/v1/undeclared')).statusCode).toBe(401);
    expect((await get('/probe/v1/declared-read', harness.adminKey)).statusCode).toBe(200);
    const { secret } = await harness.apiKeys.create({ name: 'reader', scopes: ['erp:read'] });
    expect((await get('/probe/v1/declared-read', secret)).statusCode).toBe(200);
    const undeclared = await get('/probe/v1/undeclared', secret);
    expect(undeclared.statusCode).toBe(403);
    expect(undeclared.json()).toMatchObject({ code: 'insufficient_scope', requiredScope: 'admin' });
  });

  it('takes the Bearer scheme in any case, as RFC 9110 has it, and nothing else as a key', async () => {
    const withHeader = (authorization: string) =>
      harness.app.inject({ method: 'GET', url: '/probe/v1/declared-read', headers: { authorization } });
    for (const scheme of ['Bearer ', 'bearer ', 'BEARER  ', 'Bearer\t'])
      expect((await withHeader(`${scheme}${harness.adminKey}`)).statusCode, scheme).toBe(200);
    for (const refused of [
      `Basic ${harness.adminKey}`,
      `Bearer${harness.adminKey}`,
      `Bearer ${harness.adminKey} x`,
    ])
      expect((await withHeader(refused)).statusCode, refused).toBe(401);
  });
});
