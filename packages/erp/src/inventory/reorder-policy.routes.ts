import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { notFound, unprocessable, type Clock, type Db, type Tx } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import { SkuParams } from '../catalog/catalog.schemas.js';
import type { ReorderPolicyStore } from './reorder-policy.store.js';
import { decideReorderPolicy, type PutReorderPolicy, type ReorderPolicy } from './replenishment.decide.js';
import {
  PutReorderPolicyBody,
  ReorderPolicyList,
  ReorderPolicyParams,
  ReorderPolicyView,
} from './replenishment.schemas.js';
import { assertStocked } from './stocked.js';

export function reorderPolicyRoutes(deps: {
  db: Db;
  clock: Clock;
  catalog: CatalogStore;
  policies: ReorderPolicyStore;
}): FastifyPluginAsync {
  const { db, clock, catalog, policies } = deps;

  /**
   * Decides against the row as it is under its lock. When none exists yet and a concurrent PUT creates it
   * between our read and our insert, the insert does nothing and the PUT is decided again against that row.
   */
  async function put(tx: Tx, key: { sku: string; locationId: string }, command: PutReorderPolicy) {
    const at = clock.now().toISOString();
    for (;;) {
      const current = await policies.find(tx, key.sku, key.locationId, true);
      const decided = decideReorderPolicy(current, key, command);
      if (!decided.changed) return decided;
      if (!decided.created) {
        await policies.update(tx, decided.state, at);
        return decided;
      }
      if (await policies.insert(tx, decided.state, at)) return decided;
    }
  }

  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.put(
      '/inventory/:sku/reorder-policies/:locationId',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Set when to reorder a SKU at a location and how far to fill up (min/max)',
          description:
            'Idempotent: the same content answers 200 with the same version; other content is one more ' +
            'version; 201 when created. 422 `unknown_sku`, `kit_has_no_stock` (set it on the components), ' +
            '`unknown_location`, `order_up_to_below_reorder_point`.',
          params: ReorderPolicyParams,
          body: PutReorderPolicyBody,
          response: { 200: ReorderPolicyView, 201: ReorderPolicyView },
        },
      },
      async (request, reply) => {
        const { sku, locationId } = request.params;
        const decided = await db.transaction(async (tx) => {
          // Shared catalog lock to the end: the SKU cannot become a kit while its policy is being set.
          await assertStocked(tx, catalog, [sku]);
          if (!(await catalog.findLocation(tx, locationId)))
            throw unprocessable('unknown_location', `No location ${locationId}`, { locations: [locationId] });
          return put(tx, { sku, locationId }, request.body);
        });
        return reply.code(decided.created ? 201 : 200).send(view(decided.state));
      },
    );

    app.get(
      '/inventory/:sku/reorder-policies',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: "A SKU's reorder policies, by location",
          description: '404 `product_not_found` for an unknown SKU.',
          params: SkuParams,
          response: { 200: ReorderPolicyList },
        },
      },
      async (request) => {
        const { sku } = request.params;
        if (!(await catalog.findProduct(db, sku))) throw notFound('product_not_found', `No product ${sku}`);
        return { sku, policies: (await policies.ofSku(db, sku)).map(view) };
      },
    );

    app.delete(
      '/inventory/:sku/reorder-policies/:locationId',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Remove a reorder policy: nothing is suggested for the SKU there any more',
          description: '404 `reorder_policy_not_found` when there is none.',
          params: ReorderPolicyParams,
          response: { 204: Type.Null({ description: 'Removed' }) },
        },
      },
      async (request, reply) => {
        const { sku, locationId } = request.params;
        const deleted = await db.transaction((tx) => policies.delete(tx, sku, locationId));
        if (!deleted)
          throw notFound('reorder_policy_not_found', `No reorder policy for ${sku} at ${locationId}`);
        return reply.code(204).send(null);
      },
    );
  };
}

const view = (policy: ReorderPolicy) => ({
  sku: policy.sku,
  locationId: policy.locationId,
  reorderPoint: policy.reorderPoint,
  orderUpTo: policy.orderUpTo,
  packSize: policy.packSize,
  version: policy.version,
});
