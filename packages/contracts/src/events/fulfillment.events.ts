import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { LocationId, Sku, Timestamp } from '../common.js';

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

export const FulfillmentCreatedV1 = defineEvent(
  'erp.fulfillment.created',
  1,
  'ERP kept a placed order’s hold and allocated it: one fulfilment per location that holds part of the ' +
    'order. The units stay reserved until the fulfilment ships.',
  FulfilmentData,
);
export type FulfillmentCreatedV1Data = Static<typeof FulfillmentCreatedV1.dataSchema>;

export const FulfillmentShippedV1 = defineEvent(
  'erp.fulfillment.shipped',
  1,
  'A fulfilment left its location. When `orderShipped` is true every fulfilment of the order has shipped and ' +
    'the order’s reservation was committed: its units left reserved and on-hand stock.',
  Type.Object({
    ...FulfilmentData.properties,
    orderShipped: Type.Boolean({ description: 'True when this was the order’s last open fulfilment' }),
  }),
);
export type FulfillmentShippedV1Data = Static<typeof FulfillmentShippedV1.dataSchema>;
