import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderPlacedV1Data, OrderRefundedV1Data } from '@tillstream/contracts';
import { onlineReturnEffect, orderEffect, orderTaken, refundEffect } from './sales.decide.js';
import { AT, order as placedOrder, rate, refund } from './tax-rates.fixtures.js';
import type { RateFigures } from './tax-rates.decide.js';

type Shipping = NonNullable<OrderPlacedV1Data['shipping']>;

/** A delivery that cost the shopper `amount`, `tax` of it at `ratePpm`, inside the amount or added on top. */
const delivery = (amount: number, tax: number, ratePpm = 210_000, inclusive = true): Shipping => ({
  methodId: 'postnl-standard',
  name: 'PostNL standard',
  amount,
  tax: { ratePpm, inclusive, amount: tax },
  address: {
    name: 'A. Shopper',
    line1: 'Keizersgracht 1',
    postalCode: '1015 CJ',
    city: 'Amsterdam',
    country: 'NL',
  },
});

/** Two shirts with 10 % off, 21 % inside, and a book, 9 % inside: 27.23 of goods, 4.23 of it tax. */
const order = (shipping?: Shipping): OrderPlacedV1Data => {
  const lines = [
    {
      lineNo: 1,
      sku: 'TEE',
      quantity: 2,
      unitPrice: 1210,
      lineTotal: 2178,
      tax: { ratePpm: 210_000, inclusive: true, amount: 378 },
    },
    {
      lineNo: 2,
      sku: 'BOOK',
      quantity: 1,
      unitPrice: 545,
      lineTotal: 545,
      tax: { ratePpm: 90_000, inclusive: true, amount: 45 },
    },
  ];
  return {
    orderId: 'o1',
    cartId: 'c1',
    reservationId: 'h1',
    channel: 'web',
    email: 'a@example.com',
    currency: 'EUR',
    lines,
    ...(shipping ? { shipping } : {}),
    total: 2723 + (shipping?.amount ?? 0),
    payment: { method: 'test', reference: 'p1' },
    placedAt: AT,
  };
};

