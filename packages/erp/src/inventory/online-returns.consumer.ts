import { ReturnReceivedV1, type CloudEvent, type ReturnReceivedV1Data } from '@tillstream/contracts';
import type { ConsumerSpec, Db } from '@tillstream/kernel';
import type { FulfilmentCommands } from './fulfilment.commands.js';
import { bookReturn, type ReturnBookingDeps } from './return.book.js';

/**
 * Units of an online order that came back are booked like a store return, by disposition, exactly once
 * (inbox, and movement ids from `online/{orderId}/{returnId}`). They come back to the location commerce names,
 * or else to the location that shipped the order. An order ERP never shipped has no such place, and a location
 * ERP does not know is no place either (`bookReturn` refuses it): the event then fails and lands in the
 * dead-letter store for review.
 */
export function onlineReturnsConsumer(
  deps: ReturnBookingDeps & { db: Db; fulfilments: FulfilmentCommands },
): ConsumerSpec {
  return {
    name: 'erp.online-returns',
    db: deps.db,
    sources: ['commerce'],
    types: [ReturnReceivedV1.type],
    async handle(event: CloudEvent, tx) {
      const data = event.data as ReturnReceivedV1Data;
      const locationId = data.locationId ?? (await deps.fulfilments.shippedFrom(tx, data.orderId));
      if (!locationId) throw new Error(`order ${data.orderId} has no shipped fulfilment to return to`);
      await bookReturn(tx, deps, {
        id: `online/${data.orderId}/${data.returnId}`,
        locationId,
        channel: await deps.fulfilments.channelOf(tx, data.orderId),
        occurredAt: new Date(data.receivedAt).toISOString(),
        lines: data.lines,
      });
    },
  };
}
