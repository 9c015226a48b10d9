import { describe, expect, it } from 'vitest';
import {
  decideCancel,
  decideEdit,
  decideReceipt,
  decideSubmit,
  newPurchaseOrder,
  onOrderByLocation,
  purchaseOrderFingerprint,
  type PurchaseOrder,
  type PurchaseOrderCommand,
} from './purchase-order.decide.js';
import { receiptFingerprint, receiptTime } from './receipt.decide.js';

const at = '2026-11-01T10:00:00.000Z';
const later = '2026-11-03T08:30:00.000Z';
const command: PurchaseOrderCommand = {
  id: 'po1',
  supplier: { id: 'acme', name: 'Acme Textiles' },
  locationId: 'W1',
  expectedAt: '2026-11-10T00:00:00.000Z',
  currency: 'EUR',
  lines: [
    { sku: 'A', quantity: 10, unitCost: 450 },
    { sku: 'B', quantity: 2, unitCost: 1200 },
  ],
};
const draft = newPurchaseOrder(command, at);
const ordered = decideSubmit(draft, at)!;
const receipt = (id: string, lines: Array<{ sku: string; quantity: number }>, close = false) => ({
  id,
  occurredAt: later,
  lines,
  close,
});
const changes = (plan: {
  movements: Array<{ kind: string; sku: string; locationId: string; change: object }>;
}) => plan.movements.map((m) => [m.kind, m.sku, m.locationId, m.change]);

describe('a new purchase order', () => {
  it('is a draft worth Σ quantity × unitCost that has published nothing', () => {
    expect(draft).toMatchObject({
      status: 'draft',
      total: 10 * 450 + 2 * 1200,
      version: 0,
      submittedAt: null,
    });
    expect(draft.lines).toEqual([
      { sku: 'A', quantity: 10, unitCost: 450, received: 0, invoiced: 0 },
      { sku: 'B', quantity: 2, unitCost: 1200, received: 0, invoiced: 0 },
    ]);
  });

  it('refuses a SKU on two lines', () => {
    const twice = { ...command, lines: [command.lines[0]!, { sku: 'A', quantity: 1, unitCost: 1 }] };
    expect(() => newPurchaseOrder(twice, at)).toThrowError(
      expect.objectContaining({ code: 'duplicate_line' }),
    );
  });

  it('refuses an order worth more than 10^12 minor units, and takes one worth exactly that', () => {
    const line = (unitCost: number) => ({ ...command, lines: [{ sku: 'A', quantity: 1_000_000, unitCost }] });
    expect(newPurchaseOrder(line(1_000_000), at).total).toBe(1e12);
    expect(() => newPurchaseOrder(line(1_000_001), at)).toThrowError(
      expect.objectContaining({ code: 'purchase_order_value_too_large' }),
    );
  });

  it.each([
    ['another supplier', { supplier: { id: 'other', name: 'Acme Textiles' } }],
    ['no supplier name', { supplier: { id: 'acme' } }],
    ['another location', { locationId: 'W2' }],
    ['no expected date', { expectedAt: undefined }],
    ['another currency', { currency: 'USD' }],
    ['another cost', { lines: [{ sku: 'A', quantity: 10, unitCost: 451 }, command.lines[1]!] }],
    ['lines in another order', { lines: [command.lines[1]!, command.lines[0]!] }],
  ])('fingerprints %s differently (a retry must resend the same body)', (_name, change) => {
    expect(purchaseOrderFingerprint({ ...command, ...change })).not.toBe(draft.requestHash);
  });

  it('fingerprints the same body alike', () => {
    expect(purchaseOrderFingerprint(structuredClone(command))).toBe(draft.requestHash);
  });
});

