import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import {
  PricingSnapshot,
  PricingSnapshotDelta,
  PricingSnapshotDeltaQuery,
  Quote,
} from '@tillstream/contracts';
import {
  gone,
  invalid,
  noneMatchHits,
  notFound,
  unprocessable,
  type Clock,
  type Db,
  type DomainError,
  type Tx,
} from '@tillstream/kernel';
import {
  isPricingError,
  quote,
  withProducts,
  type CompiledPricing,
  type PricingError,
  type PricingInput,
} from '@tillstream/pricing';
import type { PricingSource } from './pricing.source.js';
import { QuoteBody, SnapshotParams } from './pricing.schemas.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/** The engine's refusals are the catalogue's codes, but for a bad instant, which is a validation failure. */
function toDomainError(error: PricingError): DomainError {
  return error.code === 'invalid_instant'
    ? invalid('validation_failed', error.message)
    : unprocessable(error.code, error.message, error.details);
}

/** Runs the engine, turning its refusals into problem documents. */
export function priceOrFail(pricing: CompiledPricing, input: PricingInput) {
  try {
    return quote(pricing, input);
  } catch (error) {
    throw isPricingError(error) ? toDomainError(error) : error;
  }
}

/** Live pricing for a cart: the compiled rules of this revision plus the cart's products as they are now. */
export async function livePricing(
  source: PricingSource,
  reader: Reader,
  skus: readonly string[],
  customerId?: string,
): Promise<{ pricing: CompiledPricing; exhausted: string[] }> {
  const { rules, exhausted } = await source.live(reader, customerId);
  return { pricing: withProducts(rules.compiled, await source.products(reader, skus), null), exhausted };
}

function sendSnapshot(reply: FastifyReply, ifNoneMatch: string | undefined, version: number, body: string) {
  const etag = `"${version}"`;
  reply.header('etag', etag).header('cache-control', 'private, no-cache');
  if (noneMatchHits(ifNoneMatch, etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}

export function quoteRoutes(deps: { db: Db; clock: Clock; source: PricingSource }): FastifyPluginAsync {
  const { db, clock, source } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['erp', 'pricing'];

    app.post(
      '/quotes',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'Price a cart: unit and line prices, every adjustment and why, tax and totals',
          description:
            'Changes nothing. Priced at `at` (default: now) with live pricing, or with a minted snapshot when ' +
            '`snapshotVersion` is given. Promotions already used up are left out and their coupons say so.',
          body: QuoteBody,
          response: { 200: Quote },
        },
      },
      async (request) => {
        const { snapshotVersion, ...body } = request.body;
        const skus = body.lines.map((line) => line.sku);
        const at = body.at ?? clock.now().toISOString();
        if (snapshotVersion === undefined) {
          const { pricing, exhausted } = await livePricing(source, db, skus, body.customerId);
          return priceOrFail(pricing, { ...body, at, exhaustedPromotionIds: exhausted });
        }
        const pricing = await source.snapshot(db, snapshotVersion);
        if (!pricing) throw notFound('snapshot_not_found', `No pricing snapshot ${snapshotVersion}`);
        const { exhausted } = await source.live(db, body.customerId);
        return priceOrFail(pricing, { ...body, at, exhaustedPromotionIds: exhausted });
      },
    );

    app.get(
      '/pricing/snapshot',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'The current pricing snapshot, for terminals that price offline',
          description:
            'ETag is the version: send If-None-Match to get 304 while nothing changed. A version never changes ' +
            'once minted; a sale names the version it was priced with.',
          response: { 200: PricingSnapshot, 304: Type.Null() },
        },
      },
      async (request, reply) => {
        const served = await source.latestSnapshot();
        return sendSnapshot(reply, request.headers['if-none-match'], served.version, served.body);
      },
    );

    app.get(
      '/pricing/snapshot/delta',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary:
            'What changed in the pricing snapshot since a version held, for terminals that price offline',
          description:
            'Applied to version `since` (`applySnapshotDelta` in @tillstream/pricing) the delta gives the current ' +
            'version, so a holder of the last version downloads one price change rather than the whole catalog. ' +
            '204 when nothing newer than `since` exists; 410 `snapshot_version_gone` when `since` is no longer ' +
            'kept (see pricingSnapshotRetentionHours): fetch GET /erp/v1/pricing/snapshot instead.',
          querystring: PricingSnapshotDeltaQuery,
          response: { 200: PricingSnapshotDelta, 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const { since } = request.query;
        const read = await source.delta(since);
        reply.header('cache-control', 'private, no-cache');
        if (read === 'unchanged') return reply.code(204).send(null);
        if (read === 'gone') {
          throw gone(
            'snapshot_version_gone',
            `Pricing snapshot ${since} is no longer kept; fetch the whole one`,
          );
        }
        return read;
      },
    );

    app.get(
      '/pricing/snapshots/:version',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'A pricing snapshot by version, as it was served',
          params: SnapshotParams,
          response: { 200: PricingSnapshot, 304: Type.Null() },
        },
      },
      async (request, reply) => {
        const { version } = request.params;
        const body = await source.bodyOf(db, version);
        if (body === null) throw notFound('snapshot_not_found', `No pricing snapshot ${version}`);
        return sendSnapshot(reply, request.headers['if-none-match'], version, body);
      },
    );
  };
}
