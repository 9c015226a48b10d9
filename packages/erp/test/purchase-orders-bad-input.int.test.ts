import { beforeAll, describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

describe.each(harnessDialects(pgUrl))(
  'ERP purchase orders refuse bad input on a real %s database',
  (dialect) => {
    const { call, ok, product, stockAt, order, ordered, receipt, expectLedgerTrue } =
      purchaseOrderRig(dialect);

    describe('refuses bad input with its code, never a 500 and never a partial write', () => {
      let sku: string;
      let kit: string;
      beforeAll(async () => {
        sku = await product();
        kit = uniqueName('PO-KIT');
        await ok('PUT', `/products/${kit}`, {
          name: kit,
          price: { amount: 1, currency: 'EUR' },
          kind: 'kit',
          components: [{ sku, quantity: 2 }],
        });
      });
      const line = (change: object = {}) => ({ sku, quantity: 2, unitCost: 100, ...change });

      it.each([
        ['an unknown SKU', () => ({ lines: [line({ sku: 'NO-SUCH-SKU' })] }), 422, 'unknown_sku'],
        ['an unknown location', () => ({ locationId: 'NOWHERE' }), 422, 'unknown_location'],
        ['a kit', () => ({ lines: [line({ sku: kit })] }), 422, 'kit_has_no_stock'],
        ['a SKU twice', () => ({ lines: [line(), line()] }), 400, 'duplicate_line'],
        ['a negative quantity', () => ({ lines: [line({ quantity: -1 })] }), 400, 'validation_failed'],
        ['a zero quantity', () => ({ lines: [line({ quantity: 0 })] }), 400, 'validation_failed'],
        ['a fractional quantity', () => ({ lines: [line({ quantity: 1.5 })] }), 400, 'validation_failed'],
        ['a quantity as a string', () => ({ lines: [line({ quantity: '2' })] }), 400, 'validation_failed'],
        ['a negative cost', () => ({ lines: [line({ unitCost: -1 })] }), 400, 'validation_failed'],
        ['a fractional cost', () => ({ lines: [line({ unitCost: 4.5 })] }), 400, 'validation_failed'],
        ['a cost as a string', () => ({ lines: [line({ unitCost: '450' })] }), 400, 'validation_failed'],
        ['a cost too large', () => ({ lines: [line({ unitCost: 1e12 + 1 })] }), 400, 'validation_failed'],
        [
          'an order worth too much',
          () => ({ lines: [line({ quantity: 2, unitCost: 1e12 })] }),
          400,
          'purchase_order_value_too_large',
        ],
        ['no lines', () => ({ lines: [] }), 400, 'validation_failed'],
        ['a lower-case currency', () => ({ currency: 'eur' }), 400, 'validation_failed'],
        ['no supplier', () => ({ supplier: undefined }), 400, 'validation_failed'],
        ['an unknown field', () => ({ discount: 5 }), 400, 'validation_failed'],
        ['a bad expected date', () => ({ expectedAt: 'next tuesday' }), 400, 'validation_failed'],
      ])('a purchase order with %s', async (_name, change, status, code) => {
        const body = { ...order([line()]), ...change() };
        const response = await call('POST', '/purchase-orders', body);
        expect(response).toMatchObject({ status, body: { code } });
        expect((await call('GET', `/purchase-orders/${body.id}`)).status).toBe(404);
      });

      it.each([
        [
          'a known and an unknown SKU',
          () => ({
            lines: [
              { sku, quantity: 1 },
              { sku: 'NO-SUCH-SKU', quantity: 1 },
            ],
          }),
          422,
          'unknown_sku',
        ],
        ['a kit', () => ({ lines: [{ sku: kit, quantity: 1 }] }), 422, 'kit_has_no_stock'],
        [
          'a SKU twice',
          () => ({
            lines: [
              { sku, quantity: 1 },
              { sku, quantity: 1 },
            ],
          }),
          400,
          'duplicate_line',
        ],
        ['a negative quantity', () => ({ lines: [{ sku, quantity: -3 }] }), 400, 'validation_failed'],
        ['a fractional quantity', () => ({ lines: [{ sku, quantity: 0.5 }] }), 400, 'validation_failed'],
        ['a quantity as a string', () => ({ lines: [{ sku, quantity: '3' }] }), 400, 'validation_failed'],
        [
          'close as a string',
          () => ({ lines: [{ sku, quantity: 1 }], close: 'true' }),
          400,
          'validation_failed',
        ],
        [
          'a date an hour ahead',
          () => ({ lines: [{ sku, quantity: 1 }], occurredAt: '2026-11-01T10:00:00Z' }),
          422,
          'receipt_in_future',
        ],
      ])(
        'a receipt with %s, after which the receipt id is still free',
        async (_name, change, status, code) => {
          const id = await ordered([line()]);
          const before = await stockAt(sku, 'W1');
          const bad = { id: uniqueName('rcpt'), ...change() };
          expect(await call('POST', `/purchase-orders/${id}/receipts`, bad)).toMatchObject({
            status,
            body: { code },
          });
          expect(await ok('GET', `/purchase-orders/${id}`)).toMatchObject({ status: 'ordered', version: 1 });
          expect(await stockAt(sku, 'W1')).toEqual(before);
          const good = await call('POST', `/purchase-orders/${id}/receipts`, {
            id: bad.id,
            lines: [{ sku, quantity: 1 }],
          });
          expect(good.status).toBe(201);
        },
      );

      it('answers an unknown order 404 on every route, and a reused id with another body 409', async () => {
        for (const [method, path, body] of [
          ['GET', '/purchase-orders/NO-SUCH-PO', undefined],
          ['POST', '/purchase-orders/NO-SUCH-PO/submit', undefined],
          ['POST', '/purchase-orders/NO-SUCH-PO/cancel', undefined],
          ['POST', '/purchase-orders/NO-SUCH-PO/receipts', receipt([{ sku, quantity: 1 }])],
        ] as const)
          expect(await call(method, path, body)).toMatchObject({
            status: 404,
            body: { code: 'purchase_order_not_found' },
          });
        const body = order([line()]);
        await ok('POST', '/purchase-orders', body);
        expect(
          await call('POST', '/purchase-orders', { ...body, expectedAt: '2026-11-09T09:00:00Z' }),
        ).toMatchObject({
          status: 409,
          body: { code: 'id_conflict' },
        });
        expect((await call('GET', '/purchase-orders/bad%20id')).body.code).toBe('validation_failed');
        await expectLedgerTrue();
      });
    });
  },
);
