import {
  FulfillmentShippedV1,
  OrderPlacedV1,
  OrderRefundedV1,
  ReturnCompletedV1,
  SaleCompletedV1,
  SalesTaxBookedV1,
  ShiftClosedV1,
  StoredValueExceptionRaisedV1,
  StoredValueExpiredV1,
  StoredValueIssuedV1,
  type CloudEvent,
  type FulfillmentShippedV1Data,
  type OrderPlacedV1Data,
  type OrderRefundedV1Data,
  type ReturnCompletedV1Data,
  type SaleCompletedV1Data,
  type SalesTaxBookedV1Data,
  type ShiftClosedV1Data,
  type StoredValueExceptionRaisedV1Data,
  type StoredValueExpiredV1Data,
  type StoredValueIssuedV1Data,
} from '@tillstream/contracts';
import { rowsPerTransaction, type ConsumerSpec, type Db, type Outbox, type Tx } from '@tillstream/kernel';
import { taxRateFor, type CompiledRules } from '@tillstream/pricing';
import type { PricingSource } from '../pricing/pricing.source.js';
import type { DocumentState } from './document-state.store.js';
import { taxInside, type JournalEntry, type TaxRateOf } from './journal.decide.js';
import type { JournalStore } from './journal.store.js';
import { orderLineTax } from './online-documents.decide.js';
import type { OnlineRevenueBooking } from './online-revenue.book.js';
import { returnTaxBooked, saleTaxBooked } from './sales-tax.decide.js';
import {
  overShortEntry,
  returnEntry,
  type ReturnedTax,
  saleEntry,
  saleLineTax,
  storedValueExpiredEntry,
  storedValueShortfallEntry,
  storedValueSoldEntry,
} from './store-documents.decide.js';

const SKUS_OF: Record<string, (data: unknown) => string[]> = {
  [SaleCompletedV1.type]: (data) => (data as SaleCompletedV1Data).lines.map((line) => line.sku),
  [ReturnCompletedV1.type]: (data) => (data as ReturnCompletedV1Data).lines.map((line) => line.sku),
  [OrderPlacedV1.type]: (data) => (data as OrderPlacedV1Data).lines.map((line) => line.sku),
};

/** A journal entry to post, and for a store sale or return the sales tax it books, published with it. */
interface Booking {
  entry: JournalEntry;
  taxBooked?: SalesTaxBookedV1Data;
}

/**
 * ERP's books, kept from the documents the other contexts publish: store sales and returns, gift cards sold,
 * spent beyond their balance offline or expired with value left, online orders (paid into a deposit), the
 * revenue their goods earn as ERP ships them, their refunds, and each closed shift's cash over or short. The consumer keeps an inbox: a return also counts what of its sale came back, which a redelivery
 * must not count again (the entries themselves are unique by source document besides). The sales tax of each
 * store document is published as `erp.sales_tax.booked` in the transaction that posts its entry: the tax
 * inside shelf prices is known only here, where the rates are.
 */
