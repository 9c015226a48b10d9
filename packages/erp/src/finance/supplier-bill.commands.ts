import { SupplierBillRecordedV1 } from '@tillstream/contracts';
import type { Clock, Db, Outbox } from '@tillstream/kernel';
import { invoiceDueAt } from '../inventory/purchase-order-invoice.decide.js';
import { sameInvoiceNumber } from '../inventory/supplier-invoice-number.decide.js';
import type { SupplierInvoiceNumbers } from '../inventory/supplier-invoice-number.store.js';
import { businessTime } from '../inventory/receipt.decide.js';
import type { JournalStore } from './journal.store.js';
import {
  billFingerprint,
  decideSupplierBill,
  supplierBillEntries,
  type SupplierBillRequest,
} from './supplier-bill.decide.js';
import type { SupplierBillStore, SupplierBillView } from './supplier-bill.store.js';

/** Billing goods received outside purchase orders and expenses: matched, published and posted in one transaction. */
export function createSupplierBillCommands(deps: {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  journal: JournalStore;
  bills: SupplierBillStore;
  invoiceNumbers: SupplierInvoiceNumbers;
  /** Days after its date a bill without a due date of its own is to be paid. */
  paymentTermsDays: number;
}) {
  const { db, clock, outbox, journal, bills } = deps;
  return {
    /**
     * Records a bill (idempotent by its id: the same request again answers the bill as it stands). Its id,
     * supplier and invoice number are claimed first (the number among the supplier's bills, then among all its
     * purchase order invoices and bills), then its receipts, each by a unique key, so neither the same paper
     * bill nor the same goods can be billed twice, however many clerks send them at once.
     */
    async record(request: SupplierBillRequest): Promise<{ created: boolean; bill: SupplierBillView }> {
      return db.transaction(async (tx) => {
        const now = clock.now();
        const numberKey = sameInvoiceNumber(request.supplierInvoiceNumber);
        const claimed = await bills.claim(tx, {
          id: request.id,
          hash: billFingerprint(request),
          at: now.toISOString(),
          supplierId: request.supplierId,
          number: request.supplierInvoiceNumber,
          numberKey,
        });
        if (!claimed) return { created: false, bill: (await bills.find(tx, request.id))! };
        await deps.invoiceNumbers.claim(tx, {
          supplierId: request.supplierId,
          number: request.supplierInvoiceNumber,
          numberKey,
          holder: { document: 'bill', billId: request.id },
          at: now.toISOString(),
        });
        const invoicedAt = businessTime(request.invoicedAt, now, 'invoice_in_future');
        const dueAt = invoiceDueAt(request.dueAt, invoicedAt, deps.paymentTermsDays);
        const locations = [...new Set((request.expenses ?? []).flatMap((line) => line.locationId ?? []))];
        const bill = decideSupplierBill(
          { ...request, invoicedAt, dueAt },
          await bills.receipts(tx, request.receipts ?? []),
          await bills.knownLocations(tx, locations),
        );
        await bills.record(tx, bill);
        const [event] = await outbox.append(tx, [
          {
            contract: SupplierBillRecordedV1,
            subject: `supplier-bill/${bill.billId}`,
            // A bill is never changed once recorded: its one version.
            sequence: 1,
            // A supplier's bills and payments reach a reader in the order they were recorded.
            partitionKey: `supplier/${bill.supplierId}`,
            data: bill,
          },
        ]);
        for (const entry of supplierBillEntries(bill)) await journal.post(tx, entry, event!.id);
        return { created: true, bill: { ...bill, paid: 0, open: bill.total } };
      });
    },
  };
}

export type SupplierBillCommands = ReturnType<typeof createSupplierBillCommands>;
