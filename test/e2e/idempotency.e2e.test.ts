import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/engines.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { hubEvents, onHandAt, saleBody, seedShop, waitForOnHand, type Shop } from '../support/fixtures.js';

/** One platform per engine for both subjects: neither changes anything the other looks at. */
describe.each(ENGINES)('idempotency (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform(engine);
  });
  afterAll(async () => platform?.stop());

  describe('the same sale posted many times is one sale', () => {
    let shop: Shop;
    beforeAll(async () => {
      shop = await seedShop(platform, { skuCount: 2, stock: 50 });
    });

    it.each([
      { name: 'without an Idempotency-Key', withKey: false, skuIndex: 0 },
      { name: 'with an Idempotency-Key', withKey: true, skuIndex: 1 },
    ])('20 concurrent posts $name: one sale, one movement', async ({ withKey, skuIndex }) => {
      const sku = shop.skus[skuIndex]!;
      const sale = saleBody(shop, [{ sku, quantity: 2 }]);
      const headers = withKey ? { 'idempotency-key': `key-${sale.id}` } : undefined;
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => platform.request('POST', '/pos/v1/sales', sale, headers)),
      );
      // One creation; every other answer is the same sale: 200 for a repeated id, the stored 201 replayed with
      // Idempotent-Replayed for a repeated key, or 409 while the first request with that key is still running.
      const created = responses.filter(
        (response) => response.status === 201 && !response.headers.get('idempotent-replayed'),
      );
      expect(created).toHaveLength(1);
      for (const response of responses) {
        if (response.status === 409) expect(response.body.code).toBe('idempotency_request_in_progress');
        else expect(response.body).toMatchObject({ id: sale.id, total: 1000 });
      }
      const replay = await platform.request('POST', '/pos/v1/sales', sale, headers);
      expect(replay.status).toBe(withKey ? 201 : 200);
      if (withKey) expect(replay.headers.get('idempotent-replayed')).toBe('true');

      await waitForOnHand(platform, sku, shop.storeId, 48);
      await new Promise((done) => setTimeout(done, 500));
      expect(await onHandAt(platform, sku, shop.storeId)).toBe(48);
      const saleEvents = (await hubEvents(platform, 'pos.sale.completed')).filter(
        (event) => event.data.saleId === sale.id,
      );
      expect(saleEvents).toHaveLength(1);
      const movements = (await hubEvents(platform, 'erp.stock.changed')).filter(
        (event) => event.data.movement.id === `sale/${sale.id}/${sku}`,
      );
      expect(movements).toHaveLength(1);
    });

    it('answers 409 id_conflict for the same id with another body, and writes nothing', async () => {
      const sku = shop.skus[0]!;
      const sale = saleBody(shop, [{ sku, quantity: 1 }]);
      expect((await platform.request('POST', '/pos/v1/sales', sale)).status).toBe(201);
      const changed = {
        ...sale,
        lines: [{ sku, quantity: 5, unitPrice: 500 }],
        payments: [{ method: 'card', amount: 2500 }],
      };
      const conflict = await platform.request('POST', '/pos/v1/sales', changed);
      expect(conflict.status).toBe(409);
      expect(conflict.headers.get('content-type')).toContain('application/problem+json');
      expect(conflict.body.code).toBe('id_conflict');
      expect((await platform.request('GET', `/pos/v1/sales/${sale.id}`)).body.total).toBe(500);
    });

    it('answers 422 when an Idempotency-Key is reused with another body', async () => {
      const key = `reuse-${Date.now()}`;
      const first = saleBody(shop, [{ sku: shop.skus[0]!, quantity: 1 }]);
      expect(
        (await platform.request('POST', '/pos/v1/sales', first, { 'idempotency-key': key })).status,
      ).toBe(201);
      const second = saleBody(shop, [{ sku: shop.skus[0]!, quantity: 1 }]);
      const reused = await platform.request('POST', '/pos/v1/sales', second, { 'idempotency-key': key });
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('idempotency_key_reused');
      expect((await platform.request('GET', `/pos/v1/sales/${second.id}`)).status).toBe(404);
    });
  });

  describe('an Idempotency-Key never crosses callers', () => {
    it('gives two anonymous shoppers with the same key two carts, and replays nothing', async () => {
      const key = { 'idempotency-key': `order-${Date.now()}`, authorization: '' };
      const shopperA = await platform.request('POST', '/commerce/v1/carts', {}, key);
      const shopperB = await platform.request('POST', '/commerce/v1/carts', {}, key);
      expect([shopperA.status, shopperB.status]).toEqual([201, 201]);
      expect(shopperB.headers.get('idempotent-replayed')).toBeNull();
      expect(shopperB.body.id).not.toBe(shopperA.body.id);
      expect(shopperB.headers.get('idempotency-key-ignored')).toBe('anonymous');
    });

    it('scopes a key sent with an API key on a public route to that API key', async () => {
      const key = `cart-${Date.now()}`;
      const created = JSON.parse(
        await platform.cli(['keys', 'create', '--name', 'storefront', '--scopes', 'commerce:storefront']),
      ) as { secret: string };
      const other = { authorization: `Bearer ${created.secret}`, 'idempotency-key': key };
      const first = await platform.request('POST', '/commerce/v1/carts', {}, { 'idempotency-key': key });
      const replayed = await platform.request('POST', '/commerce/v1/carts', {}, { 'idempotency-key': key });
      const fromOther = await platform.request('POST', '/commerce/v1/carts', {}, other);
      expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      expect(replayed.body.id).toBe(first.body.id);
      expect(fromOther.status).toBe(201);
      expect(fromOther.body.id).not.toBe(first.body.id);
    });
  });
});
