import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { LocationId, LocationKind, Money, Sku, Timestamp } from '../common.js';
import { Gtin } from '../gtin.js';

export const StockChangedV1 = defineEvent(
  'erp.stock.changed',
  1,
  'The balance of one SKU at one location changed. `version` (also the envelope sequence) grows with every ' +
    'movement of that (sku, location), so projections keep only the newest.',
  Type.Object({
    sku: Sku,
    locationId: LocationId,
    version: Type.Integer({ minimum: 1 }),
    onHand: Type.Integer(),
    reserved: Type.Integer(),
    /** onHand − reserved; each channel's safety stock is applied when it reserves, not here. */
    available: Type.Integer(),
    /** Units shipped to this location by a transfer and not yet received (added in v1, optional). */
    inTransit: Type.Optional(Type.Integer()),
    /** Units here that cannot be sold (added in v1, optional). */
    damaged: Type.Optional(Type.Integer()),
    movement: Type.Object({
      id: Type.String(),
      kind: Type.String(),
      /** Change to onHand. */
      quantity: Type.Integer(),
      /** Changes to the other balances, present when not zero (added in v1, optional). */
      reserved: Type.Optional(Type.Integer()),
      inTransit: Type.Optional(Type.Integer()),
      damaged: Type.Optional(Type.Integer()),
      occurredAt: Timestamp,
      /**
       * The sales channel whose sale, return or reservation it was: `pos` for a store, else the online channel
       * (added in v1, optional; absent for stock's own operations).
       */
      channel: Type.Optional(Type.String()),
    }),
  }),
);
export type StockChangedV1Data = Static<typeof StockChangedV1.dataSchema>;

/** A product being prepared (`draft`), for sale (`active`), or no longer sold (`archived`). */
export const ProductStatus = Type.Union(
  [Type.Literal('draft'), Type.Literal('active'), Type.Literal('archived')],
  {
    description:
      '`draft`: not yet for sale online; `active`: for sale; `archived`: no longer sold online (history kept)',
  },
);

export const ProductUpsertedV1 = defineEvent(
  'erp.product.upserted',
  1,
  'A product was created or changed in the ERP catalog.',
  Type.Object({
    sku: Sku,
    version: Type.Integer({ minimum: 1 }),
    name: Type.String(),
    price: Money,
    kind: Type.Union([Type.Literal('standard'), Type.Literal('kit')]),
    backorderable: Type.Boolean(),
    /**
     * What one unit of a kit is made of (added in v1, optional; present for kits). A kit has no stock of its
     * own: it is available as often as every component covers its quantity.
     */
    components: Type.Optional(
      Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) }), {
        description: 'Kit composition: component SKUs and units per kit',
      }),
    ),
    /**
     * Where it is in its life (added in v1, optional; absent: `active`). Only `active` products are sold
     * online; stores may still sell off what they hold of a `draft` or `archived` one.
     */
    status: Type.Optional(ProductStatus),
    /**
     * The GTINs (EAN-8, UPC-A, EAN-13, GTIN-14) printed on it, as ERP was given them, check digits right and
     * unique across products (added in v1, optional; absent: none). A till resolves a scan with them.
     */
    barcodes: Type.Optional(Type.Array(Gtin)),
  }),
);
export type ProductUpsertedV1Data = Static<typeof ProductUpsertedV1.dataSchema>;

export const LocationUpsertedV1 = defineEvent(
  'erp.location.upserted',
  1,
  'A store or warehouse was created or changed.',
  Type.Object({
    locationId: LocationId,
    version: Type.Integer({ minimum: 1 }),
    name: Type.String(),
    kind: LocationKind,
    /** The IANA time zone the location keeps (added in v1, optional: absent when it names none). */
    timeZone: Type.Optional(Type.String()),
    /**
     * A store's cash rounding (added in v1, optional: absent when it does not round): what is paid or refunded
     * in cash is rounded to the nearest multiple of this many minor units, exactly half up; cards pay to the
     * cent. 5: the Dutch 5 cents. POS checks the rounding its tills state against it.
     */
    cashRoundingIncrement: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
);
export type LocationUpsertedV1Data = Static<typeof LocationUpsertedV1.dataSchema>;

export const StockExceptionRaisedV1 = defineEvent(
  'erp.stock.exception_raised',
  1,
  'A store sale drove on-hand stock below zero, or a till handed over a collection whose order was cancelled ' +
    'meanwhile (cause `adjusted`, `collection/{fulfilment id}`: goods the cancel paid back). The sale or hand-over ' +
    'stands (it is physical fact); the exception is for review.',
  Type.Object({
    exceptionId: Type.String(),
    sku: Sku,
    locationId: LocationId,
    onHand: Type.Integer(),
    cause: Type.Object({ kind: Type.String(), reference: Type.String() }),
  }),
);
export type StockExceptionRaisedV1Data = Static<typeof StockExceptionRaisedV1.dataSchema>;

export const ChannelUpdatedV1 = defineEvent(
  'erp.channel.updated',
  1,
  "A sales channel's configuration changed: where it may sell from, in allocation order, and the units it " +
    'keeps back at each of those locations. `version` (also the envelope sequence) grows with every change. A ' +
    'channel nobody configured has no event and runs on the default: every warehouse, in location-id order, ' +
    'with no safety stock.',
  Type.Object({
    channel: Type.String({ minLength: 1, maxLength: 64 }),
    version: Type.Integer({ minimum: 1 }),
    locations: Type.Array(LocationId),
    /** Units kept back at every location of the channel: available = onHand − reserved − safetyStock. */
    safetyStock: Type.Integer({ minimum: 0 }),
  }),
);
export type ChannelUpdatedV1Data = Static<typeof ChannelUpdatedV1.dataSchema>;