describe('an online order’s delivery in analytics', () => {
  const delivered = order(delivery(495, 86));

  it('is not a sale of goods, but its tax is counted at its rate, as ERP’s tax summary books it', () => {
    const effect = orderEffect(delivered);
    expect(effect.figures).toMatchObject({
      gross: 2965,
      discounts: 242,
      net: 2723,
      units: 3,
      transactions: 1,
    });
    expect(effect.figures.tax).toBe(423 + 86);
    expect(effect.products.map((product) => product.sku).sort()).toEqual(['BOOK', 'TEE']);
    // ERP's order entry has the same bases: 9 % for the book, 21 % for the shirts and the delivery.
    expect(effect.taxRates).toEqual([
      rate(90_000, { net: 500, tax: 45 }),
      rate(210_000, { net: 1800 + 409, tax: 378 + 86 }),
    ]);
  });

  it('adds nothing for free delivery', () => {
    const free = order(delivery(0, 0));
    expect(orderEffect(free)).toEqual(orderEffect(order()));
    expect(orderTaken(free)).toMatchObject({ tax: 423, shipping: 0 });
  });

  it('counts a delivery whose tax was added on top at its own rate, its tax counted once', () => {
    const added = orderEffect(order(delivery(544, 44, 88_750, false)));
    expect(added.figures).toMatchObject({ net: 2723, tax: 423 + 44 });
    expect(added.taxRates).toContainEqual(rate(88_750, { net: 500, tax: 44 }));
  });

  it('counts a cancel’s goods as returns, not its delivery, and gives back all the tax per rate', () => {
    const taken = orderTaken(delivered);
    expect(taken).toMatchObject({ total: 3218, tax: 509, addedTax: 0, shipping: 495 });
    const cancel = refundEffect(refund(3218, 3218), 'web', taken);
    // The order's net back, not net and delivery: the day's net after returns is 0, as it should be.
    expect(cancel.figures).toMatchObject({ returns: 2723, returnsTax: 509, refunds: 1 });
    expect(cancel.taxRates).toEqual([
      rate(90_000, { returnsNet: 500, returnsTax: 45 }),
      rate(210_000, { returnsNet: 2209, returnsTax: 464 }),
    ]);
  });

  it('gives the tax back over refunds one by one to the cent per rate, the delivery’s among them', () => {
    const taken = orderTaken(delivered);
    const parts = [refund(1000, 1000), refund(1000, 2000), refund(1218, 3218)].map((part) =>
      refundEffect(part, 'web', taken),
    );
    // As ERP's journal gives back 10.00 of 32.18: 158 of the 509 tax.
    expect(parts[0]!.figures.returnsTax).toBe(158);
    const sum = (ratePpm: number, field: 'returnsNet' | 'returnsTax') =>
      parts
        .flatMap((part) => part.taxRates)
        .reduce((total, r) => total + (r.ratePpm === ratePpm ? r[field] : 0), 0);
    expect([sum(90_000, 'returnsNet'), sum(90_000, 'returnsTax')]).toEqual([500, 45]);
    expect([sum(210_000, 'returnsNet'), sum(210_000, 'returnsTax')]).toEqual([2209, 464]);
    expect(parts.reduce((total, part) => total + part.figures.returns, 0)).toBe(2723);
    for (const part of parts)
      expect(part.taxRates.reduce((total, r) => total + r.returnsTax, 0)).toBe(part.figures.returnsTax);
  });

  it('counts a refund of a delivery whose tax was added on top without that tax or the delivery', () => {
    const taken = orderTaken(order(delivery(544, 44, 88_750, false)));
    expect(refundEffect(refund(3267, 3267), 'web', taken).figures).toMatchObject({
      returns: 2723,
      returnsTax: 467,
    });
  });

  it('counts what a refund names of the delivery as delivery, the rest as returns', () => {
    const taken = orderTaken(delivered);
    const named = (amount: number, refunded: number, shipping: number) =>
      refundEffect({ ...refund(amount, refunded), shipping }, 'web', taken).figures.returns;
    expect(named(495, 495, 495)).toBe(0);
    expect(named(1000, 1000, 0)).toBe(1000);
    expect(named(3218, 3218, 495)).toBe(2723);
  });
});

