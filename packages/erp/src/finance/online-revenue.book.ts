import type { OrderPlacedV1Data, OrderRefundedV1Data } from '@tillstream/contracts';
import type { Tx } from '@tillstream/kernel';
import type { Product } from '../catalog/catalog.decide.js';
import type { LineTax } from './journal.decide.js';
import type { JournalStore } from './journal.store.js';
import type { OnlineDepositStore } from './online-deposits.store.js';
import { onlineOrderEntry, onlineRefundEntry } from './online-documents.decide.js';
import { orderGoods, shipmentRevenue, type OrderDeposit, type Shipment } from './online-revenue.decide.js';

export interface OnlineRevenueDeps {
  journal: JournalStore;
  deposits: OnlineDepositStore;
  /** ERP's products, for the components of the kits an order lists (ERP ships those); read once per batch. */
  products(tx: Tx, skus: readonly string[]): Promise<ReadonlyMap<string, Product>>;
}

/**
 * Books an online order's documents in the finance consumer's transaction: the deposit when it is placed, its
 * revenue as its goods ship, its refunds. Each posts its own entries; a redelivered document posts nothing and
 * changes no deposit (entries are unique by source, a shipment is kept once).
 */
export function createOnlineRevenueBooking(deps: OnlineRevenueDeps) {
  const { journal, deposits } = deps;

  /** Recognises a shipment of an order booked with a deposit, and keeps what is left. */
  async function recognise(tx: Tx, deposit: OrderDeposit, shipment: Shipment, eventId: string) {
    const goods = await deposits.goods(tx, deposit.orderId);
    const earned = shipmentRevenue(deposit, goods, shipment);
    if (earned.entry) await journal.post(tx, earned.entry, eventId);
    await deposits.save(
      tx,
      earned.deposit,
      earned.goods.filter((item, index) => item.shipped !== goods[index]!.shipped),
    );
    return earned.deposit;
  }

  return {
    /** Reads the products of a batch's orders in one query, before its events are booked one by one. */
    prepare: (tx: Tx, skus: readonly string[]) => deps.products(tx, skus),

    async placed(tx: Tx, order: OrderPlacedV1Data, taxes: readonly LineTax[], eventId: string) {
      const { entry, deposit } = onlineOrderEntry(order, taxes);
      if (!(await journal.post(tx, entry, eventId))) return;
      const products = await deps.products(
        tx,
        order.lines.map((line) => line.sku),
      );
      const lines = order.lines.map((line, index) => ({
        sku: line.sku,
        quantity: line.quantity,
        value: line.lineTotal - (taxes[index]?.amount ?? 0),
      }));
      await deposits.open(tx, deposit, orderGoods(lines, products));
      // ERP may have shipped before this consumer read the order: commerce's log and ERP's are read apart.
      let current = deposit;
      for (const { shipment, eventId: shippedBy } of await deposits.waitingShipments(tx, order.orderId)) {
        current = await recognise(tx, current, shipment, shippedBy);
        await deposits.shipmentBooked(tx, order.orderId, shipment.fulfilmentId);
      }
    },

    async shipped(tx: Tx, shipment: Shipment, eventId: string) {
      const { status, deposit } = await deposits.claim(tx, shipment.orderId);
      if (status === 'revenue_at_placement') return;
      if (status === 'awaiting_order') {
        // An order booked before deposits existed was revenue when placed: its goods earn nothing more.
        if (await journal.orderBooked(tx, shipment.orderId))
          await deposits.markRevenueAtPlacement(tx, shipment.orderId);
        else await deposits.recordShipment(tx, shipment, eventId, true);
        return;
      }
      if (await deposits.recordShipment(tx, shipment, eventId, false))
        await recognise(tx, deposit, shipment, eventId);
    },

    /**
     * Takes what the refund gives back out of the deposit the order still holds, as far as it goes. Whether a
     * shipment's revenue was recognised first depends on which log this consumer read first; either way the
     * entries balance, the deposit ends at zero once the order has shipped, and the order's net revenue is its
     * deposit less its refunds without tax.
     */
    async refunded(tx: Tx, refund: OrderRefundedV1Data, eventId: string) {
      const booked = await journal.orderBooked(tx, refund.orderId);
      const deposit = await deposits.lockDeposit(tx, refund.orderId);
      const { entry, deposit: after } = onlineRefundEntry(refund, booked, deposit);
      if (!(await journal.post(tx, entry, eventId))) return;
      if (after) await deposits.save(tx, after);
    },
  };
}

export type OnlineRevenueBooking = ReturnType<typeof createOnlineRevenueBooking>;
