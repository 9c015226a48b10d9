import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { PricingSnapshot } from '@tillstream/contracts';
import { asNumber, noneMatchHits, unavailable, type Clock, type Db } from '@tillstream/kernel';
import { Type } from 'typebox';
import type { ErpLookup } from '../directory/directory.js';
import { tillHasSnapshot } from './if-none-match.js';
import { keptSnapshot } from './snapshot.decide.js';

/** Terminals poll every few seconds each; one fetch from ERP per second serves them all. */
const SNAPSHOT_REUSE_MS = 1000;

const CatalogView = Type.Object({
  products: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: Type.String(),
      price: Type.Object({ amount: Type.Integer(), currency: Type.String() }),
    }),
  ),
});

/** What a terminal downloads to sell offline: the catalog POS knows and ERP's pricing snapshot. */
export function snapshotRoutes(deps: { db: Db; erp: ErpLookup; clock: Clock }): FastifyPluginAsync {
  const { db, erp, clock } = deps;
  let cached: { at: number; snapshot: PricingSnapshot | null } | null = null;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/catalog',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary:
            'The products terminals sell, as POS knows them from ERP events (ETag; send If-None-Match)',
          response: { 200: CatalogView, 304: Type.Null() },
        },
      },
      async (request, reply) => {
        const [stamp] = await db.query<{ n: number | string; v: number | string | null }>(
          'SELECT COUNT(*) AS n, SUM(version) AS v FROM known_products',
        );
        const etag = `"c${asNumber(stamp!.n)}-${stamp!.v === null ? 0 : asNumber(stamp!.v)}"`;
        reply.header('etag', etag).header('cache-control', 'private, no-cache');
        if (noneMatchHits(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
        const rows = await db.query<{
          sku: string;
          name: string;
          price_amount: number | string;
          currency: string;
        }>('SELECT sku, name, price_amount, currency FROM known_products ORDER BY sku');
        return {
          products: rows.map((row) => ({
            sku: row.sku,
            name: row.name,
            price: { amount: asNumber(row.price_amount), currency: row.currency },
          })),
        };
      },
    );

    app.get(
      '/pricing/snapshot',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary:
            "ERP's current pricing snapshot, for terminals that price offline (ETag is the version; 304 to an " +
            'If-None-Match naming this version or a newer one)',
          response: { 200: PricingSnapshot, 304: Type.Null() },
        },
      },
      async (request, reply) => {
        const now = clock.now().getTime();
        if (!cached || now - cached.at > SNAPSHOT_REUSE_MS) {
          const held = cached?.snapshot ?? null;
          // ERP sends the body again only when its version differs from the one held; never an older one kept.
          cached = { at: now, snapshot: keptSnapshot(held, await erp.pricingSnapshot(held?.version)) };
        }
        const snapshot = cached.snapshot;
        if (!snapshot) throw unavailable('pricing_snapshot_unavailable', 'ERP served no pricing snapshot');
        const etag = `"${snapshot.version}"`;
        reply.header('etag', etag).header('cache-control', 'private, no-cache');
        // A till that another POS instance already gave a newer version keeps it: 304, not this older body.
        if (tillHasSnapshot(request.headers['if-none-match'], snapshot.version)) {
          return reply.code(304).send(null);
        }
        return snapshot;
      },
    );
  };
}