describe('an online refund of an order whose delivery is taxed at another rate than its goods', () => {
  /** A 9 % book at 5.45 (0.45 inside) with 6.05 delivery at 21 % (1.05 inside): 11.50 paid, 1.50 of it tax. */
  const placed = placedOrder(
    [
      {
        lineNo: 1,
        sku: 'BOOK',
        quantity: 1,
        unitPrice: 545,
        lineTotal: 545,
        tax: { ratePpm: 90_000, inclusive: true, amount: 45 },
      },
    ],
    delivery(605, 105),
  );
  const taken = orderTaken(placed);
  /** A refund as commerce publishes it now: what it names of the delivery, and the order's running total of it. */
  const named = (amount: number, refunded: number, shipping: number, shippingRefunded: number) => ({
    ...refund(amount, refunded),
    shipping,
    shippingRefunded,
  });
  const returnsOf = (rates: RateFigures[]) => rates.map((r) => [r.ratePpm, r.returnsNet, r.returnsTax]);
  // The blend of before: 6.05 of 11.50 takes 0.79 of the 1.50 tax, spread over both rates.
  const blended = [
    rate(90_000, { returnsNet: 263, returnsTax: 24 }),
    rate(210_000, { returnsNet: 263, returnsTax: 55 }),
  ];

  it('keeps the delivery apart from the goods, at its rate', () => {
    expect(taken.delivery).toEqual({ ratePpm: 210_000, net: 500, tax: 105 });
    expect(taken.rates).toEqual([
      { ratePpm: 90_000, net: 500, tax: 45 },
      { ratePpm: 210_000, net: 500, tax: 105 },
    ]);
    expect(orderTaken(placedOrder(placed.lines)).delivery).toBeNull();
    expect(orderTaken(placedOrder(placed.lines, delivery(0, 0))).delivery).toBeNull();
  });

  it('gives a refund of the delivery alone back at the delivery’s rate, its tax exactly', () => {
    const effect = refundEffect(named(605, 605, 605, 605), 'web', taken);
    expect(effect.taxRates).toEqual([rate(210_000, { returnsNet: 500, returnsTax: 105 })]);
    expect(effect.figures).toMatchObject({ returns: 0, returnsTax: 105 });
  });

  it('gives a return’s refund of all the goods back at the goods’ rate, nothing of the delivery', () => {
    const goods = refundEffect(
      { ...named(545, 545, 0, 0), reason: 'returned', returnId: 'r1' },
      'web',
      taken,
    );
    expect(goods.taxRates).toEqual([rate(90_000, { returnsNet: 500, returnsTax: 45 })]);
    expect(goods.figures).toMatchObject({ returns: 545, returnsTax: 45 });
    // The delivery refunded after it: the 21 % comes back whole, and the order with it.
    const rest = refundEffect(named(605, 1150, 605, 605), 'web', taken);
    expect(returnsOf(rest.taxRates)).toEqual([[210_000, 500, 105]]);
  });

  it('takes a refund that names nothing as goods first, and delivery only beyond them, in returns as in tax', () => {
    const unnamed = (amount: number, refunded: number) => ({
      ...refund(amount, refunded),
      shippingRefunded: 0,
    });
    const goods = refundEffect(unnamed(545, 545), 'web', taken);
    expect(goods.figures).toMatchObject({ returns: 545, returnsTax: 45 });
    expect(returnsOf(goods.taxRates)).toEqual([[90_000, 500, 45]]);
    // The whole order at once: the goods, and the delivery beyond them, which is not returns.
    const whole = refundEffect(unnamed(1150, 1150), 'web', taken);
    expect(whole.figures).toMatchObject({ returns: 545, returnsTax: 150 });
    expect(returnsOf(whole.taxRates)).toEqual([
      [90_000, 500, 45],
      [210_000, 500, 105],
    ]);
  });

  it('keeps the tax added on top of the goods with the goods: a refund of the delivery alone returns no goods', () => {
    const added = orderTaken(
      placedOrder(
        [{ ...placed.lines[0]!, tax: { ratePpm: 90_000, inclusive: false, amount: 45 } }],
        delivery(605, 105),
      ),
    );
    expect(refundEffect(named(605, 605, 605, 605), 'web', added).figures).toMatchObject({
      returns: 0,
      returnsTax: 105,
    });
    // The goods after it: their price without the tax added on top, which comes back with them.
    expect(refundEffect(named(545, 1150, 0, 605), 'web', added).figures).toMatchObject({
      returns: 500,
      returnsTax: 45,
    });
  });

  it('keeps the blend for a refund written before it stated the running delivery total', () => {
    const effect = refundEffect({ ...refund(605, 605), shipping: 605 }, 'web', taken);
    expect(effect.taxRates).toEqual(blended);
    expect(effect.figures.returnsTax).toBe(79);
  });

  it('keeps the blend for an order remembered before its delivery was kept apart', () => {
    const remembered = { ...taken, delivery: undefined };
    expect(refundEffect(named(605, 605, 605, 605), 'web', remembered).taxRates).toEqual(blended);
  });

  it('gives every rate back to the cent over any refunds of the whole order, each adding up to its row', () => {
    // The shirts at 21 %, the book and the delivery at 9 %: the delivery shares a rate with goods.
    const delivered = orderTaken(order(delivery(495, 86, 90_000)));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ cut: fc.integer({ min: 0, max: 3218 }), named: fc.integer({ min: 0, max: 495 }) }),
          {
            maxLength: 4,
          },
        ),
        (steps) => {
          // Refunds up to the order's total, each naming at most what is left of the delivery and of itself.
          const cuts = [...steps.map((step) => step.cut), 3218].sort((a, b) => a - b);
          let refunded = 0;
          let shippingRefunded = 0;
          const refunds: OrderRefundedV1Data[] = cuts.map((cut, index) => {
            const amount = cut - refunded;
            const shipping = Math.min(steps[index]?.named ?? 495, amount, 495 - shippingRefunded);
            refunded = cut;
            shippingRefunded += shipping;
            return named(amount, refunded, shipping, shippingRefunded);
          });
          const totals = new Map<number | null, [number, number]>();
          for (const part of refunds.map((step) => refundEffect(step, 'web', delivered))) {
            expect(part.taxRates.reduce((sum, r) => sum + r.returnsTax, 0)).toBe(part.figures.returnsTax);
            for (const r of part.taxRates) {
              const [net, tax] = totals.get(r.ratePpm) ?? [0, 0];
              totals.set(r.ratePpm, [net + r.returnsNet, tax + r.returnsTax]);
            }
          }
          expect(totals.get(90_000)).toEqual([500 + 409, 45 + 86]);
          expect(totals.get(210_000)).toEqual([1800, 378]);
          expect(totals.get(null)).toBeUndefined();
        },
      ),
    );
  });
});

