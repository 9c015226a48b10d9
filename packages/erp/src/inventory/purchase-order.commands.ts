import {
  PurchaseOrderCancelledV1,
  PurchaseOrderInvoicedV1,
  PurchaseOrderReceivedV1,
  PurchaseOrderSubmittedV1,
  type PurchaseOrderEventData,
} from '@tillstream/contracts';
import {
  conflict,
  invalid,
  notFound,
  unprocessable,
  type Clock,
  type Db,
  type Outbox,
  type Tx,
} from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import type { BackorderAllocator } from './backorder.allocate.js';
import {
  awaitingInvoiceOf,
  decideInvoice,
  invoiceFingerprint,
  invoiceDueAt,
  type InvoiceRequest,
} from './purchase-order-invoice.decide.js';
import {
  decideCancel,
  decideEdit,
  decideReceipt,
  decideSubmit,
  newPurchaseOrder,
  type PurchaseOrder,
  type PurchaseOrderCommand,
  type PurchaseOrderEdit,
  type ReceiptCommand,
} from './purchase-order.decide.js';
import { businessTime, receiptFingerprint, receiptTime } from './receipt.decide.js';
import { claimDocumentId } from './receipt.store.js';
import { sameInvoiceNumber } from './supplier-invoice-number.decide.js';
import type { SupplierInvoiceNumbers } from './supplier-invoice-number.store.js';
import type { PurchaseOrderFilter, PurchaseOrderStore } from './purchase-order.store.js';
import type { StockStore } from './stock.store.js';
import { assertStocked } from './stocked.js';

export type PurchaseOrderView = Omit<PurchaseOrder, 'requestHash'> & { awaitingInvoice: number };

const toView = ({ requestHash: _hash, ...order }: PurchaseOrder): PurchaseOrderView => ({
  ...order,
  awaitingInvoice: awaitingInvoiceOf(order),
});

/** The order's state as every one of its events carries it. */
const eventData = (order: PurchaseOrder, occurredAt: string): PurchaseOrderEventData => ({
  purchaseOrderId: order.id,
  version: order.version,
  status: order.status as PurchaseOrderEventData['status'],
  supplier: order.supplier,
  locationId: order.locationId,
  currency: order.currency,
  ...(order.expectedAt ? { expectedAt: order.expectedAt } : {}),
  // The contract's lines carry no invoiced count: an invoice's event lists what it bills instead.
  lines: order.lines.map(({ sku, quantity, unitCost, received }) => ({ sku, quantity, unitCost, received })),
  total: order.total,
  discrepancies: order.discrepancies,
  occurredAt,
});

