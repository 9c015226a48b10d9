import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ShippingAddress } from '@tillstream/contracts';
import type { FulfilmentCommands } from './fulfilment.commands.js';
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
        'allocated → ready_for_pickup → shipped → delivered, the last two together when it is collected',
    }),
    lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer() })),
    version: Type.Integer(),
    createdAt: Type.String(),
    readyAt: Type.Union([Type.String(), Type.Null()], {
      description: 'When the store made it ready for its shopper to collect; null when it never was',
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
  { orderId: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

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
          summary: "An order's fulfilments, one per location holding part of it",
          querystring: Query,
          response: { 200: Type.Object({ fulfillments: Type.Array(FulfilmentView) }) },
        },
      },
      async (request) => ({ fulfillments: await commands.ofOrder(request.query.orderId) }),
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
