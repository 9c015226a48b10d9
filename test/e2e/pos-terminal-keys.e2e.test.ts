import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { ENGINES } from '../support/engines.js';
import { eventually, startPlatform, type TestPlatform } from '../support/platform.js';
import { seedShop, waitForOnHand, type Shop } from '../support/fixtures.js';
import { stockAt } from '../support/inventory.js';
import { registerTerminal } from '../support/pos.js';

describe.each(ENGINES)('store terminals: receipt returns and terminal keys (%s)', (engine) => {
  let platform: TestPlatform;
  let shop: Shop;
  let till: { terminalId: string; apiKey: string };
  const asTill = (method: string, path: string, body?: unknown) =>
    platform.request(method, path, body, { authorization: `Bearer ${till.apiKey}` });

  beforeAll(async () => {
    platform = await startPlatform(engine);
    shop = await seedShop(platform, { skuCount: 1, stock: 10 });
    till = await registerTerminal(platform, shop.storeId);
  });
  afterAll(async () => platform?.stop());

  it('restocks or sets aside what a receipt return brings back, and never more than was sold', async () => {
    const sku = shop.skus[0]!;
    const sale = {
      id: uuidv7(),
      storeId: shop.storeId,
      terminalId: till.terminalId,
      occurredAt: new Date().toISOString(),
      currency: 'EUR',
      lines: [{ sku, quantity: 3, unitPrice: 500, discount: 150 }],
      payments: [{ method: 'card', amount: 1350 }],
    };
    expect((await asTill('POST', '/pos/v1/sales', sale)).status).toBe(201);
    await waitForOnHand(platform, sku, shop.storeId, 7);
    const refund = (quantity: number, disposition: string, amount: number) => ({
      id: uuidv7(),
      storeId: shop.storeId,
      terminalId: till.terminalId,
      occurredAt: new Date().toISOString(),
      currency: 'EUR',
      originalSaleId: sale.id,
      lines: [{ sku, quantity, disposition, originalLineNo: 1 }],
      refunds: [{ method: 'card', amount }],
    });
    const first = await asTill('POST', '/pos/v1/returns', refund(1, 'restock', 450));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ total: 450, lines: [{ lineTotal: 450, originalLineNo: 1 }] });
    expect((await asTill('POST', '/pos/v1/returns', refund(1, 'damaged', 450))).status).toBe(201);
    const tooMany = await asTill('POST', '/pos/v1/returns', refund(2, 'restock', 900));
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.code).toBe('return_exceeds_sold');
    await waitForOnHand(platform, sku, shop.storeId, 8);
    await eventually(
      async () => (await stockAt(platform, sku, shop.storeId)).damaged === 1,
      20_000,
      'damaged 1',
    );
    const returnable = await asTill('GET', `/pos/v1/sales/${sale.id}/returnable`);
    expect(returnable.body.lines[0]).toMatchObject({
      sold: 3,
      returned: 2,
      returnable: 1,
      refundable: 450,
    });
  });

  it('binds a terminal key to its terminal and keeps it away from prices and stock', async () => {
    const other = await platform.request(
      'POST',
      '/pos/v1/sync',
      { terminalId: 'someone-else', transactions: [{ type: 'sale', id: 'x' }] },
      {
        authorization: `Bearer ${till.apiKey}`,
      },
    );
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('terminal_mismatch');
    const price = await asTill('PUT', `/erp/v1/products/${shop.skus[0]}`, {
      name: 'Cheap',
      price: { amount: 1, currency: 'EUR' },
    });
    expect(price.status).toBe(403);
    expect(price.body.code).toBe('insufficient_scope');
    expect(
      (await asTill('POST', '/pos/v1/terminals', { terminalId: 'rogue', storeId: shop.storeId })).status,
    ).toBe(403);
    expect((await asTill('GET', '/pos/v1/pricing/snapshot')).status).toBe(200);
    const rotated = await platform.request('POST', `/pos/v1/terminals/${till.terminalId}/keys`, {});
    expect(rotated.status).toBe(201);
    await eventually(
      async () => (await asTill('GET', '/pos/v1/catalog')).status === 401,
      20_000,
      'old key revoked',
    );
    till = { ...till, apiKey: rotated.body.apiKey.secret };
    expect((await asTill('GET', `/pos/v1/terminals/${till.terminalId}`)).body).toMatchObject({
      hasKey: true,
    });
  });

  it('registers a terminal from the CLI, with a key that works at once', async () => {
    const terminalId = `cli-${Date.now()}`;
    const printed = JSON.parse(
      await platform.cli(['terminals', 'register', '--terminal', terminalId, '--store', shop.storeId]),
    );
    expect(printed).toMatchObject({ terminalId, storeId: shop.storeId, hasKey: true });
    const own = await platform.request('GET', `/pos/v1/terminals/${terminalId}`, undefined, {
      authorization: `Bearer ${printed.apiKey.secret}`,
    });
    expect(own.status).toBe(200);
  });

  it('keeps no issued secret for an Idempotency-Key replay: the retry is told it was shown once', async () => {
    const terminalId = `keyed-${Date.now()}`;
    const register = () =>
      platform.request(
        'POST',
        '/pos/v1/terminals',
        { terminalId, storeId: shop.storeId },
        { 'idempotency-key': `register-${terminalId}` },
      );
    const first = await register();
    expect(first.status).toBe(201);
    const secret = first.body.apiKey.secret as string;
    const retried = await register();
    expect([retried.status, retried.body.code]).toEqual([409, 'secret_shown_once']);
    expect(JSON.stringify(retried.body)).not.toContain(secret);
    // The key issued by the first answer is the one that works: the retry issued none.
    const own = await platform.request('GET', `/pos/v1/terminals/${terminalId}`, undefined, {
      authorization: `Bearer ${secret}`,
    });
    expect(own.status).toBe(200);
  });
});
