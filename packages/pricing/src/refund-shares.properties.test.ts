import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocate,
  mulDivRound,
  refundParts,
  splitInTurn,
  refundShares,
  type RatedPart,
  type RefundStep,
} from './rounding.js';

/**
 * Refunds of an order whose delivery is taxed apart, against what a tax return needs: however an order is
 * refunded (named delivery, goods only, unnamed, in any steps), once it is refunded in full every rate has given
 * back exactly its goods and tax, and each refund is split whole.
 */
const RATES = [0, 90_000, 210_000];
const taxed = (ratePpm: number, net: number): RatedPart => ({
  ratePpm,
  net,
  tax: mulDivRound(net, ratePpm, 1_000_000),
});

const orders = fc
  .record({
    goods: fc.array(
      fc.record({ rate: fc.constantFrom(...RATES), net: fc.integer({ min: 1, max: 50_000 }) }),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    delivery: fc.option(
      fc.record({ rate: fc.constantFrom(...RATES), net: fc.integer({ min: 1, max: 2_000 }) }),
      {
        nil: null,
      },
    ),
  })
  .map(({ goods, delivery }) => {
    const parts: RatedPart[] = [];
    const add = (part: RatedPart) => {
      const same = parts.find((existing) => existing.ratePpm === part.ratePpm);
      if (same) {
        same.net += part.net;
        same.tax += part.tax;
      } else parts.push({ ...part });
    };
    goods.forEach((line) => add(taxed(line.rate, line.net)));
    const charged = delivery ? taxed(delivery.rate, delivery.net) : null;
    if (charged) add(charged);
    const total = parts.reduce((sum, part) => sum + part.net + part.tax, 0);
    const tax = parts.reduce((sum, part) => sum + part.tax, 0);
    return { parts, delivery: charged, order: { total, tax } };
  });

/** Steps as fractions of what is left; the last refunds the rest. Each names its delivery part or not. */
const steps = fc.array(
  fc.record({
    share: fc.double({ min: 0, max: 1, noNaN: true }),
    names: fc.constantFrom('nothing', 'goods only', 'delivery'),
    deliveryShare: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  { maxLength: 5 },
);

function refundsOf(
  total: number,
  deliveryGross: number,
  plan: ReadonlyArray<(typeof steps extends fc.Arbitrary<infer T> ? T : never)[number]>,
) {
  const refunds: RefundStep[] = [];
  let refunded = 0;
  let shippingRefunded = 0;
  const push = (amount: number, shipping: number | undefined) => {
    refunded += amount;
    shippingRefunded += shipping ?? 0;
    refunds.push({ amount, refunded, shipping, shippingRefunded });
  };
  for (const step of plan) {
    const amount = Math.floor((total - refunded) * step.share);
    const deliveryLeft = Math.min(deliveryGross - shippingRefunded, amount);
    push(
      amount,
      step.names === 'nothing'
        ? undefined
        : step.names === 'goods only'
          ? 0
          : Math.floor(deliveryLeft * step.deliveryShare),
    );
  }
  push(total - refunded, undefined);
  return refunds;
}

describe('refundShares with the delivery known apart', () => {
  it('gives back every rate exactly once an order is refunded in full, however its refunds named their parts', () => {
    fc.assert(
      fc.property(orders, steps, ({ parts, delivery, order }, plan) => {
        const deliveryGross = delivery ? delivery.net + delivery.tax : 0;
        const refunds = refundsOf(order.total, deliveryGross, plan);
        const given = refunds.map((refund) => {
          const shares = refundShares(parts, order, refund, delivery);
          expect(shares.reduce((sum, share) => sum + share.gross, 0)).toBe(refund.amount);
          // Never less than nothing at a rate: a refund does not sell goods again.
          for (const share of shares) expect(Math.min(share.gross, share.tax)).toBeGreaterThanOrEqual(0);
          return shares;
        });
        parts.forEach((part, index) => {
          expect(given.reduce((sum, shares) => sum + shares[index]!.gross, 0)).toBe(part.net + part.tax);
          expect(given.reduce((sum, shares) => sum + shares[index]!.tax, 0)).toBe(part.tax);
        });
        // What the refunds give back of the delivery alone adds up to it too, and is never more than a refund.
        const back = refunds.map((refund) => refundParts(order, refund, delivery)!.delivery);
        back.forEach((part, index) => expect(part.gross).toBeLessThanOrEqual(refunds[index]!.amount));
        expect(back.reduce((sum, part) => sum + part.gross, 0)).toBe(deliveryGross);
        expect(back.reduce((sum, part) => sum + part.tax, 0)).toBe(delivery?.tax ?? 0);
      }),
    );
  });

  it('gives back a refund of the delivery alone at the delivery’s rate, to the cent', () => {
    fc.assert(
      fc.property(orders, ({ parts, delivery, order }) => {
        fc.pre(delivery !== null);
        const gross = delivery!.net + delivery!.tax;
        const shares = refundShares(
          parts,
          order,
          { amount: gross, refunded: gross, shipping: gross, shippingRefunded: gross },
          delivery,
        );
        const at = parts.findIndex((part) => part.ratePpm === delivery!.ratePpm);
        expect(shares[at]).toEqual({ gross, tax: delivery!.tax });
        shares.forEach((share, index) => index !== at && expect(share).toEqual({ gross: 0, tax: 0 }));
      }),
    );
  });

  it('gives back the goods alone at the goods’ rates when a refund names no delivery (a return’s refund)', () => {
    fc.assert(
      fc.property(orders, ({ parts, delivery, order }) => {
        const deliveryGross = delivery ? delivery.net + delivery.tax : 0;
        const goods = order.total - deliveryGross;
        const shares = refundShares(
          parts,
          order,
          { amount: goods, refunded: goods, shipping: 0, shippingRefunded: 0 },
          delivery,
        );
        parts.forEach((part, index) => {
          const own = delivery?.ratePpm === part.ratePpm ? delivery : { net: 0, tax: 0 };
          expect(shares[index]).toEqual({
            gross: part.net + part.tax - own.net - own.tax,
            tax: part.tax - own.tax,
          });
        });
      }),
    );
  });

  it('splits over all parts in proportion when the refund does not state the running delivery total', () => {
    const parts = [taxed(90_000, 1000), taxed(210_000, 500)];
    const order = { total: 1090 + 605, tax: 90 + 105 };
    const refund = { amount: 605, refunded: 605, shipping: 605 };
    const blended = refundShares(parts, order, refund);
    expect(refundShares(parts, order, refund, taxed(210_000, 500))).toEqual(blended);
    expect(blended[0]!.gross).toBeGreaterThan(0);
  });
});

describe('refundShares with figures that do not agree', () => {
  it('still splits a refund whole and never below nothing when its running totals contradict it', () => {
    fc.assert(
      fc.property(
        orders,
        fc.record({
          amount: fc.nat({ max: 60_000 }),
          refunded: fc.nat({ max: 60_000 }),
          shipping: fc.option(fc.nat({ max: 3_000 }), { nil: undefined }),
          shippingRefunded: fc.nat({ max: 3_000 }),
        }),
        ({ parts, delivery, order }, refund) => {
          fc.pre(refund.amount <= refund.refunded && refund.refunded <= order.total);
          const shares = refundShares(parts, order, refund, delivery);
          for (const share of shares) expect(Math.min(share.gross, share.tax)).toBeGreaterThanOrEqual(0);
          expect(shares.reduce((sum, share) => sum + share.gross, 0)).toBeLessThanOrEqual(refund.amount);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe('splitInTurn', () => {
  it('never gives a part less of a larger amount, gives each its weight at their sum, and adds up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        (weights, seed) => {
          const sum = weights.reduce((total, weight) => total + weight, 0);
          fc.pre(sum > 0);
          const amount = seed % sum;
          const now = splitInTurn(amount, weights);
          const next = splitInTurn(amount + 1, weights);
          expect(now.reduce((total, part) => total + part, 0)).toBe(amount);
          now.forEach((part, index) => {
            expect(next[index]!).toBeGreaterThanOrEqual(part);
            expect(Math.abs(part - (amount * weights[index]!) / sum)).toBeLessThan(2);
          });
          expect(splitInTurn(sum, weights)).toEqual(weights);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('gives the last of [3218, 792, 506, 1] no less of 2,156 than of 2,155, where the largest remainder does', () => {
    const weights = [3218, 792, 506, 1];
    expect([splitInTurn(2155, weights)[3], splitInTurn(2156, weights)[3]]).toEqual([0, 0]);
    expect([allocate(2155, weights)[3], allocate(2156, weights)[3]]).toEqual([1, 0]);
  });
});
