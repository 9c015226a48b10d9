import type { ContextDeps, ConsumerSpec, Migration, Tx } from '@tillstream/kernel';
import type { CloudEvent, Quote, SaleCompletedV1Data } from '@tillstream/contracts';
import type { FastifyPluginAsync } from 'fastify';
import type { PricingSource } from '../pricing/pricing.source.js';
import { financeConsumer, includedRatesOf } from './finance.consumer.js';
import { financeMigrations } from './finance.migrations.js';
import { financeRoutes } from './finance.routes.js';
import { saleEntry } from './journal.decide.js';
import { createJournalStore } from './journal.store.js';

export interface FinanceModule {
  migrations: readonly Migration[];
  routes: FastifyPluginAsync;
  /** Its consumer, which reads tax rates from ERP's pricing. */
  consumer(source: PricingSource): ConsumerSpec;
  /** Books a store sale as ERP priced it again: in that consumer's transaction, with that quote's tax rates. */
  bookSale(tx: Tx, event: CloudEvent, sale: SaleCompletedV1Data, priced: Quote | null): Promise<void>;
}

/** ERP's finance: a double-entry journal of every document that moves money, and its trial balance. */
export function financeModule(deps: ContextDeps): FinanceModule {
  const journal = createJournalStore(deps);
  return {
    migrations: financeMigrations,
    routes: financeRoutes({ db: deps.db, journal }),
    consumer: (source) => financeConsumer({ db: deps.db, source, journal }),
    async bookSale(tx, event, sale, priced) {
      await journal.post(tx, saleEntry(sale, includedRatesOf(priced)), event.id);
    },
  };
}
