import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Clock, Db } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import { decideChannel } from './channel.decide.js';
import type { ChannelStore } from './channel.store.js';
import type { ReservationCommands } from './reservation.commands.js';
import {
  ChannelParams,
  ChannelView,
  PutChannelBody,
  ReservationBody,
  ReservationParams,
  ReservationView,
} from './reservation.schemas.js';

export function reservationRoutes(deps: {
  db: Db;
  clock: Clock;
  catalog: CatalogStore;
  channels: ChannelStore;
  commands: ReservationCommands;
}): FastifyPluginAsync {
  const { db, clock, catalog, channels, commands } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/reservations',
      {
        config: { scope: 'erp:hold' },
        schema: {
          tags: ['erp'],
          summary: 'Hold stock for a channel, all lines or none (idempotent by id)',
          description:
            'Each line is placed by the allocation strategy: its `locationId`, else the first of the ' +
            "channel's locations that covers it, else split over them in order. 409 `insufficient_stock` " +
            'names the short lines and reserves nothing. The same id and body answers 200 with the reservation; ' +
            'the same id with another body is 409 `id_conflict`.',
          body: ReservationBody,
          response: { 200: ReservationView, 201: ReservationView },
        },
      },
      async (request, reply) => {
        const { created, view } = await commands.create(request.body);
        return reply.code(created ? 201 : 200).send(view);
      },
    );

    app.get(
      '/reservations/:id',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'A reservation with its allocations and backorders',
          params: ReservationParams,
          response: { 200: ReservationView },
        },
      },
      async (request) => commands.find(request.params.id),
    );

    for (const action of ['commit', 'release'] as const) {
      app.post(
        `/reservations/:id/${action}`,
        {
          config: { scope: 'erp:hold' },
          schema: {
            tags: ['erp'],
            summary:
              action === 'commit'
                ? 'Turn a held reservation into a sale: its units leave stock (repeatable)'
                : 'Release a held reservation: its units are available again (repeatable)',
            params: ReservationParams,
            response: { 200: ReservationView },
          },
        },
        async (request) => (await commands[action](request.params.id)).view,
      );
    }

    app.put(
      '/channels/:channel',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: "Configure a sales channel's locations (allocation order) and safety stock",
          params: ChannelParams,
          body: PutChannelBody,
          response: { 200: ChannelView, 201: ChannelView },
        },
      },
      async (request, reply) => {
        const { channel } = request.params;
        const result = await db.transaction(async (tx) => {
          const known = new Set((await catalog.listLocations(tx)).map((location) => location.locationId));
          const upsert = decideChannel(await channels.find(tx, channel), channel, request.body, known);
          if (upsert.changed) await channels.save(tx, upsert.state, clock.now().toISOString());
          return upsert;
        });
        return reply.code(result.created ? 201 : 200).send(result.state);
      },
    );

    app.get(
      '/channels/:channel',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'A sales channel; an unconfigured one shows the default it runs on',
          params: ChannelParams,
          response: { 200: ChannelView },
        },
      },
      async (request) => channels.resolve(db, request.params.channel),
    );

    app.get(
      '/channels',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'Configured sales channels',
          response: { 200: Type.Object({ channels: Type.Array(ChannelView) }) },
        },
      },
      async () => ({ channels: await channels.list(db) }),
    );
  };
}
