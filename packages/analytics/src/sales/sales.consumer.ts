import {
  LocationUpsertedV1,
  OrderPlacedV1,
  OrderRefundedV1,
  ReturnCompletedV1,
  ReturnReceivedV1,
  SaleCompletedV1,
  SalesTaxBookedV1,
  type CloudEvent,
  type LocationUpsertedV1Data,
  type OrderPlacedV1Data,
  type OrderRefundedV1Data,
  type ReturnCompletedV1Data,
  type ReturnReceivedV1Data,
  type SaleCompletedV1Data,
  type SalesTaxBookedV1Data,
} from '@tillstream/contracts';
import type { ConsumerSpec, Db, Tx } from '@tillstream/kernel';
import { addEffect, emptyBatch, type BatchTotals } from './batch.decide.js';
import { bookedTaxEffect } from './booked-tax.decide.js';
import {
  onlineReturnEffect,
  orderEffect,
  orderTaken,
  refundEffect,
  saleEffect,
  storeReturnEffect,
  type SalesEffect,
} from './sales.decide.js';
import type { SalesStore } from './sales.store.js';

/** Refunds of an order this consumer never saw placed (it began after the order): the default web channel. */
const UNKNOWN_ORDER_CHANNEL = 'web';

/**
 * Sales figures from the documents POS and commerce publish, and the tax inside store prices from what ERP's
 * journal booked of each store sale and return (`erp.sales_tax.booked`), and each store's time zone from ERP's
 * locations (`erp.location.upserted`), which a report of one store counts in. Exactly once by the kernel's inbox:
 * the inbox row, the figures added and the checkpoint commit in one transaction, so a redelivered event adds
 * nothing. A batch's figures are added up in memory and written once per bucket at its end (`finish`), in the
 * same transaction.
 */
export function salesConsumer(deps: { db: Db; store: SalesStore }): ConsumerSpec {
  const { store } = deps;
  // Per transaction: the pos, commerce and erp sources are read by separate workers, each batch its own totals.
  const batches = new WeakMap<Tx, BatchTotals>();

  async function effectOf(event: CloudEvent, tx: Tx): Promise<SalesEffect | null> {
    switch (event.type) {
      case SaleCompletedV1.type:
        return saleEffect(event.data as SaleCompletedV1Data);
      case ReturnCompletedV1.type:
        return storeReturnEffect(event.data as ReturnCompletedV1Data);
      case OrderPlacedV1.type: {
        const order = event.data as OrderPlacedV1Data;
        await store.rememberOrder(tx, order.orderId, orderTaken(order));
        return orderEffect(order);
      }
      case OrderRefundedV1.type: {
        const refund = event.data as OrderRefundedV1Data;
        const order = await store.orderTaken(tx, refund.orderId);
        return refundEffect(refund, order?.channel ?? UNKNOWN_ORDER_CHANNEL, order);
      }
      case ReturnReceivedV1.type: {
        const ret = event.data as ReturnReceivedV1Data;
        const order = await store.orderTaken(tx, ret.orderId);
        return onlineReturnEffect(ret, order ?? { channel: UNKNOWN_ORDER_CHANNEL, locationId: '' });
      }
      case SalesTaxBookedV1.type:
        return bookedTaxEffect(event.data as SalesTaxBookedV1Data);
      case LocationUpsertedV1.type: {
        const location = event.data as LocationUpsertedV1Data;
        await store.rememberStoreTimeZone(tx, { ...location, timeZone: location.timeZone ?? null });
        return null;
      }
      default:
        return null;
    }
  }

  return {
    name: 'analytics.sales',
    db: deps.db,
    sources: ['pos', 'commerce', 'erp'],
    types: [
      SaleCompletedV1.type,
      ReturnCompletedV1.type,
      OrderPlacedV1.type,
      OrderRefundedV1.type,
      ReturnReceivedV1.type,
      SalesTaxBookedV1.type,
      LocationUpsertedV1.type,
    ],
    async prepare(_events, tx) {
      batches.set(tx, emptyBatch());
    },
    async handle(event, tx) {
      const effect = await effectOf(event, tx);
      if (!effect) return;
      const batch = batches.get(tx);
      if (batch) addEffect(batch, effect);
      else {
        const single = emptyBatch();
        addEffect(single, effect);
        await store.add(tx, single);
      }
    },
    async finish(tx) {
      const batch = batches.get(tx);
      batches.delete(tx);
      if (batch) await store.add(tx, batch);
    },
  };
}
