import { Type, type Static } from 'typebox';
import { defineEvent } from '../envelope.js';
import { LocationId, Sku, Timestamp } from '../common.js';

/** What a till did with a collection (click and collect order part) waiting at its store, and where. */
const CollectionAct = {
  fulfilmentId: Type.String({ description: 'The ERP fulfilment the shopper collects' }),
  orderId: Type.String({ description: 'The commerce order it is part of' }),
  storeId: LocationId,
  terminalId: Type.String({ description: 'The till that did it' }),
};
/** The stock units a till's act moved, as ERP listed them for the fulfilment (kits already expanded). */
const unitsMoved = (description: string) =>
  Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) }), { description });

export const CollectionPreparedV1 = defineEvent(
  'pos.collection.prepared',
  1,
  'A store picked a collection at a till and put it aside for its shopper. ERP makes the fulfilment ready ' +
    '(`erp.fulfillment.ready_for_pickup`), the moment the shopper is told to come; nothing if its order was ' +
    'cancelled meanwhile (`erp.fulfillment.cancelled` tells the till to put the goods back).',
  Type.Object({ ...CollectionAct, preparedAt: Timestamp }),
);
export type CollectionPreparedV1Data = Static<typeof CollectionPreparedV1.dataSchema>;

export const CollectionHandedOverV1 = defineEvent(
  'pos.collection.handed_over',
  1,
  'A till handed a collection over to its shopper: physical fact, like a store sale, never refused. ERP ships ' +
    'and delivers the fulfilment (`erp.fulfillment.shipped` and `erp.fulfillment.delivered`); if its order had ' +
    'been cancelled before the till heard of it, the units left the shelf all the same and ERP books them out ' +
    'with `adjusted` movements, referenced `collection/{fulfilmentId}`, for the store to recover.',
  Type.Object({
    ...CollectionAct,
    handedOverAt: Timestamp,
    lines: unitsMoved('The stock units handed over, as ERP listed them for the fulfilment'),
  }),
);
export type CollectionHandedOverV1Data = Static<typeof CollectionHandedOverV1.dataSchema>;

export const CollectionPutBackV1 = defineEvent(
  'pos.collection.put_back',
  1,
  'A till put the goods of a cancelled collection back on the shelf: the last act on it, after ' +
    "`erp.fulfillment.cancelled` found its goods put aside. ERP gave the units back to the store's stock when " +
    'it cancelled; this says they are on the shelf again, for whoever follows the store floor (how long ' +
    'cancelled goods sit aside). Only for goods that were put aside; never after a hand-over.',
  Type.Object({
    ...CollectionAct,
    putBackAt: Timestamp,
    lines: unitsMoved('The stock units back on the shelf, as ERP listed them for the fulfilment'),
  }),
);
export type CollectionPutBackV1Data = Static<typeof CollectionPutBackV1.dataSchema>;
