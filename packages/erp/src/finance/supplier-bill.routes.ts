import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound, utcInstant, type Db } from '@tillstream/kernel';
import type { SupplierBillCommands } from './supplier-bill.commands.js';
import type { SupplierBillStore } from './supplier-bill.store.js';
import { decodeUnbilledCursor, unbilledPage } from './unbilled-receipts.decide.js';
import type { UnbilledReceiptStore } from './unbilled-receipts.store.js';
import {
  SupplierBillBody,
  SupplierBillParams,
  SupplierBillView,
  UnbilledReceiptsPage,
  UnbilledReceiptsQuery,
} from './supplier-bill.schemas.js';

/** Supplier bills: what clears 2310, the goods received outside purchase orders, and the expenses beside them. */
export function supplierBillRoutes(deps: {
  db: Db;
  bills: SupplierBillStore;
  unbilled: UnbilledReceiptStore;
  commands: SupplierBillCommands;
}): FastifyPluginAsync {
  const { db, bills, unbilled, commands } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['erp', 'finance'];

    app.post(
      '/finance/supplier-bills',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags,
          summary:
            'Record a supplier bill for goods received outside purchase orders and for expenses (idempotent by bill id)',
          description:
            'Bills the receipts it names, its expenses, or both (neither: 400 `supplier_bill_empty`). Receipts ' +
            'are stock movements of goods received outside purchase orders (a direct store delivery, an item an ' +
            'order did not list), each booked to 2310 by the valuation. Each must ' +
            'exist (404 `bill_receipt_not_found`), be such a receipt (422 `bill_receipt_not_outside_order`), be ' +
            'valued already (409 `bill_receipt_not_booked`: retry; one valued at nothing is billed at 0), be ' +
            "valued in the bill's currency (422 " +
            '`bill_receipt_currency_mismatch`) and on no other bill (409 `bill_receipt_already_billed`). A ' +
            "supplier's invoice number is entered once, among its bills and its purchase orders' invoices (409 " +
            '`supplier_invoice_number_taken`, naming the document that has it). Each expense books ' +
            'an operating expense account at face value (others: 422 `bill_expense_account_invalid`), at a ' +
            'known location if it names one (422 `unknown_location`). Expenses alone add up to the total; ' +
            'beside receipts they may not exceed it (422 `bill_expense_total_mismatch`). Posts 2310 (what ' +
            'the receipts were booked at), the expenses and purchase price variance (5200, what the goods are ' +
            'billed at less 2310) against accounts payable (2000, the total), one entry per location its lines ' +
            'are at, and publishes `erp.supplier_bill.recorded`, in one transaction; the bill is then paid ' +
            '(`bills` of a supplier payment) and aged like an invoice. The same id and body answers 200 with ' +
            'the bill as it stands; another body is 409 `id_conflict`.',
          body: SupplierBillBody,
          response: { 200: SupplierBillView, 201: SupplierBillView },
        },
      },
      async (request, reply) => {
        const { invoicedAt, dueAt, ...body } = request.body;
        const { created, bill } = await commands.record({
          ...body,
          ...(invoicedAt ? { invoicedAt: utcInstant(invoicedAt) } : {}),
          ...(dueAt ? { dueAt: utcInstant(dueAt) } : {}),
        });
        return reply.code(created ? 201 : 200).send(bill);
      },
    );

    app.get(
      '/finance/supplier-bills/:billId',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'A supplier bill with the receipts and expenses it billed and what is paid of it',
          params: SupplierBillParams,
          response: { 200: SupplierBillView },
        },
      },
      async (request) => {
        const bill = await bills.find(db, request.params.billId);
        if (!bill) throw notFound('supplier_bill_not_found', `No supplier bill ${request.params.billId}`);
        return bill;
      },
    );

    app.get(
      '/finance/unbilled-receipts',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'Goods received outside purchase orders that no supplier bill has yet: what 2310 holds',
          description:
            'Receipts the valuation booked to 2310 and no bill took, optionally of one currency and location: ' +
            'a work list; a receipt it valued at nothing (a SKU that never had a cost) is listed at 0. Their ' +
            "values add up to 2310's balance. Oldest first: by when the goods came in " +
            "(`occurredAt`), then `movementId`. Page with `after` = the previous page's `next` (opaque); " +
            'anything else is 400 `invalid_cursor`, the entry numbers it gave before among them. A cursor is ' +
            'a place in that order, not a receipt, so billing the last one listed does not break it; a ' +
            'receipt booked meanwhile with a date before that place shows on a fresh first page, not on the ' +
            'next one.',
          querystring: UnbilledReceiptsQuery,
          response: { 200: UnbilledReceiptsPage },
        },
      },
      async (request) => {
        const { after, limit, ...filter } = request.query;
        const rows = await unbilled.page(db, {
          ...filter,
          ...(after === undefined ? {} : { after: decodeUnbilledCursor(after) }),
          // One more than asked: whether there is a next page, without an empty last one.
          limit: limit + 1,
        });
        return unbilledPage(rows, limit);
      },
    );
  };
}
