import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { utcInstant } from '@tillstream/kernel';
import type { PurchaseOrderCommands } from './purchase-order.commands.js';
import {
  InvoiceBody,
  PurchaseOrderBody,
  PurchaseOrderEditBody,
  PurchaseOrderPage,
  PurchaseOrderParams,
  PurchaseOrderQuery,
  PurchaseOrderView,
  ReceiptBody,
} from './purchase-order.schemas.js';

export function purchaseOrderRoutes(deps: { commands: PurchaseOrderCommands }): FastifyPluginAsync {
  const { commands } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/purchase-orders',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Create a purchase order from a supplier for a location (a draft; idempotent by id)',
          description:
            'The same id and body answers 200 with the order as it is now; the same id with another body is ' +
            '409 `id_conflict`. Kits cannot be ordered (422 `kit_has_no_stock`): order their components.',
          body: PurchaseOrderBody,
          response: { 200: PurchaseOrderView, 201: PurchaseOrderView },
        },
      },
      async (request, reply) => {
        const { expectedAt, ...body } = request.body;
        const { created, purchaseOrder } = await commands.create({
          ...body,
          ...(expectedAt ? { expectedAt: utcInstant(expectedAt) } : {}),
        });
        return reply.code(created ? 201 : 200).send(purchaseOrder);
      },
    );

    app.get(
      '/purchase-orders',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'List purchase orders in id order, optionally by status, location or SKU',
          description:
            "Pages by keyset: pass the previous page's `next` as `after` (`next` is null on the last page); " +
            '400 `invalid_cursor` when it names no purchase order.',
          querystring: PurchaseOrderQuery,
          response: { 200: PurchaseOrderPage },
        },
      },
      async (request) => commands.list(request.query),
    );

    app.get(
      '/purchase-orders/:id',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'A purchase order',
          params: PurchaseOrderParams,
          response: { 200: PurchaseOrderView },
        },
      },
      async (request) => commands.find(request.params.id),
    );

    app.put(
      '/purchase-orders/:id',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: "Replace a draft's supplier, location, expected date, currency and lines (repeatable)",
          description:
            'Takes the body of a create without `id` and checks it as a create does. The same content again ' +
            'answers the order unchanged (same `version`); other content is one more version. Only a draft can ' +
            'be edited (409 `purchase_order_state` otherwise); it publishes nothing. A create retried later ' +
            'answers 200 for the new content and 409 `id_conflict` for the old.',
          params: PurchaseOrderParams,
          body: PurchaseOrderEditBody,
          response: { 200: PurchaseOrderView },
        },
      },
      async (request) => {
        const { expectedAt, ...body } = request.body;
        return commands.edit(request.params.id, {
          ...body,
          ...(expectedAt ? { expectedAt: utcInstant(expectedAt) } : {}),
        });
      },
    );

    app.post(
      '/purchase-orders/:id/submit',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Send a draft to the supplier: its lines count as on order (repeatable)',
          description: 'A submitted order answers as it is; a cancelled draft is 409 `purchase_order_state`.',
          params: PurchaseOrderParams,
          response: { 200: PurchaseOrderView },
        },
      },
      async (request) => commands.submit(request.params.id),
    );

    app.post(
      '/purchase-orders/:id/receipts',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Receive goods against an ordered purchase order (idempotent by receipt id)',
          description:
            "The units go into the location's on-hand (movement `po_received`) and may fill waiting backorders. " +
            'Over-receipts and items not ordered are taken in too. When every line has arrived, or with ' +
            '`close`, the order is received and each line that differs is listed in `discrepancies`.',
          params: PurchaseOrderParams,
          body: ReceiptBody,
          response: { 200: PurchaseOrderView, 201: PurchaseOrderView },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const { created, purchaseOrder } = await commands.receive(request.params.id, {
          id: body.id,
          lines: body.lines,
          close: body.close ?? false,
          ...(body.occurredAt ? { occurredAt: utcInstant(body.occurredAt) } : {}),
        });
        return reply.code(created ? 201 : 200).send(purchaseOrder);
      },
    );

    app.post(
      '/purchase-orders/:id/invoices',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: "Match a supplier's invoice to a purchase order (idempotent by invoice id)",
          description:
            'Three-way match: each line must be a line of the order with an agreed `unitCost` (422 ' +
            '`invoice_line_not_ordered`), and what all invoices bill of it may not exceed what was received ' +
            '(422 `invoice_exceeds_receipts`). Only an ordered, partially received or received order can be ' +
            'invoiced (409 `purchase_order_state`). Publishes `erp.purchase_order.invoiced`; status and stock ' +
            'stay as they are. `dueAt` (when to pay; left out: net TILLSTREAM_SUPPLIER_PAYMENT_TERMS_DAYS) may not be ' +
            "before the invoice's date (422 `invoice_due_before_date`). The supplier's invoice number is entered " +
            "once per supplier, across all its orders' invoices and its bills (409 " +
            '`supplier_invoice_number_taken`, naming the document that has it). The same id and body answers 200 ' +
            'with the order as it is now; the same id with another body, or for another order, is 409 ' +
            '`id_conflict`.',
          params: PurchaseOrderParams,
          body: InvoiceBody,
          response: { 200: PurchaseOrderView, 201: PurchaseOrderView },
        },
      },
      async (request, reply) => {
        const { invoicedAt, dueAt, ...body } = request.body;
        const { created, purchaseOrder } = await commands.invoice(request.params.id, {
          ...body,
          ...(invoicedAt ? { invoicedAt: utcInstant(invoicedAt) } : {}),
          ...(dueAt ? { dueAt: utcInstant(dueAt) } : {}),
        });
        return reply.code(created ? 201 : 200).send(purchaseOrder);
      },
    );

    app.post(
      '/purchase-orders/:id/cancel',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Cancel a draft or ordered purchase order before anything arrived (repeatable)',
          description:
            'Once goods arrived it is 409 `purchase_order_state`: end it by a receipt with `close: true`.',
          params: PurchaseOrderParams,
          response: { 200: PurchaseOrderView },
        },
      },
      async (request) => commands.cancel(request.params.id),
    );
  };
}
