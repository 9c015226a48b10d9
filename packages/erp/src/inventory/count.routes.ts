import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { LocationId, Sku, Timestamp } from '@tillstream/contracts';
import { conflict, fingerprintOf, unprocessable, type Clock, type Db } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import type { BackorderAllocator } from './backorder.allocate.js';
import { countMovement, countTime, decideCount } from './count.decide.js';
import { createDocumentStore } from './documents.store.js';
import { DocumentId } from './inventory.schemas.js';
import { keyOf, type StockStore } from './stock.store.js';
import { assertStocked } from './stocked.js';

const CountBody = Type.Object(
  {
    id: DocumentId,
    locationId: LocationId,
    countedAt: Timestamp,
    lines: Type.Array(
      Type.Object(
        { sku: Sku, quantity: Type.Integer({ minimum: 0, maximum: 10_000_000 }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);

const CountView = Type.Object({
  id: Type.String(),
  locationId: Type.String(),
  countedAt: Type.String(),
  lines: Type.Array(
    Type.Object({
      sku: Type.String(),
      counted: Type.Integer(),
      expected: Type.Integer({ description: 'On-hand the ledger had at countedAt' }),
      variance: Type.Integer({ description: 'counted − expected: the change the count made' }),
    }),
  ),
});

export function countRoutes(deps: {
  db: Db;
  clock: Clock;
  catalog: CatalogStore;
  stock: StockStore;
  allocator: BackorderAllocator;
}): FastifyPluginAsync {
  const { db, clock, catalog, stock } = deps;
  const documents = createDocumentStore('stock_counts');
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/inventory/counts',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Record a physical count: absolute on-hand at a business time (idempotent by id)',
          description:
            'New on-hand = counted + changes dated after countedAt. A movement that arrives later but is ' +
            'dated at or before the count is recorded with a count_offset, so it is not subtracted twice.',
          body: CountBody,
          response: { 200: CountView, 201: CountView },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const countedAt = new Date(body.countedAt).toISOString();
        const hash = fingerprintOf([
          body.locationId,
          countedAt,
          body.lines.map((line) => [line.sku, line.quantity]),
        ]);
        const outcome = await db.transaction(async (tx) => {
          const now = clock.now();
          const replay = await documents.claim<unknown>(tx, body.id, hash, now.toISOString());
          if (replay) return { created: false, result: replay };
          const at = countTime(countedAt, now);
          if (!(await catalog.findLocation(tx, body.locationId)))
            throw unprocessable('unknown_location', `No location ${body.locationId}`);
          await assertStocked(
            tx,
            catalog,
            body.lines.map((line) => line.sku),
          );
          const keys = body.lines.map((line) => ({ sku: line.sku, locationId: body.locationId }));
          const balances = await stock.lock(tx, keys, keys);
          const lines = [];
          const superseded = [];
          for (const line of body.lines) {
            const balance = balances.get(keyOf({ sku: line.sku, locationId: body.locationId }))!;
            const decision = decideCount(
              balance,
              line.quantity,
              at,
              await stock.changedAfter(tx, balance, at),
            );
            if (!decision) superseded.push(line.sku);
            else lines.push({ sku: line.sku, counted: line.quantity, ...decision, balance });
          }
          if (superseded.length > 0)
            throw conflict('count_superseded', `A later count exists for ${superseded.join(', ')}`, {
              skus: superseded,
            });
          for (const line of lines)
            await stock.apply(tx, countMovement(body.id, line.balance, line.variance, at));
          await deps.allocator.allocate(
            tx,
            lines.filter((line) => line.variance > 0).map((line) => line.balance),
            now.toISOString(),
          );
          const result = {
            id: body.id,
            locationId: body.locationId,
            countedAt: at,
            lines: lines.map(({ sku, counted, expected, variance }) => ({
              sku,
              counted,
              expected,
              variance,
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