/** Purchase order use cases, one transaction each; balance rows are locked before the order's row. */
export function createPurchaseOrderCommands(deps: {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  catalog: CatalogStore;
  stock: StockStore;
  orders: PurchaseOrderStore;
  allocator: BackorderAllocator;
  invoiceNumbers: SupplierInvoiceNumbers;
  /** Days after its date an invoice without a due date of its own is to be paid. */
  paymentTermsDays: number;
}) {
  const { db, clock, outbox, catalog, stock, orders } = deps;

  /** The catalog checks of an order's content: a known location, and lines of standard products only. */
  async function assertOrderable(tx: Tx, order: PurchaseOrder): Promise<void> {
    if (!(await catalog.findLocation(tx, order.locationId)))
      throw unprocessable('unknown_location', `No location ${order.locationId}`, {
        locations: [order.locationId],
      });
    const products = await assertStocked(
      tx,
      catalog,
      order.lines.map((line) => line.sku),
    );
    // Stock is valued in its product's currency, and ERP converts none: a cost in another is refused.
    const foreign = products.filter((product) => product.price.currency !== order.currency).map((p) => p.sku);
    if (foreign.length > 0)
      throw unprocessable(
        'purchase_order_currency_mismatch',
        `${foreign.join(', ')} are priced in another currency than ${order.currency}`,
        { skus: foreign },
      );
  }

  /**
   * Claims a receipt's or an invoice's client-made id for the order, before anything is written. Claimed before
   * by the same request: the order as it is now, to answer the retry with; nothing is applied again.
   */
  async function retried(
    tx: Tx,
    table: 'purchase_order_receipts' | 'purchase_order_invoices',
    claim: Parameters<typeof claimDocumentId>[2],
  ): Promise<PurchaseOrderView | null> {
    if (await claimDocumentId(tx, table, claim)) return null;
    return toView((await orders.find(tx, claim.documentId))!);
  }

  async function lockOrder(tx: Tx, id: string): Promise<PurchaseOrder> {
    const order = await orders.find(tx, id, true);
    if (!order) throw notFound('purchase_order_not_found', `No purchase order ${id}`);
    return order;
  }

  /** Submit and cancel: one change of the order alone, published under its new version. */
  async function change(
    id: string,
    decide: (order: PurchaseOrder, now: string) => PurchaseOrder | null,
    contract: typeof PurchaseOrderSubmittedV1 | typeof PurchaseOrderCancelledV1,
  ): Promise<PurchaseOrderView> {
    return db.transaction(async (tx) => {
      const now = clock.now().toISOString();
      const order = await lockOrder(tx, id);
      const changed = decide(order, now);
      if (!changed) return toView(order);
      await orders.save(tx, changed);
      await outbox.append(tx, [
        {
          contract,
          subject: `purchase-order/${id}`,
          sequence: changed.version,
          data: eventData(changed, now),
        },
      ]);
      return toView(changed);
    });
  }

  /** Creates a draft in the caller's transaction; the same id and body again answers the order as it is now. */
  async function createIn(
    tx: Tx,
    command: PurchaseOrderCommand,
  ): Promise<{ created: boolean; purchaseOrder: PurchaseOrderView }> {
    const order = newPurchaseOrder(command, clock.now().toISOString());
    await assertOrderable(tx, order);
    if (!(await orders.insert(tx, order))) {
      const existing = (await orders.find(tx, command.id))!;
      if (existing.requestHash !== order.requestHash)
        throw conflict('id_conflict', `Purchase order ${command.id} exists with other content`);
      return { created: false, purchaseOrder: toView(existing) };
    }
    return { created: true, purchaseOrder: toView(order) };
  }

  return {
    /** Creates a draft (publishing nothing, as a draft does not); idempotent by id. */
    create: (command: PurchaseOrderCommand) => db.transaction((tx) => createIn(tx, command)),
    /** `create` inside a transaction of another use case (replenishment raises several drafts in one). */
    createIn,
    /**
     * Read in one snapshot, as the list below: a receipt or invoice writes an order's row, its lines and its
     * receipt or invoice together, and read at their own instants (PostgreSQL) an order could show one
     * version's status beside another's received counts.
     */
    async find(id: string): Promise<PurchaseOrderView> {
      const order = await db.snapshot((reader) => orders.find(reader, id));
      if (!order) throw notFound('purchase_order_not_found', `No purchase order ${id}`);
      return toView(order);
    },
    /** A page in id order; `after` must name an order this API listed (400 `invalid_cursor` otherwise). */
    async list(
      filter: PurchaseOrderFilter,
    ): Promise<{ purchaseOrders: PurchaseOrderView[]; next: string | null }> {
      const rows = await db.snapshot(async (reader) => {
        if (filter.after !== '' && !(await orders.find(reader, filter.after)))
          throw invalid('invalid_cursor', `No purchase order ${filter.after} to page after`);
        return orders.page(reader, filter);
      });
      const page = rows.slice(0, filter.limit).map(toView);
      return { purchaseOrders: page, next: rows.length > filter.limit ? page.at(-1)!.id : null };
    },
    /**
     * Replaces a draft's content; the same content again answers it unchanged. Publishes nothing, as a draft
     * does not. The order is read first and locked only after the catalog checks, in the order receipts take
     * their locks (catalog structure, then the order's row), so an edit and a receipt cannot deadlock.
     */
    async edit(id: string, edit: PurchaseOrderEdit): Promise<PurchaseOrderView> {
      return db.transaction(async (tx) => {
        const peek = await orders.find(tx, id);
        if (!peek) throw notFound('purchase_order_not_found', `No purchase order ${id}`);
        // State and body are refused before the catalog is asked: a submitted order is 409 whatever it names.
        const planned = decideEdit(peek, edit);
        if (!planned) return toView(peek);
        await assertOrderable(tx, planned);
        // Decided again under the lock: a submit or another edit may have come between.
        const order = await lockOrder(tx, id);
        const edited = decideEdit(order, edit);
        if (!edited) return toView(order);
        await orders.replace(tx, edited);
        return toView(edited);
      });
    },
    submit: (id: string) => change(id, decideSubmit, PurchaseOrderSubmittedV1),
    cancel: (id: string) => change(id, decideCancel, PurchaseOrderCancelledV1),
    /**
     * Records one receipt (idempotent by receipt id): the units go into the order's location's on-hand and may
     * fill backorders waiting there, in the same transaction.
     */
    async receive(
      id: string,
      command: Omit<ReceiptCommand, 'occurredAt'> & { occurredAt?: string },
    ): Promise<{ created: boolean; purchaseOrder: PurchaseOrderView }> {
      return db.transaction(async (tx) => {
        const now = clock.now();
        const replay = await retried(tx, 'purchase_order_receipts', {
          id: command.id,
          documentId: id,
          hash: receiptFingerprint(command),
          at: now.toISOString(),
        });
        if (replay) return { created: false, purchaseOrder: replay };
        const receipt: ReceiptCommand = { ...command, occurredAt: receiptTime(command.occurredAt, now) };
        const skus = receipt.lines.map((line) => line.sku);
        await assertStocked(tx, catalog, skus);
        const peek = await orders.find(tx, id);
        if (!peek) throw notFound('purchase_order_not_found', `No purchase order ${id}`);
        const keys = skus.map((sku) => ({ sku, locationId: peek.locationId }));
        await stock.lock(tx, keys, keys);
        const plan = decideReceipt(await lockOrder(tx, id), receipt);
        for (const movement of plan.movements) await stock.apply(tx, movement);
        await orders.save(tx, plan.purchaseOrder);
        await orders.addReceipt(tx, id, plan.receipt, plan.purchaseOrder.receipts.length);
        await deps.allocator.allocate(tx, keys, now.toISOString());
        await outbox.append(tx, [
          {
            contract: PurchaseOrderReceivedV1,
            subject: `purchase-order/${id}`,
            sequence: plan.purchaseOrder.version,
            data: {
              ...eventData(plan.purchaseOrder, receipt.occurredAt),
              status: plan.purchaseOrder.status as 'partially_received' | 'received',
              receipt: { receiptId: receipt.id, lines: receipt.lines, close: receipt.close },
            },
          },
        ]);
        return { created: true, purchaseOrder: toView(plan.purchaseOrder) };
      });
    },
    /**
     * Matches one supplier invoice to the order (idempotent by invoice id, claimed first as receipts are). It
     * moves no stock, so only the order's row is locked; it serialises with receipts of the order there. Once
     * matched, the supplier's invoice number is claimed for it among all the supplier's orders and bills.
     */
    async invoice(
      id: string,
      command: InvoiceRequest,
    ): Promise<{ created: boolean; purchaseOrder: PurchaseOrderView }> {
      return db.transaction(async (tx) => {
        const now = clock.now();
        const replay = await retried(tx, 'purchase_order_invoices', {
          id: command.id,
          documentId: id,
          hash: invoiceFingerprint(command),
          at: now.toISOString(),
        });
        if (replay) return { created: false, purchaseOrder: replay };
        const invoicedAt = businessTime(command.invoicedAt, now, 'invoice_in_future');
        const dueAt = invoiceDueAt(command.dueAt, invoicedAt, deps.paymentTermsDays);
        const plan = decideInvoice(await lockOrder(tx, id), { ...command, invoicedAt, dueAt });
        await deps.invoiceNumbers.claim(tx, {
          supplierId: plan.purchaseOrder.supplier.id,
          number: command.supplierInvoiceNumber,
          numberKey: sameInvoiceNumber(command.supplierInvoiceNumber),
          holder: { document: 'invoice', invoiceId: command.id, purchaseOrderId: id },
          at: now.toISOString(),
        });
        await orders.save(tx, plan.purchaseOrder);
        await orders.addInvoice(tx, id, plan.invoice, plan.lines, plan.purchaseOrder.invoices.length);
        const { invoiceId, supplierInvoiceNumber, total, matched } = plan.invoice;
        await outbox.append(tx, [
          {
            contract: PurchaseOrderInvoicedV1,
            subject: `purchase-order/${id}`,
            sequence: plan.purchaseOrder.version,
            data: {
              ...eventData(plan.purchaseOrder, now.toISOString()),
              status: plan.purchaseOrder.status as 'ordered' | 'partially_received' | 'received',
              invoice: {
                invoiceId,
                supplierInvoiceNumber,
                lines: plan.lines,
                total,
                matched,
                invoicedAt,
                dueAt,
              },
            },
          },
        ]);
        return { created: true, purchaseOrder: toView(plan.purchaseOrder) };
      });
    },
  };
}

export type PurchaseOrderCommands = ReturnType<typeof createPurchaseOrderCommands>;
