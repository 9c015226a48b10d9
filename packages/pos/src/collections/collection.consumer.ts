import {
  FulfillmentCancelledV1,
  FulfillmentCreatedV1,
  FulfillmentDeliveredV1,
  FulfillmentReadyForPickupV1,
  FulfillmentShippedV1,
  type CloudEvent,
  type FulfillmentCreatedV1Data,
} from '@tillstream/contracts';
import type { ConsumerSpec, Db } from '@tillstream/kernel';
import { applyErpReport, type Collection, type ErpFulfilmentStatus } from './collection.decide.js';
import type { CollectionStore } from './collection.store.js';

/** What every fulfilment event carries; the ones before the parcel leaves also say where it goes. */
type FulfilmentEventData = Pick<
  FulfillmentCreatedV1Data,
  'fulfilmentId' | 'orderId' | 'locationId' | 'version' | 'lines' | 'occurredAt' | 'shipTo' | 'pickup'
> & { status: ErpFulfilmentStatus };

/** A collection as ERP first describes it to POS. */
const newCollection = (data: FulfilmentEventData): Collection => ({
  fulfilmentId: data.fulfilmentId,
  orderId: data.orderId,
  storeId: data.locationId,
  collector: { name: data.shipTo?.name ?? '', phone: data.shipTo?.phone ?? null },
  lines: data.lines,
  erp: { status: data.status, version: 0, at: data.occurredAt },
  firstSeenAt: data.occurredAt,
  readyAt: null,
  cancelledAt: null,
  collectedAt: null,
  prepared: null,
  handedOver: null,
  putBack: null,
});

/**
 * POS's copy of the click-and-collect fulfilments at its stores, for their tills' collection desk: newer
 * fulfilment versions only, so redelivery and reordering change nothing. Home deliveries are not the stores'
 * business. The delivered and cancelled events do not say whether a fulfilment is a collection: they only
 * update one already known, which ERP's log order guarantees (created comes first for each fulfilment).
 */
export function collectionsConsumer(deps: { db: Db; collections: CollectionStore }): ConsumerSpec {
  return {
    name: 'pos.collections',
    db: deps.db,
    sources: ['erp'],
    types: [
      FulfillmentCreatedV1.type,
      FulfillmentReadyForPickupV1.type,
      FulfillmentShippedV1.type,
      FulfillmentDeliveredV1.type,
      FulfillmentCancelledV1.type,
    ],
    async handle(event: CloudEvent, tx) {
      const data = event.data as FulfilmentEventData;
      const known = await deps.collections.find(tx, data.fulfilmentId, true);
      if (!known && data.pickup !== true) return;
      const report = { status: data.status, version: data.version, occurredAt: data.occurredAt };
      const next = applyErpReport(known ?? newCollection(data), report);
      if (next) await deps.collections.save(tx, next);
    },
  };
}
