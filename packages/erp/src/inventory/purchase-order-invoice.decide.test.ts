import { describe, expect, it } from 'vitest';
import {
  decideCancel,
  decideReceipt,
  decideSubmit,
  newPurchaseOrder,
  type PurchaseOrder,
} from './purchase-order.decide.js';
import {
  decideInvoice,
  invoiceDueAt,
  invoiceFingerprint,
  type InvoiceCommand,
} from './purchase-order-invoice.decide.js';
import { fingerprintOf } from '@tillstream/kernel';
import { businessTime } from './receipt.decide.js';

const at = '2026-11-01T10:00:00.000Z';
const invoicedAt = '2026-11-05T00:00:00.000Z';
const draft = newPurchaseOrder(
  {
    id: 'po1',
    supplier: { id: 'acme' },
    locationId: 'W1',
    currency: 'EUR',
    lines: [
      { sku: 'A', quantity: 10, unitCost: 450 },
      { sku: 'B', quantity: 2, unitCost: 1200 },
    ],
  },
  at,
);
const ordered = decideSubmit(draft, at)!;
/** Ordered 10 A and 2 B; 6 A, 2 B and 1 unordered C arrived (version 2). */
const received = decideReceipt(ordered, {
  id: 'r1',
  occurredAt: at,
  close: false,
  lines: [
    { sku: 'A', quantity: 6 },
    { sku: 'B', quantity: 2 },
    { sku: 'C', quantity: 1 },
  ],
}).purchaseOrder;
const invoice = (id: string, lines: InvoiceCommand['lines']): InvoiceCommand => ({
  id,
  supplierInvoiceNumber: `INV-${id}`,
  invoicedAt,
  dueAt: '2026-12-05T00:00:00.000Z',
  lines,
});
/** The code and extensions an invoice is refused with; null when it is taken. */
const codeOf = (order: PurchaseOrder, command: InvoiceCommand) => {
  try {
    decideInvoice(order, command);
    return null;
  } catch (error) {
    const { code, extensions } = error as { code: string; extensions: object };
    return { code, ...extensions };
  }
};

