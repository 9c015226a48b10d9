import {
  FulfillmentBackorderedV1,
  FulfillmentCreatedV1,
  FulfillmentDeliveredV1,
  FulfillmentReadyForPickupV1,
  FulfillmentShippedV1,
  type CloudEvent,
  type FulfillmentBackorderedV1Data,
  type FulfillmentShippedV1Data,
} from '@tillstream/contracts';
import type { ConsumerSpec, Db } from '@tillstream/kernel';
import { decideFulfilmentStatus, type FulfilmentSignal } from './fulfilment-status.decide.js';
import { orderStore } from './order.store.js';

const signalOf = (event: CloudEvent): FulfilmentSignal => {
  const data = event.data as { orderShipped?: boolean; orderDelivered?: boolean; orderReady?: boolean };
  if (event.type === FulfillmentReadyForPickupV1.type)
    return { type: 'ready', orderReady: data.orderReady === true };
  if (event.type === FulfillmentShippedV1.type)
    return { type: 'shipped', orderShipped: data.orderShipped === true };
  if (event.type === FulfillmentDeliveredV1.type)
    return { type: 'delivered', orderDelivered: data.orderDelivered === true };
  return { type: 'created' };
};

/**
 * Online order status fed by ERP's fulfilment events: allocated when ERP creates its fulfilments, ready for
 * pickup when all of a collection waits at its store, partially
 * shipped when one ships and others wait, shipped when the last one ships, delivered when the last one is
 * delivered; what each shipped fulfilment carried; and, per line, how many units still wait for stock. Late or repeated events change nothing; a concurrent change (a cancel) fails the optimistic
 * update and the event is retried against the new status.
 */
export function fulfilmentStatusConsumer(db: Db): ConsumerSpec {
  return {
    name: 'commerce.fulfilment-status',
    db,
    sources: ['erp'],
    types: [
      FulfillmentCreatedV1.type,
      FulfillmentReadyForPickupV1.type,
      FulfillmentShippedV1.type,
      FulfillmentDeliveredV1.type,
      FulfillmentBackorderedV1.type,
    ],
    async handle(event: CloudEvent, tx) {
      const data = event.data as { orderId: string };
      // An order placed elsewhere (not through this storefront) has no row here to update.
      const order = await orderStore.find(tx, data.orderId);
      if (!order) return;
      if (event.type === FulfillmentBackorderedV1.type) {
        const backorder = event.data as FulfillmentBackorderedV1Data;
        const waiting = backorder.lines
          .filter((line) => line.backordered > 0)
          .map((line) => ({ lineNo: line.lineNo, quantity: line.backordered }));
        await orderStore.updateBackordered(tx, order.id, waiting, backorder.version);
        return;
      }
      if (event.type === FulfillmentShippedV1.type || event.type === FulfillmentDeliveredV1.type) {
        // What left, for returns of a partly shipped order; a delivered fulfilment shipped first, so either
        // event tells (a consumer that was behind may see the delivery first).
        const { fulfilmentId, lines } = event.data as FulfillmentShippedV1Data;
        await orderStore.recordShipment(tx, order.id, { fulfilmentId, lines });
      }
      const decision = decideFulfilmentStatus(order, signalOf(event), new Date(event.time).toISOString());
      if (!decision) return;
      if (!(await orderStore.updateStatus(tx, { ...order, ...decision.state }, order.version)))
        throw new Error(`order ${order.id} changed concurrently`);
    },
  };
}
