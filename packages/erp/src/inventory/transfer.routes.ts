import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { utcInstant } from '@tillstream/kernel';
import type { TransferCommands } from './transfer.commands.js';
import {
  ReceiptBody,
  ShipBody,
  TransferBody,
  TransferPage,
  TransferParams,
  TransferQuery,
  TransferView,
} from './transfer.schemas.js';

export function transferRoutes(deps: { commands: TransferCommands }): FastifyPluginAsync {
  const { commands } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/transfers',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Create a transfer between two locations (a draft; idempotent by id)',
          body: TransferBody,
          response: { 200: TransferView, 201: TransferView },
        },
      },
      async (request, reply) => {
        const { expectedAt, ...body } = request.body;
        const { created, transfer } = await commands.create({
          ...body,
          ...(expectedAt ? { expectedAt: utcInstant(expectedAt) } : {}),
        });
        return reply.code(created ? 201 : 200).send(transfer);
      },
    );

    app.get(
      '/transfers',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary:
            'List transfers in id order, optionally by source, destination, status, SKU, time in transit or ' +
            'expected arrival',
          description:
            'What is on its way to a store: `toLocationId` with `shippedBefore` now (shipped, not received in ' +
            'full); with now minus 48 hours, what has been on the way longer than that. What a warehouse sent ' +
            'that has not arrived: the same with `fromLocationId`. Which are late: `overdue=true` (in transit ' +
            'and expected before now), or `expectedBefore` another instant. Each transfer is shown as ' +
            "`GET /transfers/{id}` shows it. Pages by keyset: pass the previous page's `next` as `after` " +
            '(`next` is null on the last page); 400 `invalid_cursor` when it names no transfer, ' +
            '`validation_failed` for an unknown parameter or a bad value.',
          querystring: TransferQuery,
          response: { 200: TransferPage },
        },
      },
      async (request) => {
        const { shippedBefore, expectedBefore, ...filter } = request.query;
        return commands.list({
          ...filter,
          ...(shippedBefore ? { shippedBefore: utcInstant(shippedBefore) } : {}),
          ...(expectedBefore ? { expectedBefore: utcInstant(expectedBefore) } : {}),
        });
      },
    );

    app.get(
      '/transfers/:id',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'A transfer',
          params: TransferParams,
          response: { 200: TransferView },
        },
      },
      async (request) => commands.find(request.params.id),
    );

    app.post(
      '/transfers/:id/ship',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: "Ship: source on-hand → destination in-transit (409 insufficient_stock if it can't)",
          description:
            'Repeatable: a shipped transfer answers as it is. `expectedAt` sets when it should arrive, or ' +
            "changes a shipped one's (without moving stock or publishing an event), and may not be before the " +
            "shipment (422 `transfer_expected_before_shipped`). Left out, a draft's own goes with it, even one " +
            "that has passed: the transfer then shows as overdue. A received transfer's can no longer change " +
            '(409 `transfer_already_received`).',
          params: TransferParams,
          body: ShipBody,
          response: { 200: TransferView },
        },
      },
      async (request) => {
        const expectedAt = request.body?.expectedAt;
        return commands.ship(request.params.id, expectedAt ? { expectedAt: utcInstant(expectedAt) } : {});
      },
    );

    app.post(
      '/transfers/:id/receipts',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Receive part or all of a shipped transfer (idempotent by receipt id)',
          description:
            'Units move from in-transit to on-hand at the destination. When every line has arrived, or with ' +
            '`close`, the transfer is received and each line that differs is listed in `discrepancies`.',
          params: TransferParams,
          body: ReceiptBody,
          response: { 200: TransferView, 201: TransferView },
        },
      },
      async (request, reply) => {
        const { body } = request;
        const { created, transfer } = await commands.receive(request.params.id, {
          id: body.id,
          lines: body.lines,
          close: body.close ?? false,
          ...(body.occurredAt ? { occurredAt: utcInstant(body.occurredAt) } : {}),
        });
        return reply.code(created ? 201 : 200).send(transfer);
      },
    );
  };
}
