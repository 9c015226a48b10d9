import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalid, notFound, utcInstant, type Clock, type Db } from '@tillstream/kernel';
import { ACCOUNTS } from './accounts.js';
import type { JournalReports } from './journal-reports.store.js';
import { agePayables, daysOverdue } from './payables-aging.js';
import type { PayablesCommands } from './payables.commands.js';
import type { PayableDocuments } from './payable-documents.store.js';
import type { PayablesStore } from './payables.store.js';
import { openOf, payableKey } from './supplier-payment.decide.js';
import {
  PayablesQuery,
  PayablesView,
  SupplierParams,
  SupplierPayablesQuery,
  SupplierPayablesView,
  SupplierPaymentBody,
  SupplierPaymentPage,
  SupplierPaymentParams,
  SupplierPaymentQuery,
  SupplierPaymentView,
} from './payables.schemas.js';

/** Accounts payable: paying suppliers' invoices, and what is still owed to whom, by how late. */
export function payablesRoutes(deps: {
  db: Db;
  clock: Clock;
  payables: PayablesStore;
  documents: PayableDocuments;
  commands: PayablesCommands;
  reports: JournalReports;
}): FastifyPluginAsync {
  const { db, clock, payables, documents, commands, reports } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['erp', 'finance'];

    app.post(
      '/finance/supplier-payments',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags,
          summary: 'Record a payment to a supplier against its invoices and bills (idempotent by payment id)',
          description:
            'Pays invoices matched to purchase orders (`POST /purchase-orders/{id}/invoices`) and bills of ' +
            'goods received outside them (`POST /finance/supplier-bills`). `allocations` name invoices by ' +
            '`invoiceId`, `bills` name bills by `billId` (the two kinds keep ids of their own), each of this ' +
            'supplier in this currency (404 `supplier_invoice_not_found` or `supplier_bill_not_found`, 422 ' +
            '`supplier_invoice_other_supplier`), together adding up to `amount` (422 ' +
            '`supplier_payment_allocation_mismatch`); with neither, the oldest due are paid first. ' +
            'Nothing is paid beyond what it has open, and a payment without allocations not beyond what ' +
            'the supplier is owed (409 `supplier_payment_exceeds_open`), and nothing dated after `paidAt` ' +
            '(422 `supplier_payment_before_invoice`). Posts accounts payable (2000) ' +
            'against the bank (1050) and publishes `erp.supplier_payment.recorded`, in one transaction. The ' +
            'same id and body answers 200 with the payment as recorded; another body is 409 `id_conflict`.',
          body: SupplierPaymentBody,
          response: { 200: SupplierPaymentView, 201: SupplierPaymentView },
        },
      },
      async (request, reply) => {
        const { paidAt, ...body } = request.body;
        const { created, payment } = await commands.pay({
          ...body,
          ...(paidAt ? { paidAt: utcInstant(paidAt) } : {}),
        });
        return reply.code(created ? 201 : 200).send(payment);
      },
    );

    app.get(
      '/finance/supplier-payments',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'Payments to suppliers in the order they were made, optionally of one supplier and period',
          description:
            "Ordered by `paidAt`, then id. Pages by keyset: pass the previous page's `next` as `after`; 400 " +
            "`invalid_cursor` when it names no payment. What a supplier's statement is checked against.",
          querystring: SupplierPaymentQuery,
          response: { 200: SupplierPaymentPage },
        },
      },
      async (request) => {
        const { from, to, ...query } = request.query;
        const payments = await payables.list(db, {
          ...query,
          ...(from ? { from: utcInstant(from) } : {}),
          ...(to ? { to: utcInstant(to) } : {}),
          // One more than asked: whether there is a next page, without an empty last one.
          limit: query.limit + 1,
        });
        if (!payments) throw invalid('invalid_cursor', `${query.after} names no supplier payment`);
        const page = payments.slice(0, query.limit);
        return { payments: page, next: payments.length > query.limit ? page.at(-1)!.paymentId : null };
      },
    );

    app.get(
      '/finance/supplier-payments/:paymentId',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'A payment to a supplier, with the invoices it paid',
          params: SupplierPaymentParams,
          response: { 200: SupplierPaymentView },
        },
      },
      async (request) => {
        const payment = await payables.find(db, request.params.paymentId);
        if (!payment)
          throw notFound('supplier_payment_not_found', `No supplier payment ${request.params.paymentId}`);
        return payment;
      },
    );

    app.get(
      '/finance/payables',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'Accounts payable aging: what is owed to each supplier, by days past due',
          description:
            'Per currency and supplier, the open amount of the invoices matched to purchase orders and of ' +
            'the bills of goods received outside them, less ' +
            'what payments allocated to them, in buckets by days past their `dueAt`. `ledgerBalance` is ' +
            'accounts payable (2000) in the journal over the same documents and `reconciled` says they agree.',
          querystring: PayablesQuery,
          response: { 200: PayablesView },
        },
      },
      async (request) => {
        const asOf = request.query.asOf ? utcInstant(request.query.asOf) : undefined;
        const filter = {
          ...(asOf ? { asOf } : {}),
          ...(request.query.currency ? { currency: request.query.currency } : {}),
        };
        const [owed, totals] = await Promise.all([
          documents.open(db, filter),
          reports.totals(db, asOf ? { to: asOf } : {}, ACCOUNTS.payables.code),
        ]);
        const ledger = totals
          .filter((total) => !request.query.currency || total.currency === request.query.currency)
          .map((total) => ({ currency: total.currency, balance: total.credit - total.debit }));
        const at = asOf ?? clock.now().toISOString();
        return { asOf: at, currencies: agePayables(owed, ledger, new Date(at)) };
      },
    );

    app.get(
      '/finance/payables/:supplierId',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: "A supplier's open invoices and bills, oldest due first: what to pay it next",
          params: SupplierParams,
          querystring: SupplierPayablesQuery,
          response: { 200: SupplierPayablesView },
        },
      },
      async (request) => {
        const asOf = request.query.asOf ? utcInstant(request.query.asOf) : undefined;
        const owed = await documents.open(db, {
          supplierId: request.params.supplierId,
          ...(asOf ? { asOf } : {}),
        });
        const at = asOf ?? clock.now().toISOString();
        return {
          supplierId: request.params.supplierId,
          asOf: at,
          invoices: owed
            .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || payableKey(a).localeCompare(payableKey(b)))
            .map((payable) => ({
              invoiceId: payable.document === 'invoice' ? payable.id : null,
              billId: payable.document === 'bill' ? payable.id : null,
              purchaseOrderId: payable.purchaseOrderId,
              supplierInvoiceNumber: payable.supplierInvoiceNumber,
              currency: payable.currency,
              total: payable.total,
              paid: payable.paid,
              open: openOf(payable),
              invoicedAt: payable.invoicedAt,
              dueAt: payable.dueAt,
              daysOverdue: daysOverdue(payable.dueAt, new Date(at)),
            })),
        };
      },
    );
  };
}
