import { beforeAll, describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, replenishmentRig } from './replenishment.rig.js';

describe.each(harnessDialects(pgUrl))(
  'ERP replenishment refuses bad input on a real %s database',
  (dialect) => {
    const { call, ok, product } = replenishmentRig(dialect);
    let sku: string;
    let kit: string;
    beforeAll(async () => {
      sku = await product();
      kit = uniqueName('RP-KIT');
      await ok('PUT', `/products/${kit}`, {
        name: kit,
        price: { amount: 1, currency: 'EUR' },
        kind: 'kit',
        components: [{ sku, quantity: 2 }],
      });
    });
    const body = (change: object = {}) => ({ reorderPoint: 5, orderUpTo: 20, packSize: 6, ...change });

    it.each([
      ['order-up-to below the reorder point', body({ orderUpTo: 4 }), 422, 'order_up_to_below_reorder_point'],
      ['a negative reorder point', body({ reorderPoint: -1 }), 400, 'validation_failed'],
      ['a fractional reorder point', body({ reorderPoint: 2.5 }), 400, 'validation_failed'],
      ['a reorder point as a string', body({ reorderPoint: '5' }), 400, 'validation_failed'],
      ['a huge reorder point', body({ reorderPoint: 1e20, orderUpTo: 1e20 }), 400, 'validation_failed'],
      ['a zero order-up-to', body({ reorderPoint: 0, orderUpTo: 0 }), 400, 'validation_failed'],
      ['an order-up-to past a billion', body({ orderUpTo: 1_000_000_001 }), 400, 'validation_failed'],
      ['a zero pack', body({ packSize: 0 }), 400, 'validation_failed'],
      ['a negative pack', body({ packSize: -6 }), 400, 'validation_failed'],
      ['a pack as null', body({ packSize: null }), 400, 'validation_failed'],
      ['no order-up-to', { reorderPoint: 5 }, 400, 'validation_failed'],
      ['an unknown field', body({ minQty: 1 }), 400, 'validation_failed'],
    ])('a policy with %s', async (_name, payload, status, code) => {
      const response = await call('PUT', `/inventory/${sku}/reorder-policies/S1`, payload);
      expect(response).toMatchObject({ status, body: { code } });
      expect((await ok('GET', `/inventory/${sku}/reorder-policies`)).policies).toEqual([]);
    });

    it.each([
      ['an unknown SKU', () => '/inventory/NO-SUCH-SKU/reorder-policies/S1', 422, 'unknown_sku'],
      ['a kit', () => `/inventory/${kit}/reorder-policies/S1`, 422, 'kit_has_no_stock'],
      ['an unknown location', () => `/inventory/${sku}/reorder-policies/NOWHERE`, 422, 'unknown_location'],
      ['a SKU no SKU can be', () => '/inventory/bad%20sku!/reorder-policies/S1', 400, 'validation_failed'],
      [
        'a location id too long',
        () => `/inventory/${sku}/reorder-policies/${'L'.repeat(65)}`,
        400,
        'validation_failed',
      ],
    ])('a policy for %s', async (_name, url, status, code) => {
      expect(await call('PUT', url(), body())).toMatchObject({ status, body: { code } });
    });

    it('a DELETE of a policy never set is 404', async () => {
      expect(await call('DELETE', `/inventory/${sku}/reorder-policies/W1`)).toMatchObject({
        status: 404,
        body: { code: 'reorder_policy_not_found' },
      });
    });

    it.each([
      ['a zero limit', 'limit=0', 400, 'validation_failed'],
      ['a limit past 500', 'limit=501', 400, 'validation_failed'],
      ['a fractional limit', 'limit=1.5', 400, 'validation_failed'],
      ['a limit as a word', 'limit=ten', 400, 'validation_failed'],
      ['a huge limit', 'limit=99999999999999999999', 400, 'validation_failed'],
      ['an unknown parameter', 'sku=A', 400, 'validation_failed'],
      ['a bad location id', 'locationId=no%20where', 400, 'validation_failed'],
      ['a cursor of another form', 'after=W1', 400, 'invalid_cursor'],
      ['a cursor with a bad id', 'after=W1/bad%20sku', 400, 'invalid_cursor'],
      ['a cursor too long', `after=${'W'.repeat(130)}`, 400, 'validation_failed'],
      ['an unknown location', 'locationId=NOWHERE', 422, 'unknown_location'],
    ])('suggestions asked with %s', async (_name, query, status, code) => {
      expect(await call('GET', `/replenishment?${query}`)).toMatchObject({ status, body: { code } });
    });

    it.each([
      ['an unknown field', { locationId: 'S1', limit: 10 }, 400, 'validation_failed'],
      ['a bad location id', { locationId: 'no where' }, 400, 'validation_failed'],
      ['a location id as a number', { locationId: 7 }, 400, 'validation_failed'],
      ['a location id too long', { locationId: 'L'.repeat(65) }, 400, 'validation_failed'],
      ['a list for a body', [{ locationId: 'S1' }], 400, 'validation_failed'],
      ['an unknown location', { locationId: 'NOWHERE' }, 422, 'unknown_location'],
    ])('drafts raised with %s', async (_name, payload, status, code) => {
      expect(await call('POST', '/replenishment/purchase-orders', payload)).toMatchObject({
        status,
        body: { code },
      });
    });
  },
);
