import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/**
 * `erp:hold` is what POS's and commerce's service keys carry: a selling channel may hold stock and take
 * promotion uses in ERP, but a leaked service key must not reprice a product or change a stock level.
 */
describe.each(harnessDialects(pgUrl))('ERP scopes of a selling channel on a real %s database', (dialect) => {
  let erp: ContextHarness;
  const keys: Record<string, string> = {};
  const as = async (key: string, method: 'PUT' | 'POST', url: string, payload?: object) => {
    const response = await erp.app.inject({
      method,
      url: `/erp/v1${url}`,
      ...(payload ? { payload } : {}),
      headers: { authorization: `Bearer ${keys[key]}` },
    });
    return { status: response.statusCode, body: response.json() };
  };
  const hold = (key: string) =>
    as(key, 'POST', '/reservations', {
      id: randomUUID(),
      channel: 'web',
      lines: [{ sku: 'SCOPE-1', quantity: 1 }],
      expiresInSeconds: 600,
    });

  beforeAll(async () => {
    erp = await createContextHarness((deps) => createErp(deps), { dialect, pgUrl, name: 'erp' });
    await erp.api('PUT', '/locations/W1', { name: 'Warehouse 1', kind: 'warehouse' });
    await erp.api('PUT', '/products/SCOPE-1', { name: 'Scope', price: { amount: 500, currency: 'EUR' } });
    const received = await erp.api('POST', '/inventory/adjustments', {
      id: randomUUID(),
      sku: 'SCOPE-1',
      locationId: 'W1',
      delta: 10,
      reason: 'received',
      occurredAt: '2026-11-01T08:00:00Z',
    });
    expect(received.status).toBe(201);
    for (const [name, scopes] of [
      ['channel', ['erp:read', 'erp:hold']],
      ['writer', ['erp:write']],
      ['reader', ['erp:read']],
    ] as const)
      keys[name] = (await erp.apiKeys.create({ name, scopes: [...scopes] })).secret;
  });
  afterAll(async () => erp?.close());

  it('lets a channel key hold, commit, release and redeem, and nothing else that writes', async () => {
    const held = await hold('channel');
    expect(held.status).toBe(201);
    expect((await as('channel', 'POST', `/reservations/${held.body.id}/commit`)).status).toBe(200);
    const other = await hold('channel');
    expect((await as('channel', 'POST', `/reservations/${other.body.id}/release`)).status).toBe(200);
    const redeemed = await as('channel', 'POST', '/redemptions', {
      id: randomUUID(),
      channel: 'web',
      currency: 'EUR',
      lines: [{ sku: 'SCOPE-1', quantity: 1 }],
    });
    expect(redeemed.status).toBe(201);
    expect((await as('channel', 'POST', `/redemptions/${redeemed.body.id}/release`)).status).toBe(200);

    const reprice = await as('channel', 'PUT', '/products/SCOPE-1', {
      name: 'Scope',
      price: { amount: 1, currency: 'EUR' },
    });
    expect(reprice).toMatchObject({
      status: 403,
      body: { code: 'insufficient_scope', requiredScope: 'erp:write' },
    });
    const shrink = await as('channel', 'POST', '/inventory/adjustments', {
      id: randomUUID(),
      sku: 'SCOPE-1',
      locationId: 'W1',
      delta: -10,
      reason: 'damaged',
      occurredAt: '2026-11-01T09:00:00Z',
    });
    expect(shrink.status).toBe(403);
  });

  it('still lets an erp:write key hold, and refuses a read-only key naming the scope it lacks', async () => {
    expect((await hold('writer')).status).toBe(201);
    expect(await hold('reader')).toMatchObject({
      status: 403,
      body: { code: 'insufficient_scope', requiredScope: 'erp:hold' },
    });
  });
});
