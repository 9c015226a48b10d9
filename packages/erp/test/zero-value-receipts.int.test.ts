import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { signed } from '../src/finance/finance.fixtures.js';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

/**
 * A receipt outside purchase orders that the valuation booked nothing for (its SKU never had a cost) is billable
 * once the valuation has valued it, and only then: the bill's goods are all price variance.
 */
describe.each(harnessDialects(pgUrl))('ERP bills of receipts valued at nothing on %s', (dialect) => {
  const rig = purchaseOrderRig(dialect);
  const { ok, call, product, storeSale, deliverOwnEvents: valueStock } = rig;

  /** Stock received at S1 outside any order, at `unitCost` (none: at the average); its movement id. */
  const delivered = async (sku: string, quantity: number, unitCost?: number) => {
    const id = uniqueName('dsd');
    await ok('POST', '/inventory/adjustments', {
      id,
      sku,
      locationId: 'S1',
      delta: quantity,
      reason: 'received',
      occurredAt: '2026-10-30T06:00:00Z',
      ...(unitCost === undefined ? {} : { unitCost }),
    });
    return `adjustment/${id}`;
  };
  const bill = (receipts: string[], total: number) => ({
    id: uniqueName('bill'),
    supplierId: 'bakery',
    supplierInvoiceNumber: uniqueName('DV'),
    currency: 'EUR',
    invoicedAt: '2026-10-31T00:00:00Z',
    receipts,
    total,
  });
  const unbilled = async () =>
    (await ok('GET', '/finance/unbilled-receipts?locationId=S1&limit=500')).receipts as Array<{
      movementId: string;
      value: number;
    }>;
  const entryOf = async (billId: string) => {
    // On PostgreSQL the journal lists a commit once every older transaction of the cluster has finished.
    await rig.erp().allFinished();
    const { entries } = await ok('GET', `/finance/journal?kind=supplier_bill&sourceId=${billId}`);
    return signed((entries as Array<{ lines: [] }>)[0]!.lines);
  };
  const expectBalanced = async () => {
    for (const currency of (await ok('GET', '/finance/trial-balance')).currencies)
      expect(currency).toMatchObject({ balanced: true });
  };

  it('bills a receipt of a SKU that never had a cost once valued, and not before', async () => {
    const sku = await product();
    const costless = await delivered(sku, 5);
    const first = bill([costless], 600);
    // Not valued yet: the valuation may still book it at a cost, so the bill is to be retried.
    expect(await call('POST', '/finance/supplier-bills', first)).toMatchObject({
      status: 409,
      body: { code: 'bill_receipt_not_booked', movementIds: [costless] },
    });
    await valueStock();
    expect(await unbilled()).toContainEqual(expect.objectContaining({ movementId: costless, value: 0 }));
    const waiting = await delivered(sku, 2);
    expect(await call('POST', '/finance/supplier-bills', bill([waiting], 100))).toMatchObject({
      status: 409,
      body: { code: 'bill_receipt_not_booked', movementIds: [waiting] },
    });

    const taken = await call('POST', '/finance/supplier-bills', first);
    expect(taken).toMatchObject({
      status: 201,
      body: { matched: 0, total: 600, open: 600, receipts: [{ movementId: costless, value: 0 }] },
    });
    expect(await entryOf(first.id)).toEqual({ '2000': -600, '5200': 600 });
    expect((await unbilled()).map((row) => row.movementId)).not.toContain(costless);
    expect(await call('POST', '/finance/supplier-bills', first)).toEqual({ status: 200, body: taken.body });
    expect(await call('POST', '/finance/supplier-bills', bill([costless], 600))).toMatchObject({
      status: 409,
      body: { code: 'bill_receipt_already_billed', receipts: [{ movementId: costless, billId: first.id }] },
    });
    await valueStock();
    expect(await unbilled()).toContainEqual(expect.objectContaining({ movementId: waiting, value: 0 }));
    await expectBalanced();
  });

  it('bills a receipt at a cost of nothing, and one that only brought back stock sold short', async () => {
    const [free, short] = [await product(), await product()];
    await delivered(free, 4, 100);
    const gift = await delivered(free, 2, 0);
    await delivered(short, 2, 100);
    await valueStock();
    await storeSale(short, 'S1', 3);
    await valueStock();
    // One unit sold beyond the books at 1.00, brought back at nothing: cost of sales is corrected, 2310 not.
    const back = await delivered(short, 1, 0);
    await valueStock();
    const { entries } = await ok('GET', `/finance/journal?kind=goods_received&sourceId=${back}`);
    expect(signed(entries[0].lines)).toEqual({ '1300': 100, '5000': -100 });
    expect(await unbilled()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ movementId: gift, value: 0 }),
        expect.objectContaining({ movementId: back, value: 0 }),
      ]),
    );

    const both = bill([gift, back], 50);
    expect(await call('POST', '/finance/supplier-bills', both)).toMatchObject({
      status: 201,
      body: { matched: 0 },
    });
    expect(await entryOf(both.id)).toEqual({ '2000': -50, '5200': 50 });
    await expectBalanced();
  });
});
