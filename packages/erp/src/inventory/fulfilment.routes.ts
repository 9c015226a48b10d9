import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { LocationId, ShippingAddress } from '@tillstream/contracts';
import { invalid } from '@tillstream/kernel';
import type { FulfilmentCommands } from './fulfilment.commands.js';
import type { FulfilmentStatus } from './fulfilment.decide.js';
import { DocumentId } from './inventory.schemas.js';

const FulfilmentView = Type.Object(
  {
    id: Type.String(),
    orderId: Type.String(),
    reservationId: Type.String(),
    locationId: Type.String(),
    status: Type.String({
      description:
        'allocated → shipped → delivered; a collection (`pickup`) may wait for its shopper in between: ' +
        'allocated → ready_for_pickup → shipped → delivered, the last two together when it is collected; ' +
        '`cancelled` when its order was cancelled before it left',
    }),
    lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
    version: Type.Integer(),
    createdAt: Type.String(),
    readyAt: Type.Union([Type.String(), Type.Null()], {
      description: 'When the store made it ready for its shopper to collect; null when it never was',
    }),
    cancelledAt: Type.Union([Type.String(), Type.Null()], {
      description: 'When its order was cancelled before it left; null otherwise',
    }),
    shippedAt: Type.Union([Type.String(), Type.Null()]),
    deliveredAt: Type.Union([Type.String(), Type.Null()]),
    shipTo: Type.Union([ShippingAddress, Type.Null()], {
      description:
        "Where the parcel goes: the order's delivery address; null for an order placed without delivery",
    }),
    shippingMethod: Type.Union(
      [
        Type.Object({ id: Type.String(), name: Type.String({ description: 'As the shopper saw it' }) }),
        Type.Null(),
      ],
      { description: 'The delivery the shopper chose; null with `shipTo`' },
    ),
    pickup: Type.Boolean({
      description:
        'True when the shopper collects the order at `locationId` (click and collect): `shipTo` is then the ' +
        'collection point’s address with the collector’s name',
    }),
  },
  {
    examples: [
      {
        id: 'order-0195f3a2:wh-tilburg',
        orderId: 'order-0195f3a2',
        reservationId: 'checkout:order-0195f3a2',
        locationId: 'wh-tilburg',
        status: 'allocated',
        lines: [{ sku: 'TEE-001', quantity: 2 }],
        version: 1,
        createdAt: '2026-03-02T10:15:01.000Z',
        readyAt: null,
        cancelledAt: null,
        shippedAt: null,
        deliveredAt: null,
        shipTo: {
          name: 'Anna de Vries',
          line1: 'Prinsengracht 263',
          postalCode: '1016 GV',
          city: 'Amsterdam',
          country: 'NL',
        },
        shippingMethod: { id: 'standard', name: 'Standard delivery, 2–3 working days' },
        pickup: false,
      },
    ],
  },
);

const Params = Type.Object(
  { id: Type.String({ ...DocumentId, maxLength: 200 }) },
  { additionalProperties: false },
);
const Query = Type.Object(
  {
    orderId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Every fulfilment of this order, in one page',
      }),
    ),
    locationId: Type.Optional({
      ...LocationId,
      description: 'A location’s work queue instead: its fulfilments oldest first, paged',
    }),
    status: Type.Optional(
      Type.Union(
        [
          Type.Literal('open'),
          Type.Literal('allocated'),
          Type.Literal('ready_for_pickup'),
          Type.Literal('shipped'),
          Type.Literal('delivered'),
          Type.Literal('cancelled'),
        ],
        {
          description:
            'With `locationId`: `open` (the default) is what is still in the building, `allocated` and ' +
            '`ready_for_pickup`; `cancelled` lists what a cancelled order left behind (a collection picked ' +
            'for a shopper who never came goes back on the shelf)',
        },
      ),
    ),
    after: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'With `locationId`: the previous page’s `next`',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 200, description: 'With `locationId`: at most this many; 50' }),
    ),
  },
  { additionalProperties: false },
);

/** What `status` names in a location's queue: `open` is every status whose units are still in the building. */
const STATUSES: Record<NonNullable<Static<typeof Query>['status']>, readonly FulfilmentStatus[]> = {
  open: ['allocated', 'ready_for_pickup'],
  allocated: ['allocated'],
  ready_for_pickup: ['ready_for_pickup'],
  shipped: ['shipped'],
  delivered: ['delivered'],
  cancelled: ['cancelled'],
};

/**
 * The fulfilments a query asks for: one order's, all at once; or one page of a location's queue. It names one
 * or the other (400 `validation_failed`), and the queue's `status`, `after` and `limit` go with `locationId`.
 */