describe('editing a draft', () => {
  const { id: _id, ...content } = command;
  const edit = { ...content, currency: 'USD', lines: [{ sku: 'C', quantity: 3, unitCost: 100 }] };

  it('replaces its content and fingerprint, one version more, keeping when it was created', () => {
    const edited = decideEdit(draft, edit)!;
    expect(edited).toMatchObject({
      id: 'po1',
      status: 'draft',
      currency: 'USD',
      total: 300,
      version: 1,
      createdAt: at,
      submittedAt: null,
      lines: [{ sku: 'C', quantity: 3, unitCost: 100, received: 0, invoiced: 0 }],
    });
    expect(edited.requestHash).toBe(purchaseOrderFingerprint({ ...edit, id: 'po1' }));
    expect(edited.requestHash).not.toBe(draft.requestHash);
    expect(decideEdit(edited, content)).toMatchObject({ version: 2, requestHash: draft.requestHash });
  });

  it('changes nothing, not even the version, for the content it has', () => {
    expect(decideEdit(draft, structuredClone(content))).toBeNull();
    const edited = decideEdit(draft, edit)!;
    expect(decideEdit(edited, edit)).toBeNull();
  });

  it('drops what the new content leaves out, such as the expected date or the supplier name', () => {
    const { expectedAt: _at, ...undated } = content;
    const edited = decideEdit(draft, { ...undated, supplier: { id: 'acme' } })!;
    expect(edited).toMatchObject({ expectedAt: null, supplier: { id: 'acme' }, version: 1 });
  });

  it.each([
    ['submitted', ordered],
    ['cancelled', decideCancel(draft, at)!],
    ['partially received', decideReceipt(ordered, receipt('r1', [{ sku: 'A', quantity: 1 }])).purchaseOrder],
  ])('refuses to edit a %s order, even to the content it has', (_name, order) => {
    for (const body of [edit, content])
      expect(() => decideEdit(order, body)).toThrowError(
        expect.objectContaining({ code: 'purchase_order_state' }),
      );
  });

  it('refuses content a create would refuse', () => {
    const twice = { ...content, lines: [command.lines[0]!, command.lines[0]!] };
    expect(() => decideEdit(draft, twice)).toThrowError(expect.objectContaining({ code: 'duplicate_line' }));
    const tooMuch = { ...content, lines: [{ sku: 'A', quantity: 1_000_000, unitCost: 1_000_001 }] };
    expect(() => decideEdit(draft, tooMuch)).toThrowError(
      expect.objectContaining({ code: 'purchase_order_value_too_large' }),
    );
  });
});

describe('submitting and cancelling', () => {
  it('submits a draft once: version 1, then a retry changes nothing', () => {
    expect(ordered).toMatchObject({ status: 'ordered', submittedAt: at, version: 1 });
    expect(decideSubmit(ordered, later)).toBeNull();
  });

  it('a retried submit of an order that has moved on still answers it as it is', () => {
    const partial = decideReceipt(ordered, receipt('r1', [{ sku: 'A', quantity: 1 }])).purchaseOrder;
    expect(decideSubmit(partial, later)).toBeNull();
  });

  it('cancels a draft or an ordered order, once', () => {
    expect(decideCancel(draft, later)).toMatchObject({ status: 'cancelled', closedAt: later, version: 1 });
    const cancelled = decideCancel(ordered, later)!;
    expect(cancelled).toMatchObject({ status: 'cancelled', closedAt: later, version: 2 });
    expect(decideCancel(cancelled, later)).toBeNull();
  });

  it('refuses to submit a cancelled draft', () => {
    expect(() => decideSubmit(decideCancel(draft, at)!, at)).toThrowError(
      expect.objectContaining({ code: 'purchase_order_state' }),
    );
  });

  it('refuses to cancel once anything arrived; the order ends by a closing receipt instead', () => {
    const partial = decideReceipt(ordered, receipt('r1', [{ sku: 'A', quantity: 1 }])).purchaseOrder;
    const received = decideReceipt(partial, receipt('r2', [], true)).purchaseOrder;
    for (const order of [partial, received])
      expect(() => decideCancel(order, later)).toThrowError(
        expect.objectContaining({ code: 'purchase_order_state' }),
      );
  });
});

