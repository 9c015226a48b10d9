import type {
  FulfillmentCancelledV1Data,
  FulfillmentCreatedV1Data,
  FulfillmentDeliveredV1Data,
  FulfillmentReadyForPickupV1Data,
  FulfillmentShippedV1Data,
  EventContract,
} from '@tillstream/contracts';
import type { DeliverDecision, Fulfilment, ReadyDecision, ShipDecision } from './fulfilment.decide.js';

/** A fulfilment's event as the outbox takes it, reporting the state change it carries `data` of. */
export const fulfilmentEvent = (contract: EventContract, fulfilment: Fulfilment, data: object) => ({
  contract,
  subject: `fulfilment/${fulfilment.id}`,
  sequence: fulfilment.version,
  // One key per order, so an order's fulfilment events keep their relative order on the bus.
  partitionKey: `order/${fulfilment.orderId}`,
  data,
});

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

/**
 * Where the parcel goes and how, both null for an order placed without delivery, and whether the shopper
 * collects it (false for a delivery and for an order without one).
 */
const destinationOf = (fulfilment: Fulfilment) => ({
  shipTo: fulfilment.shipTo,
  shippingMethod: fulfilment.shippingMethod,
  pickup: fulfilment.pickup,
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

/** `erp.fulfillment.ready_for_pickup`: the moment to tell the shopper to come, and where. */
export const readyForPickupEventData = (
  decision: ReadyDecision,
  occurredAt: string,
): FulfillmentReadyForPickupV1Data => ({
  ...fulfilmentFields(decision.fulfilment, occurredAt),
  status: expectStatus(decision.fulfilment, 'ready_for_pickup'),
  ...destinationOf(decision.fulfilment),
  orderReady: decision.orderReady,
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

/** `erp.fulfillment.cancelled`: what a warehouse or store must no longer pick or hand over. */
export const cancelledEventData = (
  fulfilment: Fulfilment,
  occurredAt: string,
): FulfillmentCancelledV1Data => ({
  ...fulfilmentFields(fulfilment, occurredAt),
  status: expectStatus(fulfilment, 'cancelled'),
});
