import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import {
  canonicalJson,
  conflict,
  DomainError,
  notFound,
  sha256Hex,
  type Clock,
  type Db,
  type Tx,
} from '@tillstream/kernel';
import { promotionNotFound } from './definition.decide.js';
import { decideRelease } from './redemption.decide.js';
import type { PricingSource } from './pricing.source.js';
import type { Redemption, RedemptionStore } from './redemption.store.js';
import { IdParams, RedemptionBody, RedemptionView, UsageView } from './pricing.schemas.js';
import { livePricing, priceOrFail } from './quote.routes.js';

const view = (redemption: Redemption) => ({
  id: redemption.id,
  source: redemption.source,
  status: redemption.status,
  customerId: redemption.customerId,
  promotionIds: redemption.promotionIds,
  ...(redemption.result as { redeemedAt: string }),
});

/** Thrown when another request redeemed the same id first: rolls back this one's uses before it replays. */
class RedeemedMeanwhile extends Error {}

/** The stored answer to a repeated request: the same body replays it, another body is refused. */
function replayOf(stored: Redemption, requestHash: string): Redemption {
  if (stored.requestHash !== requestHash)
    throw conflict('id_conflict', `Redemption ${stored.id} exists with another body`);
  return stored;
}

export function redemptionRoutes(deps: {
  db: Db;
  clock: Clock;
  source: PricingSource;
  redemptions: RedemptionStore;
}): FastifyPluginAsync {
  const { db, clock, source, redemptions } = deps;
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['erp', 'pricing'];

    app.post(
      '/redemptions',
      {
        config: { scope: 'erp:hold' },
        schema: {
          tags,
          summary:
            'Consume the promotions of an order: price it now and take one use of each limited promotion',
          description:
            'All or nothing, counted in the database: when a coupon entered has no use left, or another order ' +
            'took the last use meanwhile, nothing is taken and the answer is 409 `promotion_usage_exhausted` ' +
            'naming them; quote again (a used-up automatic promotion is left out, as in quotes). ' +
            'Idempotent by `id`: the same id and body answer 200 with the first result; another body is 409 `id_conflict`.',
          body: RedemptionBody,
          response: { 200: RedemptionView, 201: RedemptionView },
        },
      },
      async (request, reply) => {
        const { id, ...cart } = request.body;
        const requestHash = sha256Hex(canonicalJson(request.body));
        const redeem = async (tx: Tx) => {
          const previous = await redemptions.find(tx, id);
          if (previous) return { created: false, redemption: replayOf(previous, requestHash) };
          const now = clock.now().toISOString();
          // Priced as if nothing were used up: the conditional updates below are what decide that.
          const { pricing, exhausted: usedUp } = await livePricing(
            source,
            tx,
            cart.lines.map((line) => line.sku),
            cart.customerId,
          );
          const priced = priceOrFail(pricing, { ...cart, at: now, exhaustedPromotionIds: usedUp });
          // A coupon the customer entered is never dropped silently: the order must be quoted again without it.
          const refused = priced.coupons.filter((coupon) => coupon.status === 'exhausted');
          if (refused.length > 0)
            throw conflict('promotion_usage_exhausted', 'A coupon of this order has no use left', {
              promotionIds: refused.map((coupon) => coupon.promotionId),
            });
          const limited = priced.promotions
            .filter((entry) => entry.limited)
            .map((entry) => entry.promotionId);
          const customerId = cart.customerId ?? null;
          // The read above may be stale by now: the conditional updates are what decide.
          const { exhausted } = await redemptions.consume(tx, limited, customerId, id);
          if (exhausted.length > 0)
            throw conflict('promotion_usage_exhausted', `No uses left of: ${exhausted.join(', ')}`, {
              promotionIds: exhausted,
            });
          const redemption: Redemption = {
            id,
            source: 'order',
            status: 'redeemed',
            customerId,
            promotionIds: limited,
            requestHash,
            result: { redeemedAt: now, quote: priced },
          };
          // Nothing written: the same id was redeemed concurrently. Throwing rolls back the uses taken here.
          if (!(await redemptions.insert(tx, redemption, now))) throw new RedeemedMeanwhile();
          return { created: true, redemption };
        };
        let outcome: { created: boolean; redemption: Redemption };
        try {
          outcome = await db.transaction(redeem);
        } catch (error) {
          // A concurrent request with this id won (it may also have taken the last use): answer as a replay.
          const lost =
            error instanceof RedeemedMeanwhile ||
            (error instanceof DomainError && error.code === 'promotion_usage_exhausted');
          if (!lost) throw error;
          const stored = await db.transaction((tx) => redemptions.find(tx, id));
          if (!stored)
            throw error instanceof RedeemedMeanwhile
              ? conflict('concurrent_modification', `Redemption ${id} is being written; retry`)
              : error;
          outcome = { created: false, redemption: replayOf(stored, requestHash) };
        }
        return reply.code(outcome.created ? 201 : 200).send(view(outcome.redemption) as never);
      },
    );

    app.get(
      '/redemptions/:id',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'A redemption by the id of the order or sale that made it',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: RedemptionView },
        },
      },
      async (request) => {
        const redemption = await redemptions.find(db, request.params.id);
        if (!redemption) throw notFound('redemption_not_found', `No redemption ${request.params.id}`);
        return view(redemption) as never;
      },
    );

    app.post(
      '/redemptions/:id/release',
      {
        config: { scope: 'erp:hold' },
        schema: {
          tags,
          summary: 'Give back the uses of a cancelled order, or of a sale its till abandoned (idempotent)',
          description:
            'Releasing twice answers the released redemption again. 404 `redemption_not_found` when nothing was ' +
            'redeemed under the id. 409 `redemption_sale_recorded` once the store sale of that id has arrived: it ' +
            'used the promotions, so the uses stand. A sale that arrives after its uses were given back has them ' +
            'counted again (one past the limit is raised as `usage_limit_exceeded`).',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: RedemptionView },
        },
      },
      async (request) => {
        const { id } = request.params;
        const released = await db.transaction(async (tx) => {
          // A second look sees what a concurrent release or the arriving sale committed meanwhile.
          for (let attempt = 0; attempt < 2; attempt += 1) {
            const redemption = await redemptions.find(tx, id);
            if (decideRelease(id, redemption) === 'released_already') return redemption!;
            if (await redemptions.release(tx, redemption!, clock.now().toISOString()))
              return { ...redemption!, status: 'released' as const };
          }
          throw conflict('concurrent_modification', `Redemption ${id} is changing; retry`);
        });
        return view(released) as never;
      },
    );

    app.get(
      '/promotions/:id/usage',
      {
        config: { scope: 'erp:read' },
        schema: {
          tags,
          summary: 'How many uses of a promotion are taken',
          params: IdParams,
          response: { 200: UsageView },
        },
      },
      async (request) => {
        const usage = await redemptions.usage(db, request.params.id);
        if (!usage) throw promotionNotFound(request.params.id);
        return usage;
      },
    );
  };
}
