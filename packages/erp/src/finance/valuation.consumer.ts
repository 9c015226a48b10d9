import {
  PurchaseOrderInvoicedV1,
  StockChangedV1,
  type CloudEvent,
  type PurchaseOrderInvoicedV1Data,
  type StockChangedV1Data,
} from '@tillstream/contracts';
import type { Clock, ConsumerSpec, Db, Tx } from '@tillstream/kernel';
import type { JournalEntry } from './journal.decide.js';
import type { JournalStore } from './journal.store.js';
import { heldChange, holdMovement, NOTHING_HELD, type HeldUnits } from './location-valuation.decide.js';
import { holdingKeyOf, type HoldingKey, type LocationValuationStore } from './location-valuation.store.js';
import { supplierInvoiceEntry } from './payables.decide.js';
import { unbilledReceiptOf, type ReceivedMovement } from './unbilled-receipts.decide.js';
import type { UnbilledReceiptStore } from './unbilled-receipts.store.js';
import {
  isReceipt,
  ownedChange,
  valuationEntry,
  valueMovement,
  type Valuation,
  type ValuedMovement,
} from './valuation.decide.js';
import type { ValuationStore } from './valuation.store.js';

const movementOf = (data: StockChangedV1Data, unitCost: number | null): ValuedMovement => ({
  id: data.movement.id,
  kind: data.movement.kind,
  locationId: data.locationId,
  quantity: data.movement.quantity,
  inTransit: data.movement.inTransit ?? 0,
  occurredAt: data.movement.occurredAt,
  unitCost,
  channel: data.movement.channel ?? null,
});

/**
 * Keeps the stock's value at moving average cost and books every change of it: ERP's own stock movements, as
 * `erp.stock.changed` publishes them, valued in the order they happened to the ledger. Exclusive, because an
 * average depends on that order: on the scale-out engine one ERP instance values while the others stand by.
 * A batch's valuations are read once before its first movement and written once after its last, with its
 * journal entries (a few statements for the batch, not two per movement). It also books what the stock is
 * owed for: a supplier's invoice matched to a purchase order (`erp.purchase_order.invoiced`) moves the goods
 * received off 2300 onto the supplier's account. Beside each SKU's valuation it keeps the SKU's units per
 * location, read and written once per batch as well, so what a location holds can be valued at the average.
 * A receipt outside purchase orders joins the work list of receipts to bill (`unbilled_receipts`) in the
 * transaction that values it, at what it booked to 2310: nothing, when its SKU had no cost yet. So a bill tells
 * a receipt valued at zero from one not valued yet.
 */
export function valuationConsumer(deps: {
  db: Db;
  clock: Clock;
  journal: JournalStore;
  valuations: ValuationStore;
  locations: LocationValuationStore;
  unbilled: UnbilledReceiptStore;
}): ConsumerSpec {
  const { journal, valuations, locations, unbilled } = deps;
  const batchIn = new WeakMap<
    Tx,
    {
      held: Map<string, Valuation>;
      costs: Map<string, number>;
      changed: Set<string>;
      holdings: Map<string, HoldingKey & HeldUnits>;
      moved: Set<string>;
      posts: Array<{ entry: JournalEntry; eventId: string }>;
      /** The receipts among the batch's movements that were valued, by movement id, with their entry if any. */
      received: Map<string, { movement: ReceivedMovement; currency: string; entry: JournalEntry | null }>;
    }
  >();

  return {
    name: 'erp.valuation',
    db: deps.db,
    sources: ['erp'],
    types: [StockChangedV1.type, PurchaseOrderInvoicedV1.type],
    exclusive: true,
    async prepare(events, tx) {
      const moves = events
        .filter((event) => event.type === StockChangedV1.type)
        .map((event) => event.data as StockChangedV1Data)
        // A shipped transfer changes what two locations hold, though not what the chain owns.
        .filter((data) => heldChange(movementOf(data, null)) !== 0);
      const held = await valuations.read(tx, [...new Set(moves.map((data) => data.sku))]);
      const receipts = moves.filter((data) => isReceipt(data.movement.kind));
      const costs = await valuations.unitCosts(
        tx,
        receipts.map((data) => data.movement.id),
      );
      const keys = new Map(
        moves.map(({ sku, locationId }) => [holdingKeyOf({ sku, locationId }), { sku, locationId }]),
      );
      const read = await locations.read(tx, [...keys.values()]);
      const holdings = new Map(
        [...keys].map(([key, holding]) => [key, { ...holding, ...(read.get(key) ?? NOTHING_HELD) }]),
      );
      batchIn.set(tx, {
        held,
        costs,
        changed: new Set(),
        holdings,
        moved: new Set(),
        posts: [],
        received: new Map(),
      });
    },
    async handle(event: CloudEvent, tx) {
      const batch = batchIn.get(tx)!;
      if (event.type === PurchaseOrderInvoicedV1.type) {
        const entry = supplierInvoiceEntry(event.data as PurchaseOrderInvoicedV1Data);
        batch.posts.push({ entry, eventId: event.id });
        return;
      }
      const data = event.data as StockChangedV1Data;
      const movement = movementOf(data, batch.costs.get(data.movement.id) ?? null);
      const before = batch.held.get(data.sku);
      // No product, no currency to value it in: a store sold a SKU ERP does not know (its stock exception says so).
      if (!before) return;
      const key = holdingKeyOf(data);
      const holding = batch.holdings.get(key);
      const moved = holding && holdMovement(holding, heldChange(movement), data.version);
      if (moved) {
        batch.holdings.set(key, { ...holding, ...moved });
        batch.moved.add(key);
      }
      const units = ownedChange(movement);
      if (units === 0) return;
      const { after, ...change } = valueMovement(before, units, movement.unitCost);
      batch.held.set(data.sku, after);
      batch.changed.add(data.sku);
      const entry = valuationEntry(movement, after.currency, change);
      if (entry) batch.posts.push({ entry, eventId: event.id });
      if (isReceipt(movement.kind))
        batch.received.set(movement.id, {
          movement: {
            id: movement.id,
            kind: movement.kind,
            sku: data.sku,
            locationId: data.locationId,
            quantity: movement.quantity,
            occurredAt: movement.occurredAt,
            unitCost: movement.unitCost,
          },
          currency: after.currency,
          entry,
        });
    },
    async finish(tx) {
      const batch = batchIn.get(tx)!;
      const written = new Map(
        (await journal.postAll(tx, batch.posts)).map((entry) => [`${entry.kind}/${entry.sourceId}`, entry]),
      );
      await unbilled.add(
        tx,
        [...batch.received.values()].flatMap(({ movement, currency, entry }) => {
          // Only entries written now: a receipt whose entry was posted before (its event replayed) may have
          // been billed since. A receipt valued at nothing has no entry to tell; `add` keeps billed ones off.
          const posted = entry && written.get(`${entry.kind}/${entry.sourceId}`);
          if (entry && !posted) return [];
          return unbilledReceiptOf(movement, currency, posted ?? null) ?? [];
        }),
      );
      await valuations.save(
        tx,
        [...batch.changed].map((sku) => batch.held.get(sku)!),
        deps.clock.now().toISOString(),
      );
      await locations.save(
        tx,
        [...batch.moved].map((key) => batch.holdings.get(key)!),
      );
    },
  };
}
