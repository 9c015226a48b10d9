import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mulDivRound } from './rounding.js';
import { refundParts, refundShares, type RatedPart, type RefundStep } from './refund-split.js';

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

describe('refundShares with the delivery not known apart: in proportion over all rates', () => {
  // An order of 21 % and 9 % goods: 1210 (1000 + 210) and 218 (200 + 18), 1428 in all, 228 of it tax.
  const parts = [
    { ratePpm: 210_000, net: 1000, tax: 210 },
    { ratePpm: 90_000, net: 200, tax: 18 },
  ];
  const order = { total: 1428, tax: 228 };

  it('gives back each part exactly, refund by refund, when the order is refunded in uneven steps', () => {
    let refunded = 0;
    const given = [333, 1, 500, 594].map((amount) =>
      refundShares(parts, order, { refunded: (refunded += amount), amount }),
    );
    const sum = (pick: (share: { gross: number; tax: number }) => number) =>
      [0, 1].map((index) => given.reduce((total, shares) => total + pick(shares[index]!), 0));
    expect(sum((share) => share.gross)).toEqual([1210, 218]);
    expect(sum((share) => share.tax)).toEqual([210, 18]);
    // Within the order's total, each refund is split whole over the parts.
    expect(given.map((shares) => shares[0]!.gross + shares[1]!.gross)).toEqual([333, 1, 500, 594]);
  });

  it('gives nothing more once the order is refunded in full, whatever is refunded beyond it', () => {
    expect(refundShares(parts, order, { refunded: 1528, amount: 100 })).toEqual([
      { gross: 0, tax: 0 },
      { gross: 0, tax: 0 },
    ]);
    expect(refundShares(parts, order, { refunded: 1500, amount: 1500 })).toEqual([
      { gross: 1210, tax: 210 },
      { gross: 218, tax: 18 },
    ]);
  });
});
