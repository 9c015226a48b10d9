import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalid, unprocessable, type Db } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import type { ReplenishmentCommands } from './replenishment.commands.js';
import { latestOrderLine } from './replenishment-draft.decide.js';
import { suggestReplenishment } from './replenishment.decide.js';
import {
  RaiseDraftsBody,
  RaiseDraftsResult,
  ReplenishmentPage,
  ReplenishmentQuery,
} from './replenishment.schemas.js';
import type { ReplenishmentStore } from './replenishment.store.js';

/** Both ids are `[A-Za-z0-9][A-Za-z0-9._-]*`, so a '/' between them is unambiguous. */
const CURSOR = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})$/;

/**
 * The cursor is a keyset position, not a row that must still exist: between two pages a suggestion may go
 * (stock arrived, the policy was removed) and the next page must still go on after it. Only its form is checked.
 */
function parseCursor(after: string): { locationId: string; sku: string } {
  if (after === '') return { locationId: '', sku: '' };
  const match = CURSOR.exec(after);
  if (!match) throw invalid('invalid_cursor', 'The cursor is not one this list handed out');
  return { locationId: match[1]!, sku: match[2]! };
}

export function replenishmentRoutes(deps: {
  db: Db;
  catalog: CatalogStore;
  replenishment: ReplenishmentStore;
  commands: ReplenishmentCommands;
}): FastifyPluginAsync {
  const { db, catalog, replenishment, commands } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/replenishment',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags: ['erp'],
          summary: 'What to order where: every SKU and location at or below its reorder point',
          description:
            'Inventory position = onHand + inTransit + onOrder − reserved − backordered. Listed when it is at ' +
            'or below the reorder point and below orderUpTo; `suggested` fills it up to orderUpTo in whole ' +
            'packs. Ordered by location, then SKU; pass `next` as `after` for the following page. ' +
            '422 `unknown_location` for a `locationId` naming no location.',
          querystring: ReplenishmentQuery,
          response: { 200: ReplenishmentPage },
        },
      },
      async (request) => {
        const { locationId = '', limit } = request.query;
        const after = parseCursor(request.query.after);
        if (locationId !== '' && !(await catalog.findLocation(db, locationId)))
          throw unprocessable('unknown_location', `No location ${locationId}`, { locations: [locationId] });
        const due = await replenishment.due(db, { locationId, after, limit: limit + 1 });
        const page = due.slice(0, limit);
        const lastOrders = await replenishment.lastOrderLines(db, [
          ...new Set(page.map(({ policy }) => policy.sku)),
        ]);
        const items = page.flatMap(({ policy, figures, drafted }) => {
          // The query chose these rows by the same test, so a null here means the two disagree: leave it out.
          const suggestion = suggestReplenishment(policy, figures);
          if (!suggestion) return [];
          const cost = latestOrderLine(lastOrders, policy.sku);
          return [
            {
              sku: policy.sku,
              locationId: policy.locationId,
              policy: {
                reorderPoint: policy.reorderPoint,
                orderUpTo: policy.orderUpTo,
                packSize: policy.packSize,
                version: policy.version,
              },
              ...suggestion.figures,
              drafted,
              position: suggestion.position,
              suggested: suggestion.suggested,
              unitCost: cost ? { amount: cost.unitCost, currency: cost.currency } : null,
              lastPurchaseOrderId: cost?.purchaseOrderId ?? null,
            },
          ];
        });
        const last = page.at(-1)?.policy;
        return { items, next: due.length > limit && last ? `${last.locationId}/${last.sku}` : null };
      },
    );

    app.post(
      '/replenishment/purchase-orders',
      {
        config: { scope: 'erp:write' },
        schema: {
          tags: ['erp'],
          summary: 'Raise the draft purchase orders the suggestions call for (repeatable)',
          description:
            "Drafts every suggestion of the filter (the GET's `locationId`; all locations without it), one " +
            'draft per (location, supplier, currency). Each SKU is ordered from the supplier and at the unit ' +
            'cost of its latest submitted, not cancelled purchase order for the same location, else for any ' +
            'location. Open drafts count as on order here: only what they do not cover is drafted, so a second ' +
            'call, or one made at the same time, drafts nothing twice. SKUs with no supplier or cost known are ' +
            'listed in `unassigned` with the reason. The drafts are ordinary purchase orders (submit, edit or ' +
            'cancel them as any); like every draft they publish nothing until submitted. 201 when drafts were ' +
            'raised, 200 with an empty `created` when none were; 422 `unknown_location` for a `locationId` ' +
            'naming no location.',
          body: RaiseDraftsBody,
          response: { 200: RaiseDraftsResult, 201: RaiseDraftsResult },
        },
      },
      async (request, reply) => {
        const result = await commands.raiseDrafts({ locationId: request.body?.locationId ?? '' });
        return reply.code(result.created.length > 0 ? 201 : 200).send(result);
      },
    );
  };
}
