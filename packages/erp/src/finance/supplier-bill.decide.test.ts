import { describe, expect, it } from 'vitest';
import { signed } from './finance.fixtures.js';
import {
  decideSupplierBill,
  supplierBillEntries,
  waitsOn2310,
  type ReceiptOnRecord,
  type SupplierBillCommand,
} from './supplier-bill.decide.js';

const receipt = (movementId: string, extra: Partial<ReceiptOnRecord> = {}): ReceiptOnRecord => ({
  movementId,
  kind: 'received',
  unitCost: 120,
  sku: 'BREAD',
  locationId: 'S1',
  quantity: 10,
  booked: { currency: 'EUR', value: 1200 },
  billedBy: null,
  ...extra,
});
const command = (receipts: string[], extra: Partial<SupplierBillCommand> = {}): SupplierBillCommand => ({
  id: 'bill-1',
  supplierId: 'bakery',
  supplierInvoiceNumber: 'B-77',
  currency: 'EUR',
  invoicedAt: '2026-11-01T00:00:00.000Z',
  dueAt: '2026-12-01T00:00:00.000Z',
  receipts,
  total: 2500,
  ...extra,
});
/** The code and extensions a bill is refused with. */
const refusal = (bill: SupplierBillCommand, found: ReceiptOnRecord[]) => {
  try {
    decideSupplierBill(bill, found);
    return null;
  } catch (error) {
    const { code, extensions } = error as { code: string; extensions: object };
    return { code, ...extensions };
  }
};

describe('billing goods received outside purchase orders', () => {
  it('matches the receipts at what the journal booked them, the rest is price variance', () => {
    const bill = decideSupplierBill(command(['a', 'b']), [
      receipt('b', { booked: { currency: 'EUR', value: 1100 } }),
      receipt('a'),
    ]);
    expect(bill).toMatchObject({ matched: 2300, total: 2500, locationId: 'S1', supplierName: null });
    expect(bill.receipts.map((row) => [row.movementId, row.value])).toEqual([
      ['a', 1200],
      ['b', 1100],
    ]);
    expect(signed(supplierBillEntries(bill)[0]!.lines)).toEqual({ '2310': 2300, '2000': -2500, '5200': 200 });
    expect(supplierBillEntries(bill)[0]!).toMatchObject({ kind: 'supplier_bill', sourceId: 'bill-1' });
  });

  it('books a bill below the receipts as a variance credit, and names no location across stores', () => {
    const bill = decideSupplierBill(command(['a', 'b'], { total: 2000 }), [
      receipt('a'),
      receipt('b', { locationId: 'S2' }),
    ]);
    expect(bill.locationId).toBeNull();
    expect(signed(supplierBillEntries(bill)[0]!.lines)).toEqual({
      '2310': 2400,
      '2000': -2000,
      '5200': -400,
    });
  });

  it('bills goods the valuation booked at nothing: all they are billed at is price variance', () => {
    const costless = receipt('a', { unitCost: null, booked: { currency: 'EUR', value: 0 } });
    const bill = decideSupplierBill(command(['a', 'b'], { total: 1_700 }), [costless, receipt('b')]);
    expect(bill).toMatchObject({ matched: 1_200, total: 1_700 });
    expect(bill.receipts.map((row) => [row.movementId, row.value])).toEqual([
      ['a', 0],
      ['b', 1_200],
    ]);
    expect(signed(supplierBillEntries(bill)[0]!.lines)).toEqual({
      '2310': 1_200,
      '2000': -1_700,
      '5200': 500,
    });

    const alone = decideSupplierBill(command(['a'], { total: 480 }), [costless]);
    expect(alone).toMatchObject({ matched: 0, locationId: 'S1' });
    expect(signed(supplierBillEntries(alone)[0]!.lines)).toEqual({ '2000': -480, '5200': 480 });
  });

  it.each([
    [
      'a receipt named twice',
      command(['a', 'a']),
      [receipt('a')],
      { code: 'duplicate_line', movementIds: ['a'] },
    ],
    [
      'an unknown movement',
      command(['a', 'x']),
      [receipt('a')],
      { code: 'bill_receipt_not_found', movementIds: ['x'] },
    ],
    [
      'a sale',
      command(['a']),
      [receipt('a', { kind: 'sold', unitCost: null })],
      { code: 'bill_receipt_not_outside_order', movementIds: ['a'] },
    ],
    [
      'a purchase order line at its agreed cost',
      command(['a']),
      [receipt('a', { kind: 'po_received', unitCost: 100 })],
      { code: 'bill_receipt_not_outside_order', movementIds: ['a'] },
    ],
    [
      'a receipt the valuation has not valued yet',
      command(['a']),
      [receipt('a', { booked: null })],
      { code: 'bill_receipt_not_booked', movementIds: ['a'] },
    ],
    [
      'a receipt valued in another currency',
      command(['a']),
      [receipt('a', { booked: { currency: 'USD', value: 100 } })],
      { code: 'bill_receipt_currency_mismatch', movementIds: ['a'] },
    ],
    [
      'a receipt on another bill',
      command(['a']),
      [receipt('a', { billedBy: 'bill-0' })],
      { code: 'bill_receipt_already_billed', receipts: [{ movementId: 'a', billId: 'bill-0' }] },
    ],
  ])('refuses %s', (_name, bill, found, problem) => {
    expect(refusal(bill, found)).toEqual(problem);
  });

  it('takes an item a purchase order receipt brought unlisted (no agreed cost) as received outside it', () => {
    expect(waitsOn2310({ kind: 'po_received', unitCost: null })).toBe(true);
    expect(waitsOn2310({ kind: 'received', unitCost: null })).toBe(true);
    expect(waitsOn2310({ kind: 'po_received', unitCost: 100 })).toBe(false);
    expect(waitsOn2310({ kind: 'adjusted', unitCost: null })).toBe(false);
  });
});
