import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import type { Db } from '@tillstream/kernel';
import { createPurchaseOrderStore } from '../src/inventory/purchase-order.store.js';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

describe.each(harnessDialects(pgUrl))(
  'ERP purchase orders list their receipts on a real %s database',
  (dialect) => {
    const {
      erp: erpOf,
      call,
      ok,
      product,
      order,
      ordered,
      receipt,
      expectLedgerTrue,
    } = purchaseOrderRig(dialect);

    it('shows every receipt in the order it was taken on each answer, the list and the read', async () => {
      const [a, b, extra] = [await product(), await product(), await product()];
      const body = order([
        { sku: a, quantity: 10, unitCost: 450 },
        { sku: b, quantity: 4, unitCost: 1200 },
      ]);
      expect((await ok('POST', '/purchase-orders', body)).receipts).toEqual([]);
      expect((await ok('POST', `/purchase-orders/${body.id}/submit`)).receipts).toEqual([]);

      const first = receipt([{ sku: a, quantity: 6 }], { occurredAt: '2026-11-01T08:30:00+01:00' });
      const partial = await ok('POST', `/purchase-orders/${body.id}/receipts`, first);
      const taken = { receiptId: first.id, receivedAt: '2026-11-01T07:30:00.000Z', lines: first.lines };
      expect(partial.receipts).toEqual([taken]);

      // Late paperwork dated before the first receipt is still the second one taken.
      const late = receipt(
        [
          { sku: extra, quantity: 2 },
          { sku: b, quantity: 4 },
        ],
        { occurredAt: '2026-10-30T12:00:00Z' },
      );
      const second = await ok('POST', `/purchase-orders/${body.id}/receipts`, late);
      const third = receipt([{ sku: a, quantity: 1 }]);
      const closed = await ok('POST', `/purchase-orders/${body.id}/receipts`, { ...third, close: true });
      const receipts = [
        taken,
        { receiptId: late.id, receivedAt: '2026-10-30T12:00:00.000Z', lines: late.lines },
        { receiptId: third.id, receivedAt: erpOf().clock.now().toISOString(), lines: third.lines },
      ];
      expect(second.receipts).toEqual(receipts.slice(0, 2));
      expect(closed).toMatchObject({ status: 'received', receipts });
      expect(await ok('GET', `/purchase-orders/${body.id}`)).toEqual(closed);
      const listed = await ok('GET', `/purchase-orders?sku=${a}`);
      expect(listed.purchaseOrders).toEqual([closed]);
      // The received counts are what the receipts add up to.
      expect(
        closed.lines.map((line: { sku: string; received: number }) => [line.sku, line.received]),
      ).toEqual([
        [a, 7],
        [b, 4],
        [extra, 2],
      ]);
      await expectLedgerTrue();
    });

    it('lists a receipt once however often it is sent, and none that was refused', async () => {
      const sku = await product();
      const id = await ordered([{ sku, quantity: 10, unitCost: 100 }]);
      const same = receipt([{ sku, quantity: 4 }]);
      const results = await Promise.all(
        Array.from({ length: 4 }, () => call('POST', `/purchase-orders/${id}/receipts`, same)),
      );
      expect(results.map((result) => result.status).sort()).toEqual([200, 200, 200, 201]);
      const replayed = await call('POST', `/purchase-orders/${id}/receipts`, same);
      expect(replayed.status).toBe(200);
      const once = [{ receiptId: same.id, receivedAt: erpOf().clock.now().toISOString(), lines: same.lines }];
      expect(replayed.body.receipts).toEqual(once);

      for (const [bad, code] of [
        [receipt([{ sku: 'NO-SUCH-SKU', quantity: 1 }]), 'unknown_sku'],
        [{ ...same, lines: [{ sku, quantity: 5 }] }, 'id_conflict'],
        [receipt([{ sku, quantity: 1 }], { occurredAt: '2099-01-01T00:00:00Z' }), 'receipt_in_future'],
      ] as const)
        expect((await call('POST', `/purchase-orders/${id}/receipts`, bad)).body.code).toBe(code);
      expect(await ok('GET', `/purchase-orders/${id}`)).toMatchObject({ version: 2, receipts: once });
    });

    it("reads a page of orders' receipts in one query, whatever the number of orders", async () => {
      const sku = await product();
      const prefix = uniqueName('page');
      for (const n of [1, 2, 3]) {
        const id = `${prefix}-${n}`;
        await ok('POST', '/purchase-orders', { ...order([{ sku, quantity: 10, unitCost: 1 }]), id });
        await ok('POST', `/purchase-orders/${id}/submit`);
        for (let k = 0; k < n; k += 1)
          await ok('POST', `/purchase-orders/${id}/receipts`, receipt([{ sku, quantity: 1 }]));
      }
      const db = erpOf().db;
      const statements: string[] = [];
      const counting = {
        dialect: db.dialect,
        query: (sql: string, params?: unknown[]) => {
          statements.push(sql);
          return db.query(sql, params as never);
        },
      } as unknown as Db;

      const page = await createPurchaseOrderStore().page(counting, { after: '', limit: 10, sku });

      expect(page.map((po) => po.receipts.length)).toEqual([1, 2, 3]);
      // The orders, their lines, receipts and invoices: four statements for the page, not one more per order.
      expect(statements).toHaveLength(4);
      expect(statements.filter((sql) => sql.includes('purchase_order_receipts'))).toHaveLength(1);
      expect(statements.filter((sql) => sql.includes('purchase_order_invoices'))).toHaveLength(1);
    });
  },
);
