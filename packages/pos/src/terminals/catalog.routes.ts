import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ProductStatus } from '@tillstream/contracts';
import { asNumber, gone, noneMatchHits, type Db } from '@tillstream/kernel';
import { Type } from 'typebox';
import type { ProductStatus as Status } from '../directory/directory.js';

const CatalogProduct = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  price: Type.Object({ amount: Type.Integer(), currency: Type.String() }),
  barcodes: Type.Array(Type.String(), { description: 'The GTINs printed on it: what a scan finds it by' }),
  status: {
    ...ProductStatus,
    description:
      'Where ERP has it in its life. `active`: offer it for sale. `archived` (discontinued) and `draft` (not ' +
      'released yet): do not offer it — leave it out of search and quick keys, and tell the cashier when one ' +
      'is scanned. A unit the store still holds may be sold off: POS accepts every sale a till posts, whatever ' +
      'the status, and returns of it are taken back as usual. Absent from POS servers older than statuses: ' +
      '`active`',
  },
});
const Revision = Type.Integer({
  minimum: 0,
  description: 'The catalog revision this answer is complete up to: ask for changes since it next time',
});
const CatalogView = Type.Object({ products: Type.Array(CatalogProduct), revision: Revision });
const ChangesQuery = Type.Object(
  {
    since: Type.Integer({
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'The `revision` of the catalog the terminal holds',
    }),
  },
  { additionalProperties: false },
);

interface ProductRow {
  sku: string;
  name: string;
  price_amount: number | string;
  currency: string;
  barcodes: string;
  status: Status;
}

const PRODUCT_COLUMNS = 'SELECT sku, name, price_amount, currency, barcodes, status FROM known_products';

/** In code-unit order of SKU, the same on every engine, so a till merging changes keeps the order it downloaded. */
const toProducts = (rows: ProductRow[]) =>
  rows
    .map((row) => ({
      sku: row.sku,
      name: row.name,
      price: { amount: asNumber(row.price_amount), currency: row.currency },
      barcodes: JSON.parse(row.barcodes) as string[],
      status: row.status,
    }))
    .sort((left, right) => (left.sku < right.sku ? -1 : left.sku > right.sku ? 1 : 0));

/**
 * The products terminals sell, as POS knows them from ERP events: the whole catalog (ETag), or the products
 * changed since a revision the terminal holds. The revision is read before the products, so a change committed
 * in between is sent again next time rather than missed.
 */
export function catalogRoutes(deps: { db: Db }): FastifyPluginAsync {
  const { db } = deps;
  const revision = async () => {
    const [row] = await db.query<{ revision: number | string }>(
      'SELECT revision FROM known_catalog_revision WHERE id = 1',
    );
    return asNumber(row!.revision);
  };
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();

    app.get(
      '/catalog',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary:
            'The products terminals sell, as POS knows them from ERP events (ETag; send If-None-Match), with ' +
            'the revision to ask for changes from',
          response: { 200: CatalogView, 304: Type.Null() },
        },
      },
      async (request, reply) => {
        const current = await revision();
        // Products are only added, and a change is applied only with a higher version (ERP versions every
        // change, a status alone included): count and version sum grow with each, so they name the body.
        const [stamp] = await db.query<{ n: number | string; v: number | string | null }>(
          'SELECT COUNT(*) AS n, SUM(version) AS v FROM known_products',
        );
        const etag = `"c${asNumber(stamp!.n)}-${stamp!.v === null ? 0 : asNumber(stamp!.v)}"`;
        reply.header('etag', etag).header('cache-control', 'private, no-cache');
        if (noneMatchHits(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
        return { products: toProducts(await db.query<ProductRow>(PRODUCT_COLUMNS)), revision: current };
      },
    );

    app.get(
      '/catalog/changes',
      {
        config: { scope: 'pos:read' },
        schema: {
          tags: ['pos'],
          summary: 'The products changed since the catalog revision a terminal holds',
          description:
            'Products whose name, price, barcodes or status changed (or that are new) since revision `since`, ' +
            'whole — an archived product is sent, not left out, so the till stops offering it — and the ' +
            'revision this answer is complete up to. An empty list while nothing changed. 410 ' +
            '`catalog_revision_unknown` for a revision newer than any POS has: download the whole catalog.',
          querystring: ChangesQuery,
          response: { 200: CatalogView },
        },
      },
      async (request, reply) => {
        const { since } = request.query;
        const current = await revision();
        if (since > current) {
          throw gone('catalog_revision_unknown', `Catalog revision ${since} is newer than POS's ${current}`);
        }
        reply.header('cache-control', 'private, no-cache');
        const changed =
          since === current
            ? []
            : await db.query<ProductRow>(`${PRODUCT_COLUMNS} WHERE changed_in > $1`, [since]);
        return { products: toProducts(changed), revision: current };
      },
    );
  };
}
