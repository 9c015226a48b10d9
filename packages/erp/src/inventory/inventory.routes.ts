import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import {
  conflict,
  fingerprintOf,
  notFound,
  placeholders,
  unprocessable,
  type Clock,
  type Db,
} from '@tillstream/kernel';
import { adjustmentTime } from './adjustment.decide.js';
import { createDocumentStore } from './documents.store.js';
import { assertStocked } from './stocked.js';
import type { CatalogStore } from '../catalog/catalog.store.js';
import type { BackorderAllocator } from './backorder.allocate.js';
import { adjustmentMovement, type StockBalance } from './stock.decide.js';
import { toBalance, type BalanceRow, type StockStore } from './stock.store.js';
import { AdjustmentBody, AdjustmentView, InventoryView } from './inventory.schemas.js';
import { balanceView, kitView, stockView } from './inventory.view.js';
import { onOrderByLocation } from './purchase-order.decide.js';
import { SkuParams } from '../catalog/catalog.schemas.js';

export function inventoryRoutes(deps: {
  db: Db;
  clock: Clock;
  catalog: CatalogStore;
  stock: StockStore;
  allocator: BackorderAllocator;
  /** Lines of the SKU on open purchase orders, per location. */
  onOrder: (
    reader: Db,
    sku: string,
  ) => Promise<Array<{ locationId: string; quantity: number; received: number }>>;
}): FastifyPluginAsync {
  const { db, clock, catalog, stock } = deps;
  const adjustments = createDocumentStore('stock_adjustments', 'adjustment_id_conflict');
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/inventory/adjustments',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Adjust or receive stock (idempotent by id)',
          description:
            'Replaying the same id and body answers 200 with the first result; the same id with another body is 409.',
          body: AdjustmentBody,
          response: { 200: AdjustmentView, 201: AdjustmentView },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const hash = fingerprintOf([
          body.sku,
          body.locationId,
          body.delta,
          body.reason,
          new Date(body.occurredAt).toISOString(),
          // Only when given: an adjustment sent before costs were taken replays as it did.
          ...(body.unitCost !== undefined ? [body.unitCost] : []),
        ]);
        const { kind: movementKind, change } = adjustmentMovement(body.reason, body.delta);
        if (body.unitCost !== undefined && movementKind !== 'received')
          throw unprocessable(
            'unit_cost_not_applicable',
            'A unit cost values goods received: give it with reason `received` and a positive delta',
          );
        const outcome = await db.transaction(async (tx) => {
          const now = clock.now();
          // The id is claimed before anything is written: a concurrent request with the same id waits for this
          // transaction and replays its result instead of writing the movement a second time.
          const replay = await adjustments.claim<unknown>(tx, body.id, hash, now.toISOString());
          if (replay) return { created: false, result: replay };
          const occurredAt = adjustmentTime(body.occurredAt, now);
          await assertStocked(tx, catalog, [body.sku]);
          const location = await catalog.findLocation(tx, body.locationId);
          if (!location) throw unprocessable('unknown_location', `No location ${body.locationId}`);
          const balance = (await stock.apply(tx, {
            id: `adjustment/${body.id}`,
            sku: body.sku,
            locationId: body.locationId,
            kind: movementKind,
            change,
            occurredAt,
            reference: `adjustment/${body.id}`,
            unitCost: body.unitCost ?? null,
          }))!;
          // Only a decrease is refused: an increase of a negative on-hand (after store sales) must be possible.
          if (body.delta < 0 && balance.onHand < 0)
            throw conflict('adjustment_below_zero', `On hand would become ${balance.onHand}`);
          if (body.delta > 0) await deps.allocator.allocate(tx, [balance], now.toISOString());
          const result = { ...body, occurredAt, movementKind, balance: balanceView(balance) };
          await adjustments.complete(tx, body.id, result);
          return { created: true, result };
        });
        return reply.code(outcome.created ? 201 : 200).send(outcome.result as never);
      },
    );

    app.get(
      '/inventory/:sku',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'Stock of a SKU per location',
          params: SkuParams,
          response: { 200: InventoryView },
        },
      },
      async (request) => {
        const { sku } = request.params;
        const product = await catalog.findProduct(db, sku);
        if (!product) throw notFound('product_not_found', `No product ${sku}`);
        const skus = product.kind === 'kit' ? product.components.map((component) => component.sku) : [sku];
        const rows = await db.query<BalanceRow>(
          `SELECT * FROM stock_balances WHERE sku IN (${placeholders(skus.length)})
           ORDER BY location_id, sku`,
          skus,
        );
        const balances: StockBalance[] = rows.map(toBalance);
        if (product.kind === 'kit') return kitView(product, balances);
        return stockView(sku, balances, onOrderByLocation(await deps.onOrder(db, sku)));
      },
    );
  };
}