describe('matching a supplier invoice to a purchase order', () => {
  it('bills received units at its own price, matched at the agreed one, one version more', () => {
    const plan = decideInvoice(
      received,
      invoice('i1', [
        { sku: 'A', quantity: 4, unitCost: 460 },
        { sku: 'B', quantity: 2, unitCost: 1200 },
      ]),
    );

    expect(plan.lines).toEqual([
      { sku: 'A', quantity: 4, unitCost: 460, orderedUnitCost: 450 },
      { sku: 'B', quantity: 2, unitCost: 1200, orderedUnitCost: 1200 },
    ]);
    expect(plan.invoice).toEqual({
      invoiceId: 'i1',
      supplierInvoiceNumber: 'INV-i1',
      invoicedAt,
      dueAt: '2026-12-05T00:00:00.000Z',
      total: 4 * 460 + 2 * 1200,
      matched: 4 * 450 + 2 * 1200,
    });
    expect(plan.purchaseOrder).toMatchObject({
      status: 'partially_received',
      version: received.version + 1,
      invoices: [plan.invoice],
      receipts: received.receipts,
    });
    expect(plan.purchaseOrder.lines.map((line) => [line.sku, line.received, line.invoiced])).toEqual([
      ['A', 6, 4],
      ['B', 2, 2],
      ['C', 1, 0],
    ]);
  });

  it('adds up invoices: the next may bill what is left of the receipts, and no unit more', () => {
    const first = decideInvoice(received, invoice('i1', [{ sku: 'A', quantity: 4, unitCost: 450 }]));
    const second = decideInvoice(
      first.purchaseOrder,
      invoice('i2', [{ sku: 'A', quantity: 2, unitCost: 450 }]),
    );
    expect(second.purchaseOrder.lines[0]).toMatchObject({ sku: 'A', received: 6, invoiced: 6 });
    expect(second.purchaseOrder.invoices.map((taken) => taken.invoiceId)).toEqual(['i1', 'i2']);
    expect(codeOf(first.purchaseOrder, invoice('i3', [{ sku: 'A', quantity: 3, unitCost: 450 }]))).toEqual({
      code: 'invoice_exceeds_receipts',
      skus: ['A'],
    });
  });

  it('refuses the same supplier invoice number under another id, however it is typed', () => {
    const first = decideInvoice(received, {
      ...invoice('i1', [{ sku: 'A', quantity: 2, unitCost: 450 }]),
      supplierInvoiceNumber: 'INV 0077',
    });
    const again = (supplierInvoiceNumber: string) =>
      codeOf(first.purchaseOrder, {
        ...invoice('i2', [{ sku: 'A', quantity: 2, unitCost: 450 }]),
        supplierInvoiceNumber,
      });
    for (const typed of ['INV 0077', 'inv0077', ' Inv 00 77 '])
      expect(again(typed)).toEqual({
        code: 'supplier_invoice_number_taken',
        document: 'invoice',
        invoiceId: 'i1',
        purchaseOrderId: 'po1',
      });
    expect(again('INV 0078')).toBeNull();
  });

  it('refuses to bill units ordered but not received yet, naming every line billed beyond', () => {
    expect(
      codeOf(
        received,
        invoice('i1', [
          { sku: 'A', quantity: 7, unitCost: 450 },
          { sku: 'B', quantity: 2, unitCost: 1200 },
        ]),
      ),
    ).toEqual({ code: 'invoice_exceeds_receipts', skus: ['A'] });
    expect(codeOf(ordered, invoice('i1', [{ sku: 'A', quantity: 1, unitCost: 450 }]))).toEqual({
      code: 'invoice_exceeds_receipts',
      skus: ['A'],
    });
  });

  it.each([
    ['an item that arrived unordered (no agreed cost)', 'C'],
    ['an item neither ordered nor received', 'Z'],
  ])('refuses %s', (_name, sku) => {
    expect(
      codeOf(
        received,
        invoice('i1', [
          { sku, quantity: 1, unitCost: 100 },
          { sku: 'A', quantity: 99, unitCost: 450 },
        ]),
      ),
    ).toEqual({ code: 'invoice_line_not_ordered', skus: [sku] });
  });

  it('takes a received order, and refuses a draft or a cancelled one', () => {
    const closed = decideReceipt(received, {
      id: 'r2',
      occurredAt: at,
      close: true,
      lines: [],
    }).purchaseOrder;
    expect(closed.status).toBe('received');
    expect(
      decideInvoice(closed, invoice('i1', [{ sku: 'A', quantity: 6, unitCost: 450 }])).purchaseOrder.status,
    ).toBe('received');
    for (const order of [draft, decideCancel(ordered, at)!])
      expect(codeOf(order, invoice('i1', [{ sku: 'A', quantity: 1, unitCost: 450 }]))).toEqual({
        code: 'purchase_order_state',
      });
  });

  it('refuses a SKU on two lines', () => {
    const twice = invoice('i1', [
      { sku: 'A', quantity: 1, unitCost: 450 },
      { sku: 'A', quantity: 1, unitCost: 460 },
    ]);
    expect(codeOf(received, twice)).toEqual({ code: 'duplicate_line' });
  });

  it('refuses an invoice billing, or matching, more than 10^12 minor units', () => {
    const many = { ...received, lines: [{ ...received.lines[0]!, received: 2_000_000 }] };
    expect(codeOf(many, invoice('i1', [{ sku: 'A', quantity: 1_000_000, unitCost: 1_000_001 }]))).toEqual({
      code: 'invoice_value_too_large',
    });
    const dear = { ...many, lines: [{ ...many.lines[0]!, unitCost: 1_000_001 }] };
    expect(codeOf(dear, invoice('i1', [{ sku: 'A', quantity: 1_000_000, unitCost: 0 }]))).toEqual({
      code: 'invoice_value_too_large',
    });
    expect(
      decideInvoice(many, invoice('i1', [{ sku: 'A', quantity: 1_000_000, unitCost: 1_000_000 }])).invoice
        .total,
    ).toBe(1e12);
  });

  it.each([
    ['another supplier number', { supplierInvoiceNumber: 'INV-other' }],
    ['another date', { invoicedAt: '2026-11-06T00:00:00.000Z' }],
    ['no date', { invoicedAt: undefined }],
    ['another price', { lines: [{ sku: 'A', quantity: 4, unitCost: 451 }] }],
    ['another quantity', { lines: [{ sku: 'A', quantity: 3, unitCost: 450 }] }],
    ['another due date', { dueAt: '2026-12-06T00:00:00.000Z' }],
    ['no due date', { dueAt: undefined }],
  ])('fingerprints %s differently (a retry must resend the same body)', (_name, change) => {
    const base = invoice('i1', [{ sku: 'A', quantity: 4, unitCost: 450 }]);
    expect(invoiceFingerprint({ ...base, ...change })).not.toBe(invoiceFingerprint(base));
    expect(invoiceFingerprint({ ...base })).toBe(invoiceFingerprint(base));
  });

  it('dates an invoice now when it says nothing, any time in the past, and at most a minute ahead', () => {
    const now = new Date(at);
    expect(businessTime(undefined, now, 'invoice_in_future')).toBe(at);
    expect(businessTime('2020-01-01T01:00:00+01:00', now, 'invoice_in_future')).toBe(
      '2020-01-01T00:00:00.000Z',
    );
    expect(businessTime('2026-11-01T10:01:00.000Z', now, 'invoice_in_future')).toBe(
      '2026-11-01T10:01:00.000Z',
    );
    expect(() => businessTime('2026-11-01T10:01:00.001Z', now, 'invoice_in_future')).toThrowError(
      expect.objectContaining({ code: 'invoice_in_future' }),
    );
  });

  it('fingerprints an invoice without a due date as before due dates were kept, so its retry still replays', () => {
    const { dueAt: _dueAt, ...sent } = invoice('i1', [{ sku: 'A', quantity: 4, unitCost: 450 }]);
    expect(invoiceFingerprint(sent)).toBe(fingerprintOf(['INV-i1', invoicedAt, [['A', 4, 450]]]));
  });

  it('is due on the date printed on it, else after the default terms, never before its own date', () => {
    expect(invoiceDueAt(undefined, invoicedAt, 30)).toBe('2026-12-05T00:00:00.000Z');
    expect(invoiceDueAt(undefined, invoicedAt, 0)).toBe(invoicedAt);
    expect(invoiceDueAt('2026-11-20T12:00:00+02:00', invoicedAt, 30)).toBe('2026-11-20T10:00:00.000Z');
    expect(invoiceDueAt(invoicedAt, invoicedAt, 30)).toBe(invoicedAt);
    expect(() => invoiceDueAt('2026-11-04T23:59:59.999Z', invoicedAt, 30)).toThrowError(
      expect.objectContaining({ code: 'invoice_due_before_date' }),
    );
  });
});
