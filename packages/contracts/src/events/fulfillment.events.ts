import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { LocationId, ShippingAddress, Sku, Timestamp } from '../common.js';

/** Stock units of one SKU (kits already expanded to components) picked at the fulfilment's location. */
const FulfilmentLine = Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) });

const FulfilmentData = Type.Object({
  fulfilmentId: Type.String(),
  orderId: Type.String(),
  reservationId: Type.String({ description: 'The ERP reservation holding the order’s units' }),
  locationId: LocationId,
  /** The fulfilment's version, also the envelope sequence of subject `fulfilment/{fulfilmentId}`. */
  version: Type.Integer({ minimum: 1 }),
  status: Type.Union([Type.Literal('allocated'), Type.Literal('shipped')]),
  lines: Type.Array(FulfilmentLine),
  occurredAt: Timestamp,
});

/**
 * Where the fulfilment's parcel goes and by which delivery, so a warehouse system can label it and a carrier or
 * notification integration can act on it without calling back. Optional because events written before ERP
 * carried them lack them; ERP now always writes both, null for an order placed without delivery.
 */
const ParcelDestination = {
  shipTo: Type.Optional(
    Type.Union([ShippingAddress, Type.Null()], {
      description:
        'The order’s delivery address; null for an order placed without delivery (or received by ERP before ' +
        'it kept addresses). Absent in events written before this field.',
    }),
  ),
  shippingMethod: Type.Optional(
    Type.Union(
      [
        Type.Object({
          id: Type.String({ description: 'The shipping method’s id in ERP pricing' }),
          name: Type.String({ description: 'The method’s name as the shopper saw it at checkout' }),
        }),
        Type.Null(),
      ],
      { description: 'The delivery the shopper chose; null exactly when `shipTo` is null' },
    ),
  ),
  pickup: Type.Optional(
    Type.Boolean({
      description:
        'True when the shopper collects the order at the fulfilment’s location (click and collect): `shipTo` ' +
        'is then that location’s address with the collector’s name. Absent in events written before it',
    }),
  ),
};

export const FulfillmentCreatedV1 = defineEvent(
  'erp.fulfillment.created',
  1,
  'ERP kept a placed order’s hold and allocated it: one fulfilment per location that holds part of the ' +
    'order. The units stay reserved until the fulfilment ships. `shipTo` and `shippingMethod` say where its ' +
    'parcel goes and how, for the warehouse system that picks and labels it.',
  Type.Object({ ...FulfilmentData.properties, ...ParcelDestination }),
);
export type FulfillmentCreatedV1Data = Static<typeof FulfillmentCreatedV1.dataSchema>;

export const FulfillmentShippedV1 = defineEvent(
  'erp.fulfillment.shipped',
  1,
  'A fulfilment left its location, and its units left reserved and on-hand stock there in the same ' +
    'transaction (`commit` movements). When `orderShipped` is true every fulfilment of the order has shipped ' +
    'and the order’s reservation was committed. `shipTo` and `shippingMethod` repeat where the parcel goes, for ' +
    'a carrier or notification integration that acts on the shipment alone.',
  Type.Object({
    ...FulfilmentData.properties,
    ...ParcelDestination,
    orderShipped: Type.Boolean({ description: 'True when this was the order’s last open fulfilment' }),
  }),
);
export type FulfillmentShippedV1Data = Static<typeof FulfillmentShippedV1.dataSchema>;

export const FulfillmentReadyForPickupV1 = defineEvent(
  'erp.fulfillment.ready_for_pickup',
  1,
  'A collection order’s fulfilment is picked and waits at its location for the shopper (click and collect): the ' +
    'moment to tell them to come. Its units stay reserved until they are handed over (`erp.fulfillment.shipped` ' +
    'and `erp.fulfillment.delivered`, together). When `orderReady` is true every fulfilment of the order is ' +
    'ready (or handed over) and nothing of it waits for stock.',
  Type.Object({
    ...FulfilmentData.properties,
    ...ParcelDestination,
    status: Type.Literal('ready_for_pickup'),
    orderReady: Type.Boolean({
      description: 'True when nothing else of the order has still to be made ready or waits for stock',
    }),
  }),
);
export type FulfillmentReadyForPickupV1Data = Static<typeof FulfillmentReadyForPickupV1.dataSchema>;

export const FulfillmentDeliveredV1 = defineEvent(
  'erp.fulfillment.delivered',
  1,
  'The carrier delivered a shipped fulfilment. When `orderDelivered` is true every fulfilment of the order is ' +
    'delivered and nothing of it waits for stock.',
  Type.Object({
    ...FulfilmentData.properties,
    status: Type.Literal('delivered'),
    orderDelivered: Type.Boolean({
      description: 'True when this was the order’s last undelivered fulfilment',
    }),
  }),
);
export type FulfillmentDeliveredV1Data = Static<typeof FulfillmentDeliveredV1.dataSchema>;

export const FulfillmentCancelledV1 = defineEvent(
  'erp.fulfillment.cancelled',
  1,
  'The order was cancelled before this fulfilment left (its hold released): do not pick, ship or hand it over. ' +
    'Its units are back in stock at its location (`erp.reservation.released`). Sent once per fulfilment still ' +
    'open, `allocated` or `ready_for_pickup`, in the transaction that released the hold.',
  Type.Object({ ...FulfilmentData.properties, status: Type.Literal('cancelled') }),
);
export type FulfillmentCancelledV1Data = Static<typeof FulfillmentCancelledV1.dataSchema>;

export const FulfillmentBackorderedV1 = defineEvent(
  'erp.fulfillment.backordered',
  1,
  'How many units of each line of a placed order still wait for stock (backordered). Sent when the order is ' +
    'placed with backordered units and after every allocation of arriving stock to it, until every line is 0; ' +
    'the allocated units then get a fulfilment of their own (`erp.fulfillment.created`).',
  Type.Object({
    orderId: Type.String(),
    reservationId: Type.String(),
    /** The reservation's version when this was true: newer replaces older. Also the envelope sequence. */
    version: Type.Integer({ minimum: 1 }),
    lines: Type.Array(
      Type.Object({
        lineNo: Type.Integer({ minimum: 1, description: 'The order line (the checkout hold’s line + 1)' }),
        sku: Sku,
        backordered: Type.Integer({ minimum: 0, description: 'Units of the line’s SKU not yet allocated' }),
      }),
    ),
    occurredAt: Timestamp,
  }),
);
export type FulfillmentBackorderedV1Data = Static<typeof FulfillmentBackorderedV1.dataSchema>;
