import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { signed } from '../src/finance/finance.fixtures.js';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

/** Paying suppliers' invoices and the payables aging, on the invoices purchase orders matched. */
describe.each(harnessDialects(pgUrl))('ERP accounts payable on %s', (dialect) => {
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

  /** A supplier of its own with an order of `units` at 1.00 received in full, and invoices matched to it. */
  const supplierWith = async (
    invoices: Array<{ quantity: number; invoicedAt: string; dueAt?: string }>,
    units = 10,
  ) => {
    const supplierId = uniqueName('sup');
    const sku = await product();
    const body = {
      ...order([{ sku, quantity: units, unitCost: 100 }]),
      supplier: { id: supplierId, name: 'Nordic Rain' },
    };
    await ok('POST', '/purchase-orders', body);
    await ok('POST', `/purchase-orders/${body.id}/submit`);
    await ok('POST', `/purchase-orders/${body.id}/receipts`, receipt([{ sku, quantity: units }]));
    const ids: string[] = [];
    for (const { quantity, ...dates } of invoices) {
      const id = uniqueName('inv');
      await ok('POST', `/purchase-orders/${body.id}/invoices`, {
        id,
        supplierInvoiceNumber: uniqueName('NR'),
        lines: [{ sku, quantity, unitCost: 100 }],
        ...dates,
      });
      ids.push(id);
    }
    return { supplierId, purchaseOrderId: body.id, invoiceIds: ids };
  };
  const openOf = async (supplierId: string) =>
    ((await ok('GET', `/finance/payables/${supplierId}`)).invoices as any[]).map((invoice) => [
      invoice.invoiceId,
      invoice.open,
    ]);
  /** The journal's payment entries, once every commit before is readable (gap-safe on PostgreSQL). */
  const paymentEntries = async () => {
    await rig.erp().allFinished();
    return (await ok('GET', '/finance/journal?kind=supplier_payment&limit=500')).entries as any[];
  };

  it('pays the oldest due first, books it against the bank, publishes it and ages what is left', async () => {
    // The harness clock stands at 2026-11-01T09:00Z. A is 31 days past due (net 30), B not due yet.
    const { supplierId, purchaseOrderId, invoiceIds } = await supplierWith([
      { quantity: 6, invoicedAt: '2026-10-20T00:00:00Z', dueAt: '2026-11-10T00:00:00Z' },
      { quantity: 4, invoicedAt: '2026-09-01T09:00:00Z' },
    ]);
    const [b, a] = invoiceIds as [string, string];
    const statement = await ok('GET', `/finance/payables/${supplierId}`);
    expect(statement.invoices).toMatchObject([
      {
        invoiceId: a,
        purchaseOrderId,
        total: 400,
        paid: 0,
        open: 400,
        dueAt: '2026-10-01T09:00:00.000Z',
        daysOverdue: 31,
      },
      { invoiceId: b, total: 600, open: 600, dueAt: '2026-11-10T00:00:00.000Z', daysOverdue: 0 },
    ]);

    const paid = payment(supplierId, 500, { reference: 'SEPA-0042' });
    const taken = await call('POST', '/finance/supplier-payments', paid);
    const recorded = {
      paymentId: paid.id,
      supplierId,
      currency: 'EUR',
      amount: 500,
      paidAt: '2026-11-01T09:00:00.000Z',
      reference: 'SEPA-0042',
      allocations: [
        { invoiceId: a, purchaseOrderId, supplierInvoiceNumber: expect.any(String), amount: 400, open: 0 },
        { invoiceId: b, purchaseOrderId, supplierInvoiceNumber: expect.any(String), amount: 100, open: 500 },
      ],
    };
    expect(taken).toMatchObject({ status: 201, body: recorded });
    expect(await ok('GET', `/finance/supplier-payments/${paid.id}`)).toEqual(taken.body);
    expect(await openOf(supplierId)).toEqual([[b, 500]]);
    const published = (await rig.erp().published()).filter(
      (event) => event.subject === `supplier-payment/${paid.id}`,
    );
    expect(published.map((event) => [event.type, event.data])).toEqual([
      ['erp.supplier_payment.recorded', taken.body],
    ]);
    const [entry] = (await paymentEntries()).filter((posted) => posted.sourceId === paid.id);
    expect(entry).toMatchObject({
      occurredAt: '2026-11-01T09:00:00.000Z',
      currency: 'EUR',
      locationId: null,
    });
    expect(signed(entry.lines)).toEqual({ '2000': 500, '1050': -500 });

    // The same payment sent again is answered as recorded, not paid twice; another body under its id is refused.
    expect(await call('POST', '/finance/supplier-payments', paid)).toEqual({ status: 200, body: taken.body });
    expect(await call('POST', '/finance/supplier-payments', { ...paid, amount: 400 })).toMatchObject({
      status: 409,
      body: { code: 'id_conflict' },
    });
    expect(await openOf(supplierId)).toEqual([[b, 500]]);

    await postToJournal();
    const aging = await ok('GET', '/finance/payables?currency=EUR');
    const eur = aging.currencies[0];
    expect(eur).toMatchObject({ currency: 'EUR', reconciled: true });
    expect(eur.ledgerBalance).toBe(eur.open);
    expect(eur.suppliers.find((row: any) => row.supplierId === supplierId)).toEqual({
      supplierId,
      supplierName: 'Nordic Rain',
      open: 500,
      invoices: 1,
      buckets: { notDue: 500, overdue1To30: 0, overdue31To60: 0, overdue61To90: 0, overdueOver90: 0 },
    });

    // As things stood on 25 October: both invoices in, the payment not made yet, A 24 days late.
    const before = await ok('GET', '/finance/payables?asOf=2026-10-25T00:00:00Z');
    expect(before.asOf).toBe('2026-10-25T00:00:00.000Z');
    expect(before.currencies[0]).toMatchObject({ reconciled: true });
    expect(before.currencies[0].suppliers.find((row: any) => row.supplierId === supplierId)).toMatchObject({
      open: 1000,
      invoices: 2,
      buckets: { notDue: 600, overdue1To30: 400 },
    });
  });

  it('pays invoices as allocated, and refuses what would pay a bill twice or the wrong one, writing nothing', async () => {
    const { supplierId, invoiceIds } = await supplierWith([
      { quantity: 5, invoicedAt: '2026-10-01T00:00:00Z' },
    ]);
    const [mine] = invoiceIds as [string];
    const other = await supplierWith([{ quantity: 5, invoicedAt: '2026-10-01T00:00:00Z' }]);
    const entriesBefore = (await paymentEntries()).length;
    const refusals: Array<[object, number, object]> = [
      [
        payment(supplierId, 300, { allocations: [{ invoiceId: mine, amount: 200 }] }),
        422,
        { code: 'supplier_payment_allocation_mismatch', allocated: 200 },
      ],
      [
        payment(supplierId, 600, { allocations: [{ invoiceId: mine, amount: 600 }] }),
        409,
        { code: 'supplier_payment_exceeds_open', invoices: [{ invoiceId: mine, open: 500 }] },
      ],
      [payment(supplierId, 600), 409, { code: 'supplier_payment_exceeds_open', open: 500 }],
      [
        payment(supplierId, 100, { allocations: [{ invoiceId: 'no-such-invoice', amount: 100 }] }),
        404,
        { code: 'supplier_invoice_not_found', invoiceIds: ['no-such-invoice'] },
      ],
      [
        payment(supplierId, 100, { allocations: [{ invoiceId: other.invoiceIds[0], amount: 100 }] }),
        422,
        { code: 'supplier_invoice_other_supplier', invoiceIds: other.invoiceIds },
      ],
      [
        payment(supplierId, 100, { currency: 'USD', allocations: [{ invoiceId: mine, amount: 100 }] }),
        422,
        { code: 'supplier_invoice_other_supplier' },
      ],
      [
        payment(supplierId, 200, {
          allocations: [
            { invoiceId: mine, amount: 100 },
            { invoiceId: mine, amount: 100 },
          ],
        }),
        400,
        { code: 'duplicate_line', invoiceIds: [mine] },
      ],
      // Paid on 30 September, before the invoice of 1 October: whether named or left to the oldest first.
      [
        payment(supplierId, 100, {
          paidAt: '2026-09-30T10:00:00Z',
          allocations: [{ invoiceId: mine, amount: 100 }],
        }),
        422,
        { code: 'supplier_payment_before_invoice', invoiceIds: [mine] },
      ],
      [
        payment(supplierId, 100, { paidAt: '2026-09-30T10:00:00Z' }),
        409,
        { code: 'supplier_payment_exceeds_open', open: 0 },
      ],
      [
        payment(supplierId, 100, { paidAt: '2026-11-01T09:01:00.001Z' }),
        422,
        { code: 'supplier_payment_in_future' },
      ],
      [payment(supplierId, 0), 400, { code: 'validation_failed' }],
      [payment(supplierId, '100' as unknown as number), 400, { code: 'validation_failed' }],
      [payment(supplierId, 100, { allocations: [] }), 400, { code: 'validation_failed' }],
      [payment(supplierId, 100, { discount: 5 }), 400, { code: 'validation_failed' }],
    ];
    for (const [body, status, problem] of refusals) {
      const answer = await call('POST', '/finance/supplier-payments', body);
      expect(answer, JSON.stringify(body)).toMatchObject({ status, body: problem });
      expect(answer.body.type).toBeDefined();
      const { id } = body as { id: string };
      expect((await call('GET', `/finance/supplier-payments/${id}`)).body.code).toBe(
        'supplier_payment_not_found',
      );
    }
    expect(await openOf(supplierId)).toEqual([[mine, 500]]);
    expect(await paymentEntries()).toHaveLength(entriesBefore);

    // A refused id was not taken: sent again with a body that adds up, it pays.
    const [first] = refusals[0]!;
    const fixed = { ...first, amount: 200 };
    expect(await call('POST', '/finance/supplier-payments', fixed)).toMatchObject({
      status: 201,
      body: { allocations: [{ invoiceId: mine, amount: 200, open: 300 }] },
    });
    await ok(
      'POST',
      '/finance/supplier-payments',
      payment(supplierId, 300, { allocations: [{ invoiceId: mine, amount: 300 }] }),
    );
    expect(await openOf(supplierId)).toEqual([]);
    expect(await call('POST', '/finance/supplier-payments', payment(supplierId, 1))).toMatchObject({
      status: 409,
      body: { code: 'supplier_payment_exceeds_open', open: 0 },
    });
  });

  it('takes one of eight payments of the same bill sent at once, and one payment sent four times once', async () => {
    const { supplierId } = await supplierWith([{ quantity: 3, invoicedAt: '2026-10-01T00:00:00Z' }]);
    const rivals = await Promise.all(
      Array.from({ length: 8 }, () => call('POST', '/finance/supplier-payments', payment(supplierId, 300))),
    );
    expect(rivals.map((answer) => answer.status).sort()).toEqual([201, ...Array<number>(7).fill(409)]);

    const next = await supplierWith([{ quantity: 2, invoicedAt: '2026-10-01T00:00:00Z' }]);
    const once = payment(next.supplierId, 200, {
      allocations: [{ invoiceId: next.invoiceIds[0], amount: 200 }],
    });
    const retries = await Promise.all(
      Array.from({ length: 4 }, () => call('POST', '/finance/supplier-payments', once)),
    );
    expect(retries.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(retries.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect((await paymentEntries()).filter((entry) => entry.sourceId === once.id)).toHaveLength(1);
    expect(await openOf(supplierId)).toEqual([]);
    expect(await openOf(next.supplierId)).toEqual([]);
  });

  it('lists a supplier’s payments in the order they were made, page by page, within a period', async () => {
    const { supplierId } = await supplierWith([{ quantity: 10, invoicedAt: '2026-09-01T00:00:00Z' }]);
    const other = await supplierWith([{ quantity: 1, invoicedAt: '2026-09-01T00:00:00Z' }]);
    // Recorded out of order: a clerk enters last month's cheques after today's transfer.
    const made = [
      payment(supplierId, 100, { id: uniqueName('pay-c'), paidAt: '2026-10-20T10:00:00Z' }),
      payment(supplierId, 200, { id: uniqueName('pay-a'), paidAt: '2026-10-05T10:00:00Z' }),
      payment(supplierId, 300, { id: uniqueName('pay-b'), paidAt: '2026-10-05T10:00:00Z' }),
      payment(supplierId, 50, { id: uniqueName('pay-d'), paidAt: '2026-10-31T23:00:00Z' }),
      payment(other.supplierId, 100, { paidAt: '2026-10-06T00:00:00Z' }),
    ];
    for (const body of made) await ok('POST', '/finance/supplier-payments', body);

    const pages: any[] = [];
    let after: string | null = '';
    while (after !== null) {
      const page: any = await ok(
        'GET',
        `/finance/supplier-payments?supplierId=${supplierId}&limit=2${after ? `&after=${after}` : ''}`,
      );
      pages.push(page.payments.map((listed: any) => listed.amount));
      after = page.next;
    }
    expect(pages).toEqual([
      [200, 300],
      [100, 50],
    ]);
    const [first] = (await ok('GET', `/finance/supplier-payments?supplierId=${supplierId}&limit=1`)).payments;
    expect(first).toEqual(await ok('GET', `/finance/supplier-payments/${made[1]!.id}`));

    const october = await ok(
      'GET',
      `/finance/supplier-payments?supplierId=${supplierId}&from=2026-10-06T00:00:00Z&to=2026-10-31T23:00:00Z`,
    );
    expect(october.payments.map((listed: any) => listed.paymentId)).toEqual([made[0]!.id]);
    expect(october.next).toBeNull();
    for (const query of ['after=no-such-payment', 'limit=0', 'limit=501', 'from=yesterday', 'supplier=x'])
      expect(await call('GET', `/finance/supplier-payments?${query}`)).toMatchObject({
        status: 400,
        body: { code: query.startsWith('after') ? 'invalid_cursor' : 'validation_failed' },
      });
  });

  it('keeps the due date an invoice gives, refuses one before its date, and falls back to net 30', async () => {
    const sku = await product();
    const body = order([{ sku, quantity: 2, unitCost: 100 }]);
    await ok('POST', '/purchase-orders', body);
    await ok('POST', `/purchase-orders/${body.id}/submit`);
    await ok('POST', `/purchase-orders/${body.id}/receipts`, receipt([{ sku, quantity: 2 }]));
    const invoicesOf = `/purchase-orders/${body.id}/invoices`;
    const early = {
      id: uniqueName('inv'),
      supplierInvoiceNumber: uniqueName('NR'),
      invoicedAt: '2026-10-15T00:00:00Z',
      dueAt: '2026-10-14T23:59:59Z',
      lines: [{ sku, quantity: 1, unitCost: 100 }],
    };
    expect(await call('POST', invoicesOf, early)).toMatchObject({
      status: 422,
      body: { code: 'invoice_due_before_date' },
    });
    expect((await ok('GET', `/purchase-orders/${body.id}`)).invoices).toEqual([]);
    const given = await ok('POST', invoicesOf, { ...early, dueAt: '2026-11-14T12:00:00+01:00' });
    expect(given.invoices[0]).toMatchObject({ dueAt: '2026-11-14T11:00:00.000Z' });
    const { dueAt: _dueAt, ...net } = {
      ...early,
      id: uniqueName('inv'),
      supplierInvoiceNumber: uniqueName('NR'),
    };
    const fallback = await ok('POST', invoicesOf, net);
    expect(fallback.invoices[1]).toMatchObject({ dueAt: '2026-11-14T00:00:00.000Z' });
    const invoiced = (await rig.erp().published()).filter(
      (event) =>
        event.type === 'erp.purchase_order.invoiced' && event.subject === `purchase-order/${body.id}`,
    );
    expect(invoiced.map((event) => (event.data as any).invoice.dueAt)).toEqual([
      '2026-11-14T11:00:00.000Z',
      '2026-11-14T00:00:00.000Z',
    ]);
  });
});
