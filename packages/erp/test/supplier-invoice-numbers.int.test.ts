import { describe, expect, it } from 'vitest';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

/**
 * A supplier's invoice number is entered once, across its purchase orders' invoices and its bills: the same
 * paper entered a second way would be paid twice.
 */
describe.each(harnessDialects(pgUrl))('ERP supplier invoice numbers on %s', (dialect) => {
  const rig = purchaseOrderRig(dialect);
  const { ok, call, product, order, receipt } = rig;

  /** A submitted order of `supplierId` for 10 units at 1.00, all received; its id and SKU. */
  const receivedOrder = async (supplierId: string) => {
    const sku = await product();
    const body = { ...order([{ sku, quantity: 10, unitCost: 100 }]), supplier: { id: supplierId } };
    await ok('POST', '/purchase-orders', body);
    await ok('POST', `/purchase-orders/${body.id}/submit`);
    await ok('POST', `/purchase-orders/${body.id}/receipts`, receipt([{ sku, quantity: 10 }]));
    return { id: body.id, sku };
  };
  const invoice = (sku: string, supplierInvoiceNumber: string) => ({
    id: uniqueName('ap'),
    supplierInvoiceNumber,
    lines: [{ sku, quantity: 2, unitCost: 100 }],
  });
  /** A bill of expenses only: it needs no receipt the valuation has booked. */
  const bill = (supplierId: string, supplierInvoiceNumber: string) => ({
    id: uniqueName('bill'),
    supplierId,
    supplierInvoiceNumber,
    currency: 'EUR',
    total: 200,
    expenses: [{ account: '6300', amount: 200, description: 'Carriage' }],
  });
  const invoiceOn = (orderId: string, body: object) =>
    call('POST', `/purchase-orders/${orderId}/invoices`, body);
  const billed = (body: object) => call('POST', '/finance/supplier-bills', body);
  const openDocuments = async (supplierId: string) =>
    ((await ok('GET', `/finance/payables/${supplierId}`)).invoices as any[]).map(
      (row) => row.invoiceId ?? row.billId,
    );

  it("refuses an order's invoice number as a bill and a bill's on an order; a consolidated invoice spans orders", async () => {
    const supplierId = uniqueName('acme');
    const first = await receivedOrder(supplierId);
    const second = await receivedOrder(supplierId);
    const onOrder = invoice(first.sku, uniqueName('INV'));
    expect((await invoiceOn(first.id, onOrder)).status).toBe(201);

    // The same paper typed again as a bill, in lower case and with spaces: 409, naming the order's invoice.
    const asBill = bill(supplierId, ` ${onOrder.supplierInvoiceNumber.toLowerCase()} `);
    expect(await billed(asBill)).toMatchObject({
      status: 409,
      body: {
        code: 'supplier_invoice_number_taken',
        document: 'invoice',
        invoiceId: onOrder.id,
        purchaseOrderId: first.id,
      },
    });
    expect((await call('GET', `/finance/supplier-bills/${asBill.id}`)).status).toBe(404);

    // A bill first: its number is refused on the supplier's order, which stays as it was.
    const firstBill = bill(supplierId, uniqueName('BILL'));
    expect((await billed(firstBill)).status).toBe(201);
    expect(await invoiceOn(second.id, invoice(second.sku, firstBill.supplierInvoiceNumber))).toMatchObject({
      status: 409,
      body: { code: 'supplier_invoice_number_taken', document: 'bill', billId: firstBill.id },
    });
    // One paper covering both orders is matched to each under its number (each order's match bounds it),
    // but never twice to one order, and a bill with its number is still refused.
    const consolidated = invoice(second.sku, onOrder.supplierInvoiceNumber);
    expect((await invoiceOn(second.id, consolidated)).status).toBe(201);
    expect(await invoiceOn(second.id, invoice(second.sku, onOrder.supplierInvoiceNumber))).toMatchObject({
      status: 409,
      body: { code: 'supplier_invoice_number_taken', invoiceId: consolidated.id, purchaseOrderId: second.id },
    });
    expect(await billed(bill(supplierId, onOrder.supplierInvoiceNumber))).toMatchObject({
      status: 409,
      body: { code: 'supplier_invoice_number_taken', invoiceId: onOrder.id, purchaseOrderId: first.id },
    });

    // Faithful retries replay; another supplier's papers may carry the same numbers.
    expect((await invoiceOn(first.id, onOrder)).status).toBe(200);
    expect((await billed(firstBill)).status).toBe(200);
    const otherSupplier = uniqueName('beta');
    const theirOrder = await receivedOrder(otherSupplier);
    expect((await billed(bill(otherSupplier, onOrder.supplierInvoiceNumber))).status).toBe(201);
    expect(
      (await invoiceOn(theirOrder.id, invoice(theirOrder.sku, firstBill.supplierInvoiceNumber))).status,
    ).toBe(201);
    expect((await openDocuments(supplierId)).sort()).toEqual(
      [onOrder.id, consolidated.id, firstBill.id].sort(),
    );
  });

  it('takes either the bill or the orders of documents with one number sent at once, never both', async () => {
    const supplierId = uniqueName('acme');
    const [one, two] = [await receivedOrder(supplierId), await receivedOrder(supplierId)];
    const number = uniqueName('TWIN');
    const sent = [
      invoiceOn(one.id, invoice(one.sku, number)),
      invoiceOn(two.id, invoice(two.sku, number)),
      billed(bill(supplierId, number)),
      billed(bill(supplierId, number.toLowerCase())),
    ];
    const answers = await Promise.all(sent);
    const taken = answers.map((answer) => answer.status === 201);
    // A bill first takes the number alone; an order's invoice first shares it with the other order only.
    expect([
      [true, true, false, false],
      [false, false, true, false],
      [false, false, false, true],
    ]).toContainEqual(taken);
    for (const refused of answers.filter((answer) => answer.status !== 201))
      expect([refused.status, refused.body.code]).toEqual([409, 'supplier_invoice_number_taken']);
    expect(await openDocuments(supplierId)).toHaveLength(taken.filter(Boolean).length);
  });

  it('refuses a number with nothing but spaces in it: 400, not a number every blank one would share', async () => {
    const supplierId = uniqueName('acme');
    const { id, sku } = await receivedOrder(supplierId);
    for (const answer of [await invoiceOn(id, invoice(sku, ' \t ')), await billed(bill(supplierId, '   '))])
      expect(answer).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });
});
