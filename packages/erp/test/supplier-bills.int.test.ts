import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { signed } from '../src/finance/finance.fixtures.js';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

/** Billing goods received outside purchase orders off 2310, and paying and aging those bills. */
describe.each(harnessDialects(pgUrl))('ERP supplier bills on %s', (dialect) => {
  const rig = purchaseOrderRig(dialect);
  const {
    ok,
    call,
    product,
    order,
    receipt,
    deliverOwnEvents: postToJournal,
    supplierPayment: payment,
  } = rig;
  /** A direct store delivery: stock received at S1 with its cost, outside any order. Its movement id. */
  const delivered = async (sku: string, quantity: number, unitCost: number) => {
    const id = uniqueName('dsd');
    await ok('POST', '/inventory/adjustments', {
      id,
      sku,
      locationId: 'S1',
      delta: quantity,
      reason: 'received',
      occurredAt: '2026-10-30T06:00:00Z',
      unitCost,
    });
    return `adjustment/${id}`;
  };
  const bill = (supplierId: string, receipts: string[], total: number, extra: object = {}) => ({
    id: uniqueName('bill'),
    supplierId,
    supplierName: 'Bakkerij de Vries',
    supplierInvoiceNumber: uniqueName('DV'),
    currency: 'EUR',
    receipts,
    total,
    ...extra,
  });
  const entriesOf = async (kind: string) => {
    await rig.erp().allFinished();
    return (await ok('GET', `/finance/journal?kind=${kind}&limit=500`)).entries as any[];
  };
  const unbilled = async () =>
    (
      (await ok('GET', '/finance/unbilled-receipts?currency=EUR&locationId=S1&limit=500')).receipts as any[]
    ).map((row) => row.movementId);
  const statementOf = async (supplierId: string) =>
    ((await ok('GET', `/finance/payables/${supplierId}`)).invoices as any[]).map((row) => [
      row.invoiceId ?? row.billId,
      row.purchaseOrderId,
      row.open,
    ]);

  it('bills a direct delivery off 2310, then pays it with an order invoice and ages it reconciled', async () => {
    const supplierId = uniqueName('bakery');
    const sku = await product();
    const movementId = await delivered(sku, 10, 120);
    const body = bill(supplierId, [movementId], 1_300, { invoicedAt: '2026-10-31T00:00:00Z' });
    // The valuation has not booked the delivery yet: what it is worth is not known.
    expect(await call('POST', '/finance/supplier-bills', body)).toMatchObject({
      status: 409,
      body: { code: 'bill_receipt_not_booked', movementIds: [movementId] },
    });
    await postToJournal();
    expect(await unbilled()).toContain(movementId);

    const taken = await call('POST', '/finance/supplier-bills', body);
    const recorded = {
      billId: body.id,
      supplierId,
      supplierName: 'Bakkerij de Vries',
      supplierInvoiceNumber: body.supplierInvoiceNumber,
      currency: 'EUR',
      total: 1_300,
      matched: 1_200,
      invoicedAt: '2026-10-31T00:00:00.000Z',
      dueAt: '2026-11-30T00:00:00.000Z',
      locationId: 'S1',
      receipts: [{ movementId, sku, locationId: 'S1', quantity: 10, value: 1_200 }],
      expenses: [],
    };
    expect(taken).toEqual({ status: 201, body: { ...recorded, paid: 0, open: 1_300 } });
    expect(await ok('GET', `/finance/supplier-bills/${body.id}`)).toEqual(taken.body);
    const [entry] = (await entriesOf('supplier_bill')).filter((posted) => posted.sourceId === body.id);
    expect(entry).toMatchObject({
      locationId: 'S1',
      currency: 'EUR',
      occurredAt: '2026-10-31T00:00:00.000Z',
    });
    expect(signed(entry.lines)).toEqual({ '2310': 1_200, '2000': -1_300, '5200': 100 });
    // 2310 is cleared for it: the delivery's credit and the bill's debit.
    const received = (await entriesOf('goods_received')).find((posted) => posted.sourceId === movementId);
    expect(signed(received.lines)['2310']! + signed(entry.lines)['2310']!).toBe(0);
    expect(await unbilled()).not.toContain(movementId);
    const events = (await rig.erp().published()).filter(
      (event) => event.subject === `supplier-bill/${body.id}`,
    );
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['erp.supplier_bill.recorded', recorded],
    ]);

    expect(await call('POST', '/finance/supplier-bills', body)).toEqual({ status: 200, body: taken.body });
    expect(await call('POST', '/finance/supplier-bills', { ...body, total: 1_200 })).toMatchObject({
      status: 409,
      body: { code: 'id_conflict' },
    });

    // The same supplier's order invoice, due long before the bill.
    const orderSku = await product();
    const po = {
      ...order([{ sku: orderSku, quantity: 4, unitCost: 100 }]),
      supplier: { id: supplierId, name: 'Bakkerij de Vries' },
    };
    await ok('POST', '/purchase-orders', po);
    await ok('POST', `/purchase-orders/${po.id}/submit`);
    await ok('POST', `/purchase-orders/${po.id}/receipts`, receipt([{ sku: orderSku, quantity: 4 }]));
    const invoiceId = uniqueName('inv');
    await ok('POST', `/purchase-orders/${po.id}/invoices`, {
      id: invoiceId,
      supplierInvoiceNumber: uniqueName('NR'),
      invoicedAt: '2026-09-01T00:00:00Z',
      lines: [{ sku: orderSku, quantity: 4, unitCost: 100 }],
    });
    expect(await statementOf(supplierId)).toEqual([
      [invoiceId, po.id, 400],
      [body.id, null, 1_300],
    ]);

    const oldestFirst = await ok('POST', '/finance/supplier-payments', payment(supplierId, 1_000));
    expect(oldestFirst).toMatchObject({
      allocations: [{ invoiceId, purchaseOrderId: po.id, amount: 400, open: 0 }],
      bills: [{ billId: body.id, supplierInvoiceNumber: body.supplierInvoiceNumber, amount: 600, open: 700 }],
    });
    expect(await statementOf(supplierId)).toEqual([[body.id, null, 700]]);
    const named = payment(supplierId, 700, { bills: [{ billId: body.id, amount: 700 }] });
    const rest = await ok('POST', '/finance/supplier-payments', named);
    expect(rest).toMatchObject({ allocations: [], bills: [{ billId: body.id, amount: 700, open: 0 }] });
    expect(await ok('GET', `/finance/supplier-payments/${named.id}`)).toEqual(rest);
    const published = (await rig.erp().published()).find(
      (event) => event.subject === `supplier-payment/${named.id}`,
    );
    expect(published?.data).toEqual(rest);
    expect(await ok('GET', `/finance/supplier-bills/${body.id}`)).toMatchObject({ paid: 1_300, open: 0 });
    expect(await call('POST', '/finance/supplier-payments', payment(supplierId, 1))).toMatchObject({
      status: 409,
      body: { code: 'supplier_payment_exceeds_open', open: 0 },
    });

    // Another bill left open ages beside the orders' invoices, and the books agree (2000 = invoices + bills).
    const later = await delivered(sku, 5, 120);
    await postToJournal();
    const open = bill(supplierId, [later], 650, { invoicedAt: '2026-09-15T00:00:00Z' });
    await ok('POST', '/finance/supplier-bills', open);
    await postToJournal();
    const eur = (await ok('GET', '/finance/payables?currency=EUR')).currencies[0];
    expect(eur).toMatchObject({ reconciled: true });
    expect(eur.suppliers.find((row: any) => row.supplierId === supplierId)).toEqual({
      supplierId,
      supplierName: 'Bakkerij de Vries',
      open: 650,
      invoices: 1,
      buckets: { notDue: 0, overdue1To30: 650, overdue31To60: 0, overdue61To90: 0, overdueOver90: 0 },
    });
  });

  it('refuses what is not a billable receipt or not a new bill, writing nothing', async () => {
    const supplierId = uniqueName('bakery');
    const sku = await product();
    const dollarSku = await product({ price: { amount: 900, currency: 'USD' } });
    const booked = await delivered(sku, 2, 100);
    const dollars = await delivered(dollarSku, 2, 100);
    await postToJournal();
    const orderSku = await product();
    const orderId = await rig.ordered([{ sku: orderSku, quantity: 2, unitCost: 100 }]);
    await ok('POST', `/purchase-orders/${orderId}/receipts`, receipt([{ sku: orderSku, quantity: 2 }]));
    await postToJournal();
    const [poReceipt] = ((await ok('GET', `/inventory/${orderSku}/movements`)).movements as any[]).map(
      (row) => row.id,
    );
    const first = bill(supplierId, [booked], 200, { supplierInvoiceNumber: 'DV 0077' });
    await ok('POST', '/finance/supplier-bills', first);
    const other = await delivered(sku, 1, 100);
    await postToJournal();
    // Received after the last delivery of events to the valuation: not booked.
    const notYet = await delivered(sku, 1, 100);
    const billsBefore = (await entriesOf('supplier_bill')).length;

    const refusals: Array<[object, number, object]> = [
      [
        bill(supplierId, [other, 'no-such'], 100),
        404,
        { code: 'bill_receipt_not_found', movementIds: ['no-such'] },
      ],
      [
        bill(supplierId, [poReceipt], 100),
        422,
        { code: 'bill_receipt_not_outside_order', movementIds: [poReceipt] },
      ],
      [bill(supplierId, [notYet], 100), 409, { code: 'bill_receipt_not_booked', movementIds: [notYet] }],
      [
        bill(supplierId, [other, booked], 100),
        409,
        { code: 'bill_receipt_already_billed', receipts: [{ movementId: booked, billId: first.id }] },
      ],
      [
        bill(supplierId, [dollars], 100),
        422,
        { code: 'bill_receipt_currency_mismatch', movementIds: [dollars] },
      ],
      [
        bill(supplierId, [other], 100, { supplierInvoiceNumber: 'dv0077' }),
        409,
        { code: 'supplier_invoice_number_taken', billId: first.id },
      ],
      [
        bill(supplierId, [other], 100, { invoicedAt: '2026-10-15T00:00:00Z', dueAt: '2026-10-14T00:00:00Z' }),
        422,
        { code: 'invoice_due_before_date' },
      ],
      [
        bill(supplierId, [other], 100, { invoicedAt: '2026-11-01T09:01:00.001Z' }),
        422,
        { code: 'invoice_in_future' },
      ],
      [bill(supplierId, [other, other], 100), 400, { code: 'duplicate_line', movementIds: [other] }],
      [bill(supplierId, [other], 0), 400, { code: 'validation_failed' }],
      [bill(supplierId, [], 100), 400, { code: 'supplier_bill_empty' }],
      [bill(supplierId, [other], 100, { discount: 5 }), 400, { code: 'validation_failed' }],
    ];
    for (const [body, status, problem] of refusals) {
      const answer = await call('POST', '/finance/supplier-bills', body);
      expect(answer, JSON.stringify(body)).toMatchObject({ status, body: problem });
      expect(answer.body.type).toBeDefined();
      const { id } = body as { id: string };
      expect((await call('GET', `/finance/supplier-bills/${id}`)).body.code).toBe('supplier_bill_not_found');
    }
    expect(await entriesOf('supplier_bill')).toHaveLength(billsBefore);
    expect(await unbilled()).toContain(other);
    expect(
      await call(
        'POST',
        '/finance/supplier-payments',
        payment(supplierId, 1, { bills: [{ billId: 'nope', amount: 1 }] }),
      ),
    ).toMatchObject({
      status: 404,
      body: { code: 'supplier_bill_not_found', billIds: ['nope'] },
    });
  });

  it('takes one of four bills of the same delivery sent at once, and one of eight payments of a bill', async () => {
    const supplierId = uniqueName('bakery');
    const sku = await product();
    const movementId = await delivered(sku, 3, 100);
    await postToJournal();
    const rivals = await Promise.all(
      Array.from({ length: 4 }, () =>
        call('POST', '/finance/supplier-bills', bill(supplierId, [movementId], 300)),
      ),
    );
    expect(rivals.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409]);
    const winner = rivals.find((answer) => answer.status === 201)!.body;
    for (const answer of rivals.filter((refused) => refused.status === 409))
      expect(answer.body).toMatchObject({
        code: 'bill_receipt_already_billed',
        receipts: [{ movementId, billId: winner.billId }],
      });
    expect(
      (await entriesOf('supplier_bill')).filter((entry) => entry.sourceId.startsWith('bill')),
    ).toContainEqual(expect.objectContaining({ sourceId: winner.billId }));

    const payments = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(
          'POST',
          '/finance/supplier-payments',
          payment(supplierId, 300, { bills: [{ billId: winner.billId, amount: 300 }] }),
        ),
      ),
    );
    expect(payments.map((answer) => answer.status).sort()).toEqual([201, ...Array<number>(7).fill(409)]);
    expect(await statementOf(supplierId)).toEqual([]);
  });
});
