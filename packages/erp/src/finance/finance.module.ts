import { rowsPerTransaction, type ConsumerSpec, type ContextDeps, type Migration } from '@tillstream/kernel';
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { CatalogStore } from '../catalog/catalog.store.js';
import { createSupplierInvoiceNumbers } from '../inventory/supplier-invoice-number.store.js';
import type { PricingSource } from '../pricing/pricing.source.js';
import { createDocumentState } from './document-state.store.js';
import { financeConsumer } from './finance.consumer.js';
import { financeMigrations } from './finance.migrations.js';
import { financeRoutes } from './finance.routes.js';
import { createJournalReports } from './journal-reports.store.js';
import { createJournalStore } from './journal.store.js';
import { createLocationValuationStore } from './location-valuation.store.js';
import { createOnlineDepositStore } from './online-deposits.store.js';
import { createOnlineRevenueBooking } from './online-revenue.book.js';
import { registerOnlineOrderMetrics } from './online-orders.metrics.js';
import { onlineOrderRoutes } from './online-orders.routes.js';
import { createOnlineOrderReads } from './online-orders.store.js';
import { createPayableDocuments } from './payable-documents.store.js';
import { createPayablesCommands } from './payables.commands.js';
import { payablesRoutes } from './payables.routes.js';
import { createPayablesStore } from './payables.store.js';
import { createSupplierBillCommands } from './supplier-bill.commands.js';
import { supplierBillRoutes } from './supplier-bill.routes.js';
import { createSupplierBillStore } from './supplier-bill.store.js';
import { createUnbilledReceiptStore } from './unbilled-receipts.store.js';
import { valuationConsumer } from './valuation.consumer.js';
import { valuationRoutes } from './valuation.routes.js';
import { createValuationStore } from './valuation.store.js';

export interface FinanceOptions {
  /** Days after its date a supplier bill without a due date of its own is to be paid. */
  supplierPaymentTermsDays: number;
}

export interface FinanceModule {
  migrations: readonly Migration[];
  routes: FastifyPluginAsync;
  consumers: ConsumerSpec[];
  /** Adds finance's gauges (shipments waiting for their order) to the process's /metrics. */
  metrics(registry: Registry): void;
}

/**
 * ERP's finance: a double-entry journal of every document that moves money or stock's value (online orders
 * held as customer deposits until their goods ship), its trial balance, the stock valued at moving average
 * cost, and accounts payable (suppliers' bills of goods received outside purchase orders, paying them and the
 * invoices purchase orders matched). Tax rates come from ERP's pricing, the one place they are defined.
 */
export function financeModule(
  deps: ContextDeps & FinanceOptions & { source: PricingSource; catalog: Pick<CatalogStore, 'findProducts'> },
): FinanceModule {
  const journal = createJournalStore(deps);
  const valuations = createValuationStore();
  const locations = createLocationValuationStore();
  const reports = createJournalReports();
  const payables = createPayablesStore();
  const documents = createPayableDocuments();
  const commands = createPayablesCommands({ ...deps, journal, payables, documents });
  const bills = createSupplierBillStore();
  const unbilled = createUnbilledReceiptStore();
  const onlineOrders = createOnlineOrderReads();
  const billCommands = createSupplierBillCommands({
    ...deps,
    journal,
    bills,
    invoiceNumbers: createSupplierInvoiceNumbers(),
    paymentTermsDays: deps.supplierPaymentTermsDays,
  });
  return {
    migrations: financeMigrations,
    routes: async (app) => {
      await app.register(financeRoutes({ db: deps.db, journal, reports }));
      await app.register(valuationRoutes({ db: deps.db, valuations, locations }));
      await app.register(
        payablesRoutes({ db: deps.db, clock: deps.clock, payables, documents, commands, reports }),
      );
      await app.register(supplierBillRoutes({ db: deps.db, bills, unbilled, commands: billCommands }));
      await app.register(onlineOrderRoutes({ db: deps.db, clock: deps.clock, reads: onlineOrders }));
    },
    metrics: (registry) =>
      registerOnlineOrderMetrics(registry, { db: deps.db, clock: deps.clock, reads: onlineOrders }),
    consumers: [
      financeConsumer({
        db: deps.db,
        outbox: deps.outbox,
        source: deps.source,
        journal,
        state: createDocumentState(),
        online: createOnlineRevenueBooking({
          journal,
          deposits: createOnlineDepositStore(),
          products: rowsPerTransaction(
            (tx, skus) => deps.catalog.findProducts(tx, skus),
            (product) => product.sku,
          ),
        }),
      }),
      valuationConsumer({ db: deps.db, clock: deps.clock, journal, valuations, locations, unbilled }),
    ],
  };
}
