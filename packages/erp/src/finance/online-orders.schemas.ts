import { Type } from 'typebox';

const Status = Type.Union(
  [Type.Literal('deposit'), Type.Literal('revenue_at_placement'), Type.Literal('awaiting_order')],
  {
    description:
      '`deposit`: paid into 2400 when placed, recognised as its goods ship; `revenue_at_placement`: booked as ' +
      'revenue when placed, before deposits existed; `awaiting_order`: shipped before finance read the order, ' +
      'its shipments wait for it',
  },
);

export const OnlineOrderParams = Type.Object({
  orderId: Type.String({ minLength: 1, maxLength: 200 }),
});

const Shipment = {
  fulfilmentId: Type.String(),
  shippedAt: Type.String({ description: 'When the parcel left (UTC)' }),
  orderShipped: Type.Boolean({ description: 'It completed the order' }),
  eventId: Type.String({ description: 'The `erp.fulfillment.shipped` event finance read it from' }),
};

export const OnlineOrderView = Type.Object({
  orderId: Type.String(),
  status: Status,
  placedAt: Type.Union([Type.String(), Type.Null()], {
    description: 'When the journal booked its placement; null while it awaits the order',
  }),
  channel: Type.Union([Type.String(), Type.Null()], { description: 'Null unless it holds a deposit' }),
  currency: Type.Union([Type.String(), Type.Null()], { description: 'Null unless it holds a deposit' }),
  goods: Type.Object({
    sales: Type.Integer({ description: 'What its goods sold for without tax (4000 once shipped)' }),
    discount: Type.Integer({ description: 'Their discount (4050 once shipped)' }),
    deposit: Type.Integer({ description: 'Credited to 2400 for the goods when placed: sales − discount' }),
    recognised: Type.Integer({ description: 'Moved to revenue by shipments so far' }),
    recognisedSales: Type.Integer({ description: 'The sales (4000) of it; its discount is the difference' }),
    refunded: Type.Integer({ description: 'Taken out of the goods’ deposit by refunds' }),
    left: Type.Integer({ description: 'What 2400 still holds for the goods' }),
  }),
  delivery: Type.Object({
    deposit: Type.Integer({ description: 'The delivery’s net, credited to 2400 when placed' }),
    earned: Type.Integer({ description: 'Moved to 4070 by the first parcel' }),
    refunded: Type.Integer({ description: 'Taken out by refunds before the first parcel' }),
    returned: Type.Integer({
      description: 'Of `earned`, given back out of 4070 by refunds that named the delivery (`shipping`)',
    }),
    left: Type.Integer({ description: 'What 2400 still holds for the delivery' }),
    tax: Type.Union([Type.Integer(), Type.Null()], {
      description:
        'The tax in the delivery charge, owed (2100) when the order was paid; refunds give back the delivery they ' +
        'name at its rate. Null for an order booked before ERP kept it apart (finance migration 044)',
    }),
    ratePpm: Type.Union([Type.Integer(), Type.Null()], {
      description: 'The rate of that tax, parts per million; null without a charged delivery, or as `tax`',
    }),
  }),
  left: Type.Integer({ description: 'goods.left + delivery.left: the order’s part of 2400, minor units' }),
  items: Type.Array(
    Type.Object({
      sku: Type.String({ description: 'A stock SKU (a kit as its components)' }),
      ordered: Type.Integer(),
      shipped: Type.Integer(),
    }),
  ),
  shipments: Type.Array(
    Type.Object({
      ...Shipment,
      entry: Type.Union(
        [
          Type.Object({
            entryNo: Type.Integer(),
            sourceId: Type.String({ description: '`<orderId>/<fulfilmentId>`: its `online_shipment` entry' }),
          }),
          Type.Null(),
        ],
        { description: 'The journal entry that booked it; null when it moved nothing' },
      ),
    }),
    { description: 'Shipments booked against the deposit, in the order they left' },
  ),
  waiting: Type.Array(
    Type.Object({
      ...Shipment,
      lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
    }),
    { description: 'Shipments read before the order, waiting for its placement' },
  ),
});

export const OnlineOrdersQuery = Type.Object(
  {
    status: Type.Union([Type.Literal('awaiting_order'), Type.Literal('deposit')], {
      description:
        '`awaiting_order`: shipments wait for the placement; `deposit`: the deposit still holds some',
    }),
    olderThanMinutes: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 5_256_000,
        description:
          '`awaiting_order` only: orders whose oldest waiting shipment left at least this long ago',
      }),
    ),
    cursor: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: "The previous page's `next`, as given: opaque (400 `invalid_cursor` otherwise)",
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

const Next = Type.Union([Type.String(), Type.Null()], {
  description: 'Pass as `cursor` for the next page (opaque: its form may change); null on the last one',
});

export const OnlineOrdersPage = Type.Union([
  Type.Object({
    status: Type.Literal('awaiting_order'),
    asOf: Type.String({ description: 'The instant `waitingSeconds` is counted to' }),
    orders: Type.Array(
      Type.Object({
        orderId: Type.String(),
        oldestShippedAt: Type.String({ description: 'When its oldest waiting shipment left (UTC)' }),
        shipments: Type.Integer({ description: 'Its shipments waiting' }),
        waitingSeconds: Type.Integer({ description: 'How long the oldest has waited, at `asOf`' }),
      }),
      { description: 'Oldest waiting first: by `oldestShippedAt`, then `orderId`' },
    ),
    next: Next,
  }),
  Type.Object({
    status: Type.Literal('deposit'),
    asOf: Type.String(),
    orders: Type.Array(
      Type.Object({
        orderId: Type.String(),
        channel: Type.String(),
        currency: Type.String(),
        goodsLeft: Type.Integer(),
        deliveryLeft: Type.Integer(),
        left: Type.Integer({ description: 'What 2400 still holds for it, minor units' }),
      }),
      { description: 'By `orderId`' },
    ),
    next: Next,
  }),
]);
