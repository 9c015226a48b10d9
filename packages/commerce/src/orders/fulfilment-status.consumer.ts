import {
  FulfillmentCreatedV1,
  FulfillmentShippedV1,
  type CloudEvent,
  type FulfillmentShippedV1Data,
} from '@tillstream/contracts';
import type { ConsumerSpec, Db } from '@tillstream/kernel';
import { decideFulfilmentStatus, type FulfilmentSignal } from './fulfilment-status.decide.js';
import { orderStore } from './order.store.js';

/**
 * Online order status fed by ERP's fulfilment events: allocated when ERP creates its fulfilments, shipped
 * when the last one ships. Late or repeated events change nothing; a concurrent change (a cancel) fails the
 * optimistic update and the event is retried against the new status.
 */
export function fulfilmentStatusConsumer(db: Db): ConsumerSpec {
  return {
    name: 'commerce.fulfilment-status',
    db,
    sources: ['erp'],
    types: [FulfillmentCreatedV1.type, FulfillmentShippedV1.type],
    async handle(event: CloudEvent, tx) {
      const data = event.data as { orderId: string } & Partial<
        Pick<FulfillmentShippedV1Data, 'orderShipped'>
      >;
      const signal: FulfilmentSignal =
        event.type === FulfillmentShippedV1.type
          ? { type: 'shipped', orderShipped: data.orderShipped === true }
          : { type: 'created' };
      // An order placed elsewhere (not through this storefront) has no row here to update.
      const order = await orderStore.find(tx, data.orderId);
      if (!order) return;
      const decision = decideFulfilmentStatus(order, signal, new Date(event.time).toISOString());
      if (!decision) return;
      if (!(await orderStore.updateStatus(tx, { ...order, ...decision.state }, order.version)))
        throw new Error(`order ${order.id} changed concurrently`);
    },
  };
}