describe('receiving', () => {
  it('refuses a receipt before the order is submitted or after it was cancelled', () => {
    for (const order of [draft, decideCancel(ordered, at)!])
      expect(() => decideReceipt(order, receipt('r', [{ sku: 'A', quantity: 1 }]))).toThrowError(
        expect.objectContaining({ code: 'purchase_order_state' }),
      );
  });

  it('a partial receipt adds to on-hand at the location and leaves the order open', () => {
    const plan = decideReceipt(ordered, receipt('r1', [{ sku: 'A', quantity: 6 }]));
    expect(plan.purchaseOrder).toMatchObject({ status: 'partially_received', version: 2, discrepancies: [] });
    expect(plan.purchaseOrder.lines.map((line) => line.received)).toEqual([6, 0]);
    expect(changes(plan)).toEqual([
      ['po_received', 'A', 'W1', { onHand: 6, reserved: 0, inTransit: 0, damaged: 0 }],
    ]);
    expect(plan.movements[0]).toMatchObject({
      id: 'purchase-order/po1/receipt/r1/po_received/A@W1',
      reference: 'purchase-order/po1/receipt/r1',
      occurredAt: later,
    });
  });

  it('receiving every line in full closes the order without discrepancies', () => {
    const plan = decideReceipt(
      ordered,
      receipt('r1', [
        { sku: 'B', quantity: 2 },
        { sku: 'A', quantity: 10 },
      ]),
    );
    expect(plan.purchaseOrder).toMatchObject({ status: 'received', discrepancies: [], closedAt: later });
  });

  it('closing short records short, over and unordered lines; the missing units move no stock', () => {
    const partial: PurchaseOrder = decideReceipt(
      ordered,
      receipt('r1', [{ sku: 'A', quantity: 6 }]),
    ).purchaseOrder;
    const plan = decideReceipt(
      partial,
      receipt(
        'r2',
        [
          { sku: 'B', quantity: 3 },
          { sku: 'C', quantity: 1 },
        ],
        true,
      ),
    );
    expect(plan.purchaseOrder.status).toBe('received');
    expect(changes(plan)).toEqual([
      ['po_received', 'B', 'W1', { onHand: 3, reserved: 0, inTransit: 0, damaged: 0 }],
      ['po_received', 'C', 'W1', { onHand: 1, reserved: 0, inTransit: 0, damaged: 0 }],
    ]);
    expect(plan.purchaseOrder.lines.at(-1)).toEqual({
      sku: 'C',
      quantity: 0,
      unitCost: null,
      received: 1,
      invoiced: 0,
    });
    expect(plan.purchaseOrder.discrepancies).toEqual([
      { sku: 'A', ordered: 10, received: 6, difference: -4 },
      { sku: 'B', ordered: 2, received: 3, difference: 1 },
      { sku: 'C', ordered: 0, received: 1, difference: 1 },
    ]);
    expect(() => decideReceipt(plan.purchaseOrder, receipt('r3', [{ sku: 'A', quantity: 1 }]))).toThrowError(
      expect.objectContaining({ code: 'purchase_order_state' }),
    );
  });

  it('an over-receipt on one line does not close the order while another line is short', () => {
    const plan = decideReceipt(ordered, receipt('r1', [{ sku: 'A', quantity: 15 }]));
    expect(plan.purchaseOrder.status).toBe('partially_received');
  });

  it('lists each receipt on the order as it was taken, after the ones before it', () => {
    const first = decideReceipt(ordered, receipt('r1', [{ sku: 'A', quantity: 6 }]));
    expect(first.receipt).toEqual({ receiptId: 'r1', receivedAt: later, lines: [{ sku: 'A', quantity: 6 }] });
    const lines = [
      { sku: 'C', quantity: 1 },
      { sku: 'B', quantity: 2 },
    ];
    const second = decideReceipt(first.purchaseOrder, { ...receipt('r2', lines, true), occurredAt: at });
    // Taken second though dated earlier: receipts stay in the order they were taken.
    expect(second.purchaseOrder.receipts).toEqual([
      first.receipt,
      { receiptId: 'r2', receivedAt: at, lines },
    ]);
    expect(ordered.receipts).toEqual([]);
  });

  it('refuses a SKU on two lines of one receipt', () => {
    expect(() =>
      decideReceipt(
        ordered,
        receipt('r1', [
          { sku: 'A', quantity: 1 },
          { sku: 'A', quantity: 2 },
        ]),
      ),
    ).toThrowError(expect.objectContaining({ code: 'duplicate_line' }));
  });

  it('fingerprints a receipt by its date, lines and close flag', () => {
    const base = { id: 'r1', lines: [{ sku: 'A', quantity: 1 }], close: false };
    expect(receiptFingerprint(base)).toBe(receiptFingerprint(structuredClone(base)));
    for (const other of [
      { ...base, close: true },
      { ...base, occurredAt: later },
      { ...base, lines: [{ sku: 'A', quantity: 2 }] },
    ])
      expect(receiptFingerprint(other)).not.toBe(receiptFingerprint(base));
  });

  it('dates a receipt now when it says nothing, any time in the past, and at most a minute ahead', () => {
    const now = new Date(at);
    expect(receiptTime(undefined, now)).toBe(at);
    expect(receiptTime('2020-01-01T00:00:00+02:00', now)).toBe('2019-12-31T22:00:00.000Z');
    expect(receiptTime('2026-11-01T10:01:00.000Z', now)).toBe('2026-11-01T10:01:00.000Z');
    expect(() => receiptTime('2026-11-01T10:01:00.001Z', now)).toThrowError(
      expect.objectContaining({ code: 'receipt_in_future' }),
    );
  });
});

describe('on order', () => {
  it('sums what each line still owes per location, never below zero on a line', () => {
    const onOrder = onOrderByLocation([
      { locationId: 'W1', quantity: 10, received: 6 },
      { locationId: 'W1', quantity: 5, received: 0 },
      { locationId: 'W1', quantity: 2, received: 7 },
      { locationId: 'S1', quantity: 3, received: 3 },
      { locationId: 'S2', quantity: 0, received: 1 },
    ]);
    expect(Object.fromEntries(onOrder)).toEqual({ W1: 9, S1: 0, S2: 0 });
  });
});