describe('an online order collected at a store (click and collect)', () => {
  const collected = order({ ...delivery(0, 0), pickup: { locationId: 'store-amsterdam' } });

  it('counts at the store it is collected at, on its own channel, and so do its refunds and returns', () => {
    expect(orderEffect(collected).key).toEqual({
      quarterHour: '2026-03-02T10:00',
      channel: 'web',
      locationId: 'store-amsterdam',
      currency: 'EUR',
    });
    const taken = orderTaken(collected);
    expect(taken).toMatchObject({ channel: 'web', locationId: 'store-amsterdam' });
    expect(refundEffect(refund(2723, 2723), 'web', taken).key.locationId).toBe('store-amsterdam');
    const returned = onlineReturnEffect(
      {
        returnId: 'r1',
        orderId: 'o1',
        locationId: 'store-amsterdam',
        lines: [{ sku: 'TEE', quantity: 1, disposition: 'restock' }],
        refund: { currency: 'EUR', amount: 1089 },
        receivedAt: AT,
      },
      taken,
    );
    expect(returned.key).toMatchObject({ channel: 'web', locationId: 'store-amsterdam' });
    // Written before commerce priced a return's lines: units only.
    expect(returned.products).toEqual([{ sku: 'TEE', units: 0, net: 0, returnedUnits: 1, returns: 0 }]);
  });

  it('counts what an online return’s lines were paid per product, less the tax added on top', () => {
    const returned = onlineReturnEffect(
      {
        returnId: 'r2',
        orderId: 'o1',
        locationId: null,
        lines: [
          { sku: 'CAP', quantity: 1, disposition: 'restock', value: 2721, addedTax: 222 },
          { sku: 'CAP', quantity: 1, disposition: 'damaged', value: 2721, addedTax: 222 },
          { sku: 'TEE', quantity: 1, disposition: 'restock', value: 1089, addedTax: 0 },
        ],
        refund: { currency: 'EUR', amount: 6531 },
        receivedAt: AT,
      },
      { channel: 'web', locationId: '' },
    );
    expect(returned.products).toEqual([
      { sku: 'CAP', units: 0, net: 0, returnedUnits: 2, returns: 4998 },
      { sku: 'TEE', units: 0, net: 0, returnedUnits: 1, returns: 1089 },
    ]);
    // The money is the refund's, counted with it: the row counts units only.
    expect(returned.figures).toMatchObject({ returns: 0, returnedUnits: 3 });
  });

  it('leaves an order delivered home, and one remembered before locations were, online', () => {
    expect(orderEffect(order(delivery(495, 86))).key.locationId).toBe('');
    expect(orderTaken(order()).locationId).toBe('');
    const remembered = { ...orderTaken(collected), locationId: '' };
    expect(refundEffect(refund(100, 100), 'web', remembered).key.locationId).toBe('');
  });
});
