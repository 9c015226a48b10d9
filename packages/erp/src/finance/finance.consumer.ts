import {
  OrderPlacedV1,
  OrderRefundedV1,
  ReturnCompletedV1,
  ShiftClosedV1,
  StoredValueIssuedV1,
  type CloudEvent,
  type OrderPlacedV1Data,
  type OrderRefundedV1Data,
  type Quote,
  type ReturnCompletedV1Data,
  type ShiftClosedV1Data,
  type StoredValueIssuedV1Data,
} from '@tillstream/contracts';
import { rowsPerTransaction, type ConsumerSpec, type Db, type Tx } from '@tillstream/kernel';
import { taxRateFor } from '@tillstream/pricing';
import type { PricingSource } from '../pricing/pricing.source.js';
import {
  onlineOrderEntry,
  onlineRefundEntry,
  overShortEntry,
  returnEntry,
  storedValueSoldEntry,
  type IncludedTaxRate,
  type JournalEntry,
} from './journal.decide.js';
import type { JournalStore } from './journal.store.js';

/** The inclusive rates a priced sale's lines were taxed at, by SKU: what the terminal should have charged. */
export function includedRatesOf(priced: Quote | null): IncludedTaxRate {
  const rates = new Map<string, number>();
  for (const line of priced?.lines ?? []) {
    if (line.tax.inclusive && line.tax.ratePpm > 0) rates.set(line.sku, line.tax.ratePpm);
  }
  return (sku) => rates.get(sku) ?? null;
}

/**
 * ERP's books, kept from the documents the other contexts publish: store returns, gift cards sold, online
 * orders and their refunds, and each closed shift's cash over or short. (Store sales are booked where ERP
 * prices them again, with the tax rates of that quote.) Every entry is unique by its source document, so a
 * redelivered event posts nothing twice without an inbox row.
 */
export function financeConsumer(deps: {
  db: Db;
  source: PricingSource;
  journal: JournalStore;
}): ConsumerSpec {
  const { source, journal } = deps;
  const productsOf = rowsPerTransaction(
    (tx, skus) => source.products(tx, skus),
    (product) => product.sku,
  );

  /** Tax rates as ERP's pricing has them now: documents that carry no rate of their own are taxed at these. */
  async function includedRates(tx: Tx, storeId: string | null, skus: string[]): Promise<IncludedTaxRate> {
    const { compiled } = await source.currentRules(tx);
    const products = await productsOf(tx, skus);
    return (sku) => {
      const product = products.get(sku);
      const rate = product ? taxRateFor(compiled, product.taxCategory, storeId) : null;
      return rate?.inclusive && rate.ratePpm > 0 ? rate.ratePpm : null;
    };
  }

  async function entryFor(event: CloudEvent, tx: Tx): Promise<JournalEntry | null> {
    switch (event.type) {
      case ReturnCompletedV1.type: {
        const ret = event.data as ReturnCompletedV1Data;
        const rates = await includedRates(
          tx,
          ret.storeId,
          ret.lines.map((line) => line.sku),
        );
        return returnEntry(ret, rates);
      }
      case OrderPlacedV1.type: {
        const order = event.data as OrderPlacedV1Data;
        const rates = await includedRates(
          tx,
          null,
          order.lines.map((line) => line.sku),
        );
        return onlineOrderEntry(order, rates);
      }
      case OrderRefundedV1.type: {
        const refund = event.data as OrderRefundedV1Data;
        return onlineRefundEntry(refund, await journal.orderBooked(tx, refund.orderId));
      }
      case StoredValueIssuedV1.type: {
        const issued = event.data as StoredValueIssuedV1Data;
        return storedValueSoldEntry(issued, issued.cause.reference, issued.payments);
      }
      case ShiftClosedV1.type: {
        const shift = event.data as ShiftClosedV1Data;
        return overShortEntry(shift, await journal.overShortBooked(tx, shift.shiftId));
      }
      default:
        return null;
    }
  }

  return {
    name: 'erp.finance',
    db: deps.db,
    sources: ['pos', 'commerce'],
    types: [
      ReturnCompletedV1.type,
      StoredValueIssuedV1.type,
      ShiftClosedV1.type,
      OrderPlacedV1.type,
      OrderRefundedV1.type,
    ],
    redeliverySafe: true,
    async handle(event, tx) {
      const entry = await entryFor(event, tx);
      if (entry) await journal.post(tx, entry, event.id);
    },
  };
}
