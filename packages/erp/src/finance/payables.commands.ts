import { SupplierPaymentRecordedV1 } from '@tillstream/contracts';
import type { Clock, Db, Outbox } from '@tillstream/kernel';
import { businessTime } from '../inventory/receipt.decide.js';
import type { JournalStore } from './journal.store.js';
import type { PayableDocuments } from './payable-documents.store.js';
import type { PayablesStore } from './payables.store.js';
import {
  decideSupplierPayment,
  namedAllocations,
  paymentFingerprint,
  supplierPaymentEntry,
  type SupplierPayment,
  type SupplierPaymentRequest,
} from './supplier-payment.decide.js';

/** Paying suppliers: each payment allocated, published and posted to the journal in one transaction. */
export function createPayablesCommands(deps: {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  journal: JournalStore;
  payables: PayablesStore;
  documents: PayableDocuments;
}) {
  const { db, clock, outbox, journal, payables, documents } = deps;
  return {
    /**
     * Records a payment (idempotent by its id: the same request again answers what the first recorded). The
     * invoices and bills it pays are locked first, so what they have open is read after any payment before it commits.
     */
    async pay(request: SupplierPaymentRequest): Promise<{ created: boolean; payment: SupplierPayment }> {
      return db.transaction(async (tx) => {
        const now = clock.now();
        const claimed = await payables.claim(tx, {
          id: request.id,
          hash: paymentFingerprint(request),
          at: now.toISOString(),
        });
        if (!claimed) return { created: false, payment: (await payables.find(tx, request.id))! };
        const command = {
          ...request,
          paidAt: businessTime(request.paidAt, now, 'supplier_payment_in_future'),
          reference: request.reference ?? null,
        };
        const named = namedAllocations(command);
        const owed = await documents.lock(
          tx,
          named ? { named } : { supplierId: command.supplierId, currency: command.currency },
        );
        const payment = decideSupplierPayment(command, owed);
        await payables.record(tx, payment);
        const [event] = await outbox.append(tx, [
          {
            contract: SupplierPaymentRecordedV1,
            subject: `supplier-payment/${payment.paymentId}`,
            // A payment is never changed once recorded: its one version.
            sequence: 1,
            // A supplier's payments reach a reader in the order they were made.
            partitionKey: `supplier/${payment.supplierId}`,
            data: payment,
          },
        ]);
        await journal.post(tx, supplierPaymentEntry(payment), event!.id);
        return { created: true, payment };
      });
    },
  };
}

export type PayablesCommands = ReturnType<typeof createPayablesCommands>;
