import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { LocationId, Sku, Timestamp } from '@tillstream/contracts';
import { DocumentId } from './inventory.schemas.js';
import type { TransferCommands } from './transfer.commands.js';

const Lines = Type.Array(
  Type.Object(
    { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }) },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 500 },
);

const TransferBody = Type.Object(
  { id: DocumentId, sourceId: LocationId, destinationId: LocationId, lines: Lines },
  { additionalProperties: false },
);

const ReceiptBody = Type.Object(
  {
    id: DocumentId,
    lines: Lines,
    occurredAt: Type.Optional(Timestamp),
    close: Type.Optional(
      Type.Boolean({
        description: 'Close the transfer: what has not arrived is recorded as lost in transit',
      }),
    ),
  },
  { additionalProperties: false },
);

const TransferView = Type.Object({
  id: Type.String(),
  sourceId: Type.String(),
  destinationId: Type.String(),
  status: Type.String({ description: 'draft → in_transit → partially_received → received' }),
  lines: Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer(), received: Type.Integer() })),
  discrepancies: Type.Array(
    Type.Object({
      sku: Type.String(),
      shipped: Type.Integer(),
      received: Type.Integer(),
      difference: Type.Integer(),
    }),
  ),
  version: Type.Integer(),
  createdAt: Type.String(),
  shippedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
});

const Params = Type.Object({ id: DocumentId });

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
        const { created, transfer } = await commands.create(request.body);
        return reply.code(created ? 201 : 200).send(transfer);
      },
    );

    app.get(
      '/transfers/:id',
      {
        config: { scope: 'erp:read' },
        schema: { tags: ['erp'], summary: 'A transfer', params: Params, response: { 200: TransferView } },
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
          params: Params,
          response: { 200: TransferView },
        },
      },
      async (request) => commands.ship(request.params.id),
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
          params: Params,
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
          ...(body.occurredAt ? { occurredAt: new Date(body.occurredAt).toISOString() } : {}),
        });
        return reply.code(created ? 201 : 200).send(transfer);
      },
    );
  };
}
