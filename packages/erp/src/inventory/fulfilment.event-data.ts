import type {
  FulfillmentCreatedV1Data,
  FulfillmentDeliveredV1Data,
  FulfillmentShippedV1Data,
} from '@tillstream/contracts';
import type { DeliverDecision, Fulfilment, ShipDecision } from './fulfilment.decide.js';

/** What every fulfilment event says of the fulfilment, at its current version and status. */
function fulfilmentFields(fulfilment: Fulfilment, occurredAt: string) {
  return {
    fulfilmentId: fulfilment.id,
    orderId: fulfilment.orderId,
    reservationId: fulfilment.reservationId,
    locationId: fulfilment.locationId,
    version: fulfilment.version,
    lines: fulfilment.lines,
    occurredAt,
  };
}

/** Where the parcel goes and how, both null for an order placed without delivery. */
const destinationOf = (fulfilment: Fulfilment) => ({
  shipTo: fulfilment.shipTo,
  shippingMethod: fulfilment.shippingMethod,
});

const expectStatus = <S extends Fulfilment['status']>(fulfilment: Fulfilment, status: S): S => {
  if (fulfilment.status !== status)
    throw new Error(`fulfilment ${fulfilment.id} is ${fulfilment.status}, not ${status}`);
  return status;
};

/** `erp.fulfillment.created`: what a warehouse system picks, where, and the label it prints for it. */
export const createdEventData = (fulfilment: Fulfilment, occurredAt: string): FulfillmentCreatedV1Data => ({
  ...fulfilmentFields(fulfilment, occurredAt),
  status: expectStatus(fulfilment, 'allocated'),
  ...destinationOf(fulfilment),
});

/** `erp.fulfillment.shipped`: the parcel left, with where it goes, for a carrier or notification integration. */
export const shippedEventData = (decision: ShipDecision, occurredAt: string): FulfillmentShippedV1Data => ({
  ...fulfilmentFields(decision.fulfilment, occurredAt),
  status: expectStatus(decision.fulfilment, 'shipped'),
  ...destinationOf(decision.fulfilment),
  orderShipped: decision.orderShipped,
});

/**
 * `erp.fulfillment.delivered`, without the address: it only closes a parcel whose destination its `created`
 * and `shipped` events (same `fulfilmentId`) carried already and which cannot change once it left, and an
 * address (a person's name and phone) should not spread to subscribers that only follow delivery status.
 */
export const deliveredEventData = (
  decision: DeliverDecision,
  occurredAt: string,
): FulfillmentDeliveredV1Data => ({
  ...fulfilmentFields(decision.fulfilment, occurredAt),
  status: expectStatus(decision.fulfilment, 'delivered'),
  orderDelivered: decision.orderDelivered,
});
