import {
  CollectionHandedOverV1,
  CollectionPreparedV1,
  type CloudEvent,
  type CollectionHandedOverV1Data,
  type CollectionPreparedV1Data,
} from '@tillstream/contracts';
import { isDomainError, type ConsumerSpec, type Db } from '@tillstream/kernel';
import type { FulfilmentCommands } from './fulfilment.commands.js';

/**
 * What the stores' tills did at their collection desks (click and collect), applied to the fulfilments once
 * (inbox): a collection put aside is made ready, so the shopper is told to come; one handed over is collected
 * (shipped and delivered). Neither is refused: a hand-over is physical fact, and putting aside an order
 * cancelled meanwhile needs nothing of ERP (the till learns of the cancellation and puts the goods back).
 */
export function posCollectionsConsumer(deps: { db: Db; fulfilments: FulfilmentCommands }): ConsumerSpec {
  return {
    name: 'erp.pos-collections',
    db: deps.db,
    sources: ['pos'],
    types: [CollectionPreparedV1.type, CollectionHandedOverV1.type],
    async handle(event: CloudEvent, tx) {
      if (event.type === CollectionHandedOverV1.type) {
        const handedOver = event.data as CollectionHandedOverV1Data;
        await deps.fulfilments.handedOverAtTill(tx, handedOver.fulfilmentId, handedOver.handedOverAt);
        return;
      }
      const prepared = event.data as CollectionPreparedV1Data;
      try {
        await deps.fulfilments.readyIn(tx, prepared.fulfilmentId);
      } catch (error) {
        // An order cancelled before migration 043 kept its fulfilments allocated with the hold released.
        if (!(isDomainError(error) && error.code === 'reservation_not_held')) throw error;
      }
    },
  };
}