export function financeConsumer(deps: {
  db: Db;
  outbox: Outbox;
  source: PricingSource;
  journal: JournalStore;
  state: DocumentState;
  online: OnlineRevenueBooking;
}): ConsumerSpec {
  const { source, state, online } = deps;
  const productsOf = rowsPerTransaction(
    (tx, skus) => source.products(tx, skus),
    (product) => product.sku,
  );

  /** The rates in `rules` for products as `taxCategoryOf` knows them; `inclusiveOnly` leaves out added ones. */
  const ratesIn =
    (
      rules: CompiledRules,
      taxCategoryOf: (sku: string) => string | undefined,
      storeId: string | null,
      inclusiveOnly: boolean,
    ): TaxRateOf =>
    (sku) => {
      const category = taxCategoryOf(sku);
      const rate = category === undefined ? null : taxRateFor(rules, category, storeId);
      // A zero rate is kept: zero-rated goods are reported apart from goods no rate applies to.
      return rate && (rate.inclusive || !inclusiveOnly) ? rate.ratePpm : null;
    };

  /** Rates as ERP's pricing has them now. */
  async function liveRates(tx: Tx, storeId: string | null, skus: string[], inclusiveOnly: boolean) {
    const { compiled } = await source.currentRules(tx);
    const products = await productsOf(tx, skus);
    return ratesIn(compiled, (sku) => products.get(sku)?.taxCategory, storeId, inclusiveOnly);
  }

  /** The rates a sale was priced with: the snapshot its till named, else ERP's pricing (sales arrive soon). */
  async function saleRates(tx: Tx, sale: SaleCompletedV1Data): Promise<TaxRateOf> {
    const version = sale.pricing?.snapshotVersion;
    const snapshot = version === undefined ? null : await source.snapshot(tx, version);
    if (snapshot)
      return ratesIn(snapshot, (sku) => snapshot.products.get(sku)?.taxCategory, sale.storeId, true);
    return liveRates(
      tx,
      sale.storeId,
      sale.lines.map((line) => line.sku),
      true,
    );
  }

  async function bookSale(tx: Tx, sale: SaleCompletedV1Data): Promise<Booking> {
    const rates = await saleRates(tx, sale);
    const taxes = sale.lines.map((line) => saleLineTax(line, rates));
    await state.recordSaleTaxes(
      tx,
      sale.saleId,
      sale.lines
        .map((line, index) => ({
          lineNo: line.lineNo,
          quantity: line.quantity,
          tax: taxes[index]!.amount,
          ratePpm: taxes[index]!.ratePpm,
        }))
        .filter((line, index) => line.tax > 0 && taxes[index]!.included),
    );
    return { entry: saleEntry(sale, taxes), taxBooked: saleTaxBooked(sale, taxes) };
  }

  /**
   * A returned line's tax: what the till added, else its share of what its sale booked inside the price, else
   * (no receipt, or a sale from before the journal) what the rate now puts inside what it refunds.
   */
  async function bookReturn(tx: Tx, ret: ReturnCompletedV1Data): Promise<Booking> {
    const now = await liveRates(
      tx,
      ret.storeId,
      ret.lines.map((line) => line.sku),
      true,
    );
    const taxes: ReturnedTax[] = [];
    for (const line of ret.lines) {
      if (line.tax !== undefined) {
        taxes.push({ amount: line.tax, ratePpm: line.taxRatePpm ?? null });
        continue;
      }
      const fromSale =
        ret.originalSaleId !== null && line.originalLineNo !== undefined
          ? await state.returnTax(tx, ret.originalSaleId, line.originalLineNo, line.quantity)
          : null;
      const ratePpm = fromSale ? (fromSale.ratePpm ?? line.taxRatePpm ?? null) : now(line.sku);
      taxes.push({ amount: fromSale?.amount ?? taxInside(line.lineTotal, ratePpm), ratePpm });
    }
    return { entry: returnEntry(ret, taxes), taxBooked: returnTaxBooked(ret, taxes) };
  }

  async function bookingFor(event: CloudEvent, tx: Tx): Promise<Booking | null> {
    switch (event.type) {
      case SaleCompletedV1.type:
        return bookSale(tx, event.data as SaleCompletedV1Data);
      case ReturnCompletedV1.type:
        return bookReturn(tx, event.data as ReturnCompletedV1Data);
      default: {
        const entry = await entryFor(event, tx);
        return entry ? { entry } : null;
      }
    }
  }

  /** The tax of each line of an online order: as it names it, else at the rate online for its SKU. */
  async function orderTaxes(tx: Tx, order: OrderPlacedV1Data) {
    const rates = await liveRates(
      tx,
      null,
      order.lines.map((line) => line.sku),
      false,
    );
    return order.lines.map((line) => orderLineTax(line, rates));
  }

  /** An online order's documents post their own entries: a placement may recognise shipments that waited. */
  async function bookOnline(event: CloudEvent, tx: Tx): Promise<boolean> {
    switch (event.type) {
      case OrderPlacedV1.type: {
        const order = event.data as OrderPlacedV1Data;
        await online.placed(tx, order, await orderTaxes(tx, order), event.id);
        return true;
      }
      case FulfillmentShippedV1.type:
        await online.shipped(tx, event.data as FulfillmentShippedV1Data, event.id);
        return true;
      case OrderRefundedV1.type:
        await online.refunded(tx, event.data as OrderRefundedV1Data, event.id);
        return true;
      default:
        return false;
    }
  }

  async function entryFor(event: CloudEvent, tx: Tx): Promise<JournalEntry | null> {
    switch (event.type) {
      case StoredValueIssuedV1.type:
        return storedValueSoldEntry(event.data as StoredValueIssuedV1Data);
      case StoredValueExceptionRaisedV1.type:
        return storedValueShortfallEntry(event.data as StoredValueExceptionRaisedV1Data);
      case StoredValueExpiredV1.type:
        return storedValueExpiredEntry(event.data as StoredValueExpiredV1Data);
      case ShiftClosedV1.type: {
        const shift = event.data as ShiftClosedV1Data;
        const { entry, booked } = overShortEntry(shift, await state.shiftBooked(tx, shift.shiftId));
        if (booked) await state.recordShift(tx, shift.shiftId, booked);
        return entry;
      }
      default:
        return null;
    }
  }

  async function publishTax(tx: Tx, data: SalesTaxBookedV1Data): Promise<void> {
    await deps.outbox.append(tx, [
      {
        contract: SalesTaxBookedV1,
        subject: `sales-tax/${data.kind}/${data.documentId}`,
        // Booked once, as the entry is posted once.
        sequence: 1,
        partitionKey: data.storeId,
        data,
      },
    ]);
  }

  return {
    name: 'erp.finance',
    db: deps.db,
    sources: ['pos', 'commerce', 'erp'],
    types: [
      SaleCompletedV1.type,
      ReturnCompletedV1.type,
      StoredValueIssuedV1.type,
      StoredValueExceptionRaisedV1.type,
      StoredValueExpiredV1.type,
      ShiftClosedV1.type,
      OrderPlacedV1.type,
      OrderRefundedV1.type,
      FulfillmentShippedV1.type,
    ],
    /** The products of the whole batch in one query (a query per sale was measurable under ingest). */
    async prepare(events, tx) {
      await productsOf(
        tx,
        events.flatMap((event) => SKUS_OF[event.type]?.(event.data) ?? []),
      );
      await online.prepare(
        tx,
        events.flatMap((event) =>
          event.type === OrderPlacedV1.type
            ? (event.data as OrderPlacedV1Data).lines.map((line) => line.sku)
            : [],
        ),
      );
    },
    async handle(event, tx) {
      if (await bookOnline(event, tx)) return;
      const booking = await bookingFor(event, tx);
      if (!booking) return;
      const posted = await deps.journal.post(tx, booking.entry, event.id);
      // Only with the entry: a document posted before published its tax then.
      if (posted && booking.taxBooked) await publishTax(tx, booking.taxBooked);
    },
  };
}
