import { beforeAll, describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

type Line = { sku: string; quantity: number; unitCost: number };

describe.each(harnessDialects(pgUrl))(
  'ERP purchase orders match supplier invoices on a real %s database',
  (dialect) => {
    const {
      erp: erpOf,
      call,
      ok,
      product,
      stockAt,
      order,
      ordered,
      receipt,
      eventsOf,
      expectLedgerTrue,
    } = purchaseOrderRig(dialect);
    const invoice = (lines: Line[], extra: object = {}) => ({
      id: uniqueName('inv'),
      supplierInvoiceNumber: uniqueName('ACME-INV'),
      lines,
      ...extra,
    });
    const invoicesOf = (id: string) => `/purchase-orders/${id}/invoices`;

    it('bills what arrived at its own price, matched at the agreed cost, and publishes it', async () => {
      const [a, b, extra] = [await product(), await product(), await product()];
      const body = order([
        { sku: a, quantity: 10, unitCost: 450 },
        { sku: b, quantity: 4, unitCost: 1200 },
      ]);
      await ok('POST', '/purchase-orders', body);
      await ok('POST', `/purchase-orders/${body.id}/submit`);
      const delivery = receipt([
        { sku: a, quantity: 6 },
        { sku: extra, quantity: 1 },
      ]);
      const received = await ok('POST', `/purchase-orders/${body.id}/receipts`, delivery);
      const before = await stockAt(a, 'W1');

      // The supplier bills the received units of A at 4.60 where the order agreed 4.50.
      const bill = invoice([{ sku: a, quantity: 6, unitCost: 460 }], {
        invoicedAt: '2026-10-31T00:00:00+01:00',
      });
      const taken = await call('POST', invoicesOf(body.id), bill);

      const listed = {
        invoiceId: bill.id,
        supplierInvoiceNumber: bill.supplierInvoiceNumber,
        invoicedAt: '2026-10-30T23:00:00.000Z',
        // No due date on it: net 30, ERP's default terms.
        dueAt: '2026-11-29T23:00:00.000Z',
        total: 6 * 460,
        matched: 6 * 450,
      };
      expect(taken).toMatchObject({
        status: 201,
        body: { status: 'partially_received', version: 3, invoices: [listed], receipts: received.receipts },
      });
      expect(taken.body.lines.map((line: { invoiced: number }) => line.invoiced)).toEqual([6, 0, 0]);
      expect(await ok('GET', `/purchase-orders/${body.id}`)).toEqual(taken.body);
      expect((await ok('GET', `/purchase-orders?sku=${a}`)).purchaseOrders).toEqual([taken.body]);
      // An invoice moves no stock: it settles what the receipt brought in.
      expect(await stockAt(a, 'W1')).toEqual(before);

      const events = await eventsOf(body.id);
      expect(events.map((event) => [event.type, event.sequence])).toEqual([
        ['erp.purchase_order.submitted', 1],
        ['erp.purchase_order.received', 2],
        ['erp.purchase_order.invoiced', 3],
      ]);
      expect(events[2]!.data).toEqual({
        purchaseOrderId: body.id,
        version: 3,
        status: 'partially_received',
        supplier: body.supplier,
        locationId: 'W1',
        currency: 'EUR',
        expectedAt: '2026-11-08T09:00:00.000Z',
        lines: [
          { sku: a, quantity: 10, unitCost: 450, received: 6 },
          { sku: b, quantity: 4, unitCost: 1200, received: 0 },
          { sku: extra, quantity: 0, unitCost: null, received: 1 },
        ],
        total: 9300,
        discrepancies: [],
        occurredAt: erpOf().clock.now().toISOString(),
        invoice: {
          invoiceId: bill.id,
          supplierInvoiceNumber: bill.supplierInvoiceNumber,
          lines: [{ sku: a, quantity: 6, unitCost: 460, orderedUnitCost: 450 }],
          total: 2760,
          matched: 2700,
          invoicedAt: '2026-10-30T23:00:00.000Z',
          dueAt: '2026-11-29T23:00:00.000Z',
        },
      });

      // B arrives in full and closes the order; it can be billed then, A no more.
      await ok('POST', `/purchase-orders/${body.id}/receipts`, receipt([{ sku: b, quantity: 4 }]));
      const rest = invoice([{ sku: b, quantity: 4, unitCost: 1200 }]);
      const second = await ok('POST', invoicesOf(body.id), rest);
      expect(second).toMatchObject({ status: 'partially_received', version: 5 });
      expect(second.invoices.map((listedOne: { invoiceId: string }) => listedOne.invoiceId)).toEqual([
        bill.id,
        rest.id,
      ]);
      expect(second.invoices[1]).toMatchObject({ invoicedAt: erpOf().clock.now().toISOString() });
      const more = await call('POST', invoicesOf(body.id), invoice([{ sku: a, quantity: 1, unitCost: 450 }]));
      expect(more).toMatchObject({ status: 422, body: { code: 'invoice_exceeds_receipts', skus: [a] } });
      await expectLedgerTrue();
    });

    it('answers a retry 200 with the order as it is now, and another body under the id 409', async () => {
      const sku = await product();
      const id = await ordered([{ sku, quantity: 10, unitCost: 100 }]);
      await ok('POST', `/purchase-orders/${id}/receipts`, receipt([{ sku, quantity: 10 }]));
      const bill = invoice([{ sku, quantity: 4, unitCost: 100 }]);
      expect((await call('POST', invoicesOf(id), bill)).status).toBe(201);
      await ok('POST', invoicesOf(id), invoice([{ sku, quantity: 1, unitCost: 100 }]));

      const replayed = await call('POST', invoicesOf(id), bill);
      expect(replayed).toMatchObject({ status: 200, body: { version: 4 } });
      expect(replayed.body.invoices).toHaveLength(2);
      expect(replayed.body.lines[0]).toMatchObject({ received: 10, invoiced: 5 });

      const other = await ordered([{ sku, quantity: 10, unitCost: 100 }]);
      await ok('POST', `/purchase-orders/${other}/receipts`, receipt([{ sku, quantity: 10 }]));
      for (const [orderId, body] of [
        [id, { ...bill, lines: [{ sku, quantity: 3, unitCost: 100 }] }],
        [id, { ...bill, supplierInvoiceNumber: 'ANOTHER' }],
        [id, { ...bill, invoicedAt: '2026-10-01T00:00:00Z' }],
        [other, bill],
      ] as const)
        expect(await call('POST', invoicesOf(orderId), body)).toMatchObject({
          status: 409,
          body: { code: 'id_conflict' },
        });
      expect(await ok('GET', `/purchase-orders/${other}`)).toMatchObject({ version: 2, invoices: [] });
      expect(
        (await eventsOf(id)).filter((event) => event.type === 'erp.purchase_order.invoiced'),
      ).toHaveLength(2);
    });

    it('refuses a supplier invoice number entered again under a new id, and writes nothing', async () => {
      const sku = await product();
      const id = await ordered([{ sku, quantity: 10, unitCost: 100 }]);
      await ok('POST', `/purchase-orders/${id}/receipts`, receipt([{ sku, quantity: 10 }]));
      const bill = invoice([{ sku, quantity: 4, unitCost: 100 }]);
      await ok('POST', invoicesOf(id), bill);

      // Another clerk types the same paper invoice: 8 of 10 received would still pass the three-way match.
      const typedAgain = invoice([{ sku, quantity: 4, unitCost: 100 }], {
        supplierInvoiceNumber: ` ${bill.supplierInvoiceNumber.toLowerCase()} `,
      });
      expect(await call('POST', invoicesOf(id), typedAgain)).toMatchObject({
        status: 409,
        body: {
          code: 'supplier_invoice_number_taken',
          document: 'invoice',
          invoiceId: bill.id,
          purchaseOrderId: id,
        },
      });
      const now = await ok('GET', `/purchase-orders/${id}`);
      expect(now).toMatchObject({ version: 3, invoices: [{ invoiceId: bill.id }] });
      expect(now.lines[0]).toMatchObject({ invoiced: 4 });
      // Its id was not taken by the refusal: sent with its own number, it is matched.
      const corrected = { ...typedAgain, supplierInvoiceNumber: uniqueName('ACME-INV') };
      expect((await call('POST', invoicesOf(id), corrected)).status).toBe(201);

      // One invoice covering two orders is matched to each under its number.
      const other = await ordered([{ sku, quantity: 5, unitCost: 100 }]);
      await ok('POST', `/purchase-orders/${other}/receipts`, receipt([{ sku, quantity: 5 }]));
      const sameNumber = invoice([{ sku, quantity: 5, unitCost: 100 }], {
        supplierInvoiceNumber: bill.supplierInvoiceNumber,
      });
      expect((await call('POST', invoicesOf(other), sameNumber)).status).toBe(201);
      await expectLedgerTrue();
    });

    it('takes the same invoice sent four times at once once', async () => {
      const sku = await product();
      const id = await ordered([{ sku, quantity: 10, unitCost: 100 }]);
      await ok('POST', `/purchase-orders/${id}/receipts`, receipt([{ sku, quantity: 10 }]));
      const bill = invoice([{ sku, quantity: 7, unitCost: 105 }]);

      const results = await Promise.all(Array.from({ length: 4 }, () => call('POST', invoicesOf(id), bill)));

      expect(results.map((result) => result.status).sort()).toEqual([200, 200, 200, 201]);
      const now = await ok('GET', `/purchase-orders/${id}`);
      expect(now).toMatchObject({ version: 3, invoices: [{ invoiceId: bill.id, total: 735, matched: 700 }] });
      expect(now.lines[0]).toMatchObject({ received: 10, invoiced: 7 });
      expect((await eventsOf(id)).map((event) => event.sequence)).toEqual([1, 2, 3]);
    });

    it('refuses to invoice a draft or a cancelled order, and an unknown one is 404', async () => {
      const sku = await product();
      const draft = order([{ sku, quantity: 1, unitCost: 100 }]);
      await ok('POST', '/purchase-orders', draft);
      const cancelled = await ordered([{ sku, quantity: 1, unitCost: 100 }]);
      await ok('POST', `/purchase-orders/${cancelled}/cancel`);
      for (const id of [draft.id, cancelled])
        expect(
          await call('POST', invoicesOf(id), invoice([{ sku, quantity: 1, unitCost: 100 }])),
        ).toMatchObject({ status: 409, body: { code: 'purchase_order_state' } });
      expect(
        await call('POST', invoicesOf('NO-SUCH-PO'), invoice([{ sku, quantity: 1, unitCost: 100 }])),
      ).toMatchObject({ status: 404, body: { code: 'purchase_order_not_found' } });
    });

    it('lets only a key with erp:write invoice', async () => {
      const reader = (await erpOf().apiKeys.create({ name: uniqueName('reader'), scopes: ['erp:read'] }))
        .secret;
      const response = await erpOf().app.inject({
        method: 'POST',
        url: `/erp/v1${invoicesOf('NO-SUCH-PO')}`,
        headers: { authorization: `Bearer ${reader}` },
        payload: invoice([{ sku: 'A', quantity: 1, unitCost: 1 }]),
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ code: 'insufficient_scope' });
    });

    describe('refuses a bad invoice with its code, never a 500, and writes nothing', () => {
      let sku: string;
      let unordered: string;
      let id: string;
      beforeAll(async () => {
        [sku, unordered] = [await product(), await product()];
        id = await ordered([{ sku, quantity: 10, unitCost: 100 }]);
        const delivery = [
          { sku, quantity: 5 },
          { sku: unordered, quantity: 2 },
        ];
        await ok('POST', `/purchase-orders/${id}/receipts`, receipt(delivery));
      });
      const line = (change: object = {}) => ({ sku, quantity: 2, unitCost: 100, ...change });

      it.each([
        [
          'more than was received',
          () => ({ lines: [line({ quantity: 6 })] }),
          422,
          'invoice_exceeds_receipts',
        ],
        [
          'an item that arrived unordered',
          () => ({ lines: [line(), line({ sku: unordered })] }),
          422,
          'invoice_line_not_ordered',
        ],
        [
          'an unknown SKU',
          () => ({ lines: [line({ sku: 'NO-SUCH-SKU' })] }),
          422,
          'invoice_line_not_ordered',
        ],
        ['a date an hour ahead', () => ({ invoicedAt: '2026-11-01T10:00:00Z' }), 422, 'invoice_in_future'],
        [
          'a SKU twice',
          () => ({ lines: [line({ quantity: 1 }), line({ quantity: 1 })] }),
          400,
          'duplicate_line',
        ],
        ['a zero quantity', () => ({ lines: [line({ quantity: 0 })] }), 400, 'validation_failed'],
        ['a fractional quantity', () => ({ lines: [line({ quantity: 1.5 })] }), 400, 'validation_failed'],
        ['a quantity as a string', () => ({ lines: [line({ quantity: '2' })] }), 400, 'validation_failed'],
        ['a negative cost', () => ({ lines: [line({ unitCost: -1 })] }), 400, 'validation_failed'],
        ['a fractional cost', () => ({ lines: [line({ unitCost: 4.5 })] }), 400, 'validation_failed'],
        ['a cost too large', () => ({ lines: [line({ unitCost: 1e12 + 1 })] }), 400, 'validation_failed'],
        ['no lines', () => ({ lines: [] }), 400, 'validation_failed'],
        ['501 lines', () => ({ lines: Array.from({ length: 501 }, () => line()) }), 400, 'validation_failed'],
        ['no supplier number', () => ({ supplierInvoiceNumber: undefined }), 400, 'validation_failed'],
        ['an empty supplier number', () => ({ supplierInvoiceNumber: '' }), 400, 'validation_failed'],
        ['a bad id', () => ({ id: 'bad id' }), 400, 'validation_failed'],
        ['a bad date', () => ({ invoicedAt: 'next tuesday' }), 400, 'validation_failed'],
        ['an unknown field', () => ({ discount: 5 }), 400, 'validation_failed'],
        ['a line with an unknown field', () => ({ lines: [line({ vat: 21 })] }), 400, 'validation_failed'],
      ])('an invoice with %s, after which its id is still free', async (_name, change, status, code) => {
        const before = await ok('GET', `/purchase-orders/${id}`);
        const eventsBefore = (await eventsOf(id)).length;
        const bad = { ...invoice([line()]), ...change() };

        expect(await call('POST', invoicesOf(id), bad)).toMatchObject({ status, body: { code } });

        expect(await ok('GET', `/purchase-orders/${id}`)).toEqual(before);
        expect(await eventsOf(id)).toHaveLength(eventsBefore);
        if (status === 422) {
          const good = await call('POST', invoicesOf(id), {
            ...invoice([line({ quantity: 1 })]),
            id: bad.id,
          });
          expect(good.status).toBe(201);
        }
      });
    });
  },
);
