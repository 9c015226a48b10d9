import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { LocationId, Sku, Timestamp } from '@tillstream/contracts';
import { fingerprintOf, unprocessable, type Clock, type Db } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import type { BackorderAllocator } from './backorder.allocate.js';
import { createDocumentStore } from './documents.store.js';
import { DocumentId } from './inventory.schemas.js';
import { businessTime } from './receipt.decide.js';
import { returnMovements } from './return.decide.js';
import type { StockStore } from './stock.store.js';

const ReturnBody = Type.Object(
  {
    id: DocumentId,
    locationId: LocationId,
    occurredAt: Timestamp,
    reference: Type.Optional(
      Type.String({ maxLength: 200, description: 'What is returned, e.g. `sale/<id>` or `order/<id>`' }),
    ),
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
          disposition: Type.Union([Type.Literal('restock'), Type.Literal('damaged')]),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

const ReturnView = Type.Object({
  id: Type.String(),
  locationId: Type.String(),
  occurredAt: Type.String(),
  reference: Type.Union([Type.String(), Type.Null()]),
  movements: Type.Array(
    Type.Object({
      sku: Type.String(),
      kind: Type.String({ description: '`returned` (back on the shelf) or `returned_damaged`' }),
      quantity: Type.Integer(),
    }),
  ),
});

export function returnRoutes(deps: {
  db: Db;
  clock: Clock;
  catalog: CatalogStore;
  stock: StockStore;
  allocator: BackorderAllocator;
}): FastifyPluginAsync {
  const { db, clock, catalog, stock } = deps;
  const documents = createDocumentStore('stock_returns');
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/inventory/returns',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary:
            'Take back returned items, in store or online: restock or set aside as damaged (idempotent by id)',
          body: ReturnBody,
          response: { 200: ReturnView, 201: ReturnView },
        },
      },
      async (request, reply) => {
        const body = request.body;
        // The API's returns name no channel, and the journal reverses no revenue for them: their cost stays off
        // every channel too.
        // Dated ahead, the goods' value would be journaled in that future period while the stock is on hand now.
        const occurredAt = businessTime(body.occurredAt, clock.now(), 'return_in_future');
        const command = { ...body, occurredAt, channel: null };
        const hash = fingerprintOf([
          command.locationId,
          command.occurredAt,
          body.reference ?? null,
          body.lines.map((line) => [line.sku, line.quantity, line.disposition]),
        ]);
        const outcome = await db.transaction(async (tx) => {
          const now = clock.now().toISOString();
          const replay = await documents.claim<unknown>(tx, body.id, hash, now);
          if (replay) return { created: false, result: replay };
          if (!(await catalog.findLocation(tx, body.locationId)))
            throw unprocessable('unknown_location', `No location ${body.locationId}`);
          const skus = [...new Set(body.lines.map((line) => line.sku))];
          const products = new Map(
            (await catalog.findProducts(tx, skus)).map((product) => [product.sku, product]),
          );
          const unknown = skus.filter((sku) => !products.has(sku));
          if (unknown.length > 0)
            throw unprocessable('unknown_sku', `No product ${unknown.join(', ')}`, { skus: unknown });
          const movements = returnMovements(command, products);
          await stock.applyAll(tx, movements);
          await deps.allocator.allocate(
            tx,
            movements.filter((movement) => movement.change.onHand > 0),
            now,
          );
          const result = {
            id: body.id,
            locationId: body.locationId,
            occurredAt: command.occurredAt,
            reference: body.reference ?? null,
            movements: movements.map((movement) => ({
              sku: movement.sku,
              kind: movement.kind,
              quantity: movement.change.onHand + movement.change.damaged,
            })),
          };
          await documents.complete(tx, body.id, result);
          return { created: true, result };
        });
        return reply.code(outcome.created ? 201 : 200).send(outcome.result as never);
      },
    );
  };
}