function listFulfilments(commands: FulfilmentCommands, query: Static<typeof Query>) {
  const { orderId, locationId, status, after, limit } = query;
  if ((orderId === undefined) === (locationId === undefined))
    throw invalid(
      'validation_failed',
      'Give either orderId (an order’s fulfilments) or locationId (its queue)',
    );
  if (orderId !== undefined) {
    if (status !== undefined || after !== undefined || limit !== undefined)
      throw invalid(
        'validation_failed',
        'status, after and limit page a location’s queue; an order’s fulfilments come all at once',
      );
    return commands.ofOrder(orderId).then((fulfillments) => ({ fulfillments, next: null }));
  }
  return commands.atLocation({
    locationId: locationId!,
    statuses: STATUSES[status ?? 'open'],
    ...(after === undefined ? {} : { after }),
    limit: limit ?? 50,
  });
}

/**
 * Fulfilments of online orders: created from `commerce.order.placed`, shipped by the warehouse, or made ready
 * and handed over by the store for a collection.
 */
export function fulfilmentRoutes(deps: { commands: FulfilmentCommands }): FastifyPluginAsync {
  const { commands } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/fulfillments',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: "An order's fulfilments, or a location's work queue (what it has to pick or hand over)",
          description:
            '`orderId`: every fulfilment of the order, one per location holding part of it. `locationId`: the ' +
            'location’s fulfilments oldest first, by default those still `open` (to pick, ship, make ready ' +
            'or hand over: a warehouse’s pick list, a store’s collections), paged by `after` = the previous ' +
            'page’s `next` (400 `invalid_cursor` when it names no fulfilment). One of the two, not both (400 ' +
            '`validation_failed`).',
          querystring: Query,
          response: {
            200: Type.Object({
              fulfillments: Type.Array(FulfilmentView),
              next: Type.Union([Type.String(), Type.Null()], {
                description: 'The `after` of the next page of a location’s queue; null when this is the last',
              }),
            }),
          },
        },
      },
      async (request) => listFulfilments(commands, request.query),
    );

    app.post(
      '/fulfillments/:id/ship',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Ship a fulfilment (idempotent); the last one of an order commits its reservation',
          description:
            'Ships an `allocated` fulfilment, or a collection `ready_for_pickup`: its units leave reserved ' +
            'and on-hand stock at its location; when every fulfilment of the order has shipped, the order’s ' +
            'reservation is committed in the same transaction. 409 `reservation_not_held` when the order was ' +
            'cancelled (its hold released).',
          params: Params,
          response: { 200: FulfilmentView },
        },
      },
      async (request) => commands.ship(request.params.id),
    );

    app.post(
      '/fulfillments/:id/ready',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Mark a collection picked and waiting for its shopper (idempotent)',
          description:
            'Click and collect: the store picked the order and it waits at the fulfilment’s location. The ' +
            'units stay reserved. Emits `erp.fulfillment.ready_for_pickup`; with `orderReady` true (no other ' +
            'fulfilment of the order still to be made ready, nothing backordered) the shopper can be told to ' +
            'come. Asking again, or once it was collected, answers the fulfilment as it is. 409 ' +
            '`fulfilment_not_pickup` for a home delivery; 409 `reservation_not_held` when the order ' +
            'was cancelled (its hold released).',
          params: Params,
          response: { 200: FulfilmentView },
        },
      },
      async (request) => commands.ready(request.params.id),
    );

    app.post(
      '/fulfillments/:id/collect',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Hand a collection over to its shopper: shipped and delivered at once (idempotent)',
          description:
            'Click and collect, at the counter, whether the fulfilment was made ready first or not: in one ' +
            'transaction it ships (its units leave reserved and on-hand stock; the order’s last commits the ' +
            'reservation; `erp.fulfillment.shipped`) and is delivered (`erp.fulfillment.delivered`), both at ' +
            'the same instant. One shipped already is only delivered; one delivered already is answered as it ' +
            'is. 409 `fulfilment_not_pickup` for a home delivery; 409 `reservation_not_held` when ' +
            'the order was cancelled (its hold released).',
          params: Params,
          response: { 200: FulfilmentView },
        },
      },
      async (request) => commands.collect(request.params.id),
    );

    app.post(
      '/fulfillments/:id/deliver',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary:
            'Mark a shipped fulfilment delivered (idempotent), e.g. from the carrier’s proof of delivery',
          description:
            'Emits `erp.fulfillment.delivered`; with `orderDelivered` true (every fulfilment of the order ' +
            'delivered, nothing backordered) commerce marks the order delivered. 409 `fulfilment_not_shipped` ' +
            'before the fulfilment shipped.',
          params: Params,
          response: { 200: FulfilmentView },
        },
      },
      async (request) => commands.deliver(request.params.id),
    );
  };
}
