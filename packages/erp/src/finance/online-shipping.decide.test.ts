import { describe, expect, it } from 'vitest';
import type { OrderPlacedV1Data } from '@tillstream/contracts';
import { AT, noRate, signed } from './finance.fixtures.js';
import { isBalanced } from './journal.decide.js';
import { onlineOrderEntry, onlineRefundEntry, orderLineTax } from './online-documents.decide.js';
import { line, netRevenue, order, run, type Step } from './online-revenue.fixtures.js';

type Shipping = NonNullable<OrderPlacedV1Data['shipping']>;

const ADDRESS: Shipping['address'] = {
  name: 'A. Shopper',
  line1: 'Keizersgracht 1',
  postalCode: '1015 CJ',
  city: 'Amsterdam',
  country: 'NL',
};

/** A delivery that cost the shopper `amount`, `tax` of it at `ratePpm`, inside the amount or added on top. */
const delivery = (amount: number, tax: number, ratePpm = 210_000, inclusive = true): Shipping => ({
  methodId: 'postnl-standard',
  name: 'PostNL standard',
  amount,
  tax: { ratePpm, inclusive, amount: tax },
  address: ADDRESS,
});

const GOODS = [line('TEE', 2, 1210, 2178, 378, 210_000), line('BOOK', 1, 545, 545, 45, 90_000)];
/** The shirts and book (2300 deposited, 423 tax) with 4.95 delivery, 0.86 of it 21 % VAT: 4.09 to earn. */
const DELIVERED = order(GOODS, delivery(495, 86));
const shipAll: Step = { ship: { TEE: 2, BOOK: 1 }, orderShipped: true };

const placement = (placed: OrderPlacedV1Data) =>
  onlineOrderEntry(
    placed,
    placed.lines.map((each) => orderLineTax(each, noRate)),
  );

describe('an online order’s delivery when it is placed', () => {
  it('owes the delivery’s tax at once, at its rate, and deposits its net apart from the goods', () => {
    const { entry, deposit } = placement(DELIVERED);
    expect(signed(entry.lines)).toEqual({ '1150': 3218, '2100': -509, '2400': -2709 });
    // The delivery is reported with the goods at 21 %: a VAT return asks per rate, not per kind of supply.
    expect(entry.taxBases).toEqual([
      { ratePpm: 90_000, net: 500, tax: 45 },
      { ratePpm: 210_000, net: 1800 + 409, tax: 378 + 86 },
    ]);
    expect(deposit).toMatchObject({ deposit: 2300, sales: 2500, discount: 200, shipping: 409 });
  });

  it('books a delivery whose tax was added on top the same way: the amount holds its tax', () => {
    const { entry, deposit } = placement(order(GOODS, delivery(544, 44, 88_750, false)));
    expect(signed(entry.lines)).toEqual({ '1150': 3267, '2100': -467, '2400': -2800 });
    expect(entry.taxBases).toContainEqual({ ratePpm: 88_750, net: 500, tax: 44 });
    expect(deposit.shipping).toBe(500);
  });

  it('books nothing for free delivery: the entry is the goods’ alone', () => {
    const free = placement(order(GOODS, delivery(0, 0)));
    const without = placement(order(GOODS));
    expect(free.entry).toEqual(without.entry);
    expect(free.deposit.shipping).toBe(0);
    const { entries, totals } = run(order(GOODS, delivery(0, 0)), [{ ship: { BOOK: 1 } }, shipAll]);
    expect(entries.slice(1).some((each) => signed(each.lines)['4070'] !== undefined)).toBe(false);
    expect(totals['2400']).toBe(0);
  });
});

describe('an online order’s delivery when its goods ship', () => {
  it('earns the whole delivery with an order shipped at once', () => {
    const { entries, totals, deposit } = run(DELIVERED, [shipAll]);
    expect(signed(entries[1]!.lines)).toEqual({ '2400': 2709, '4000': -2500, '4050': 200, '4070': -409 });
    expect(entries[1]!.taxBases).toEqual([]);
    expect(totals).toEqual({
      '1150': 3218,
      '2100': -509,
      '2400': 0,
      '4000': -2500,
      '4050': 200,
      '4070': -409,
    });
    expect(deposit).toMatchObject({ shippingRecognised: 409, shippingRefunded: 0 });
  });

  it('earns it with the first parcel, whichever goods it carries; the goods’ shares are as without delivery', () => {
    const { entries, totals } = run(DELIVERED, [
      { ship: { BOOK: 1 } },
      { ship: { TEE: 2 }, orderShipped: true },
    ]);
    expect(entries.slice(1).map((each) => signed(each.lines))).toEqual([
      { '2400': 500 + 409, '4000': -543, '4050': 43, '4070': -409 },
      { '2400': 1800, '4000': -1957, '4050': 157 },
    ]);
    expect(totals['2400']).toBe(0);
  });

  it('earns it with a first parcel that carries none of the order’s goods: the delivery is under way', () => {
    const { entries } = run(DELIVERED, [{ ship: { CUP: 1 } }, shipAll]);
    expect(signed(entries[1]!.lines)).toEqual({ '2400': 409, '4070': -409 });
    expect(signed(entries[2]!.lines)['4070']).toBeUndefined();
  });
});

describe('an online order’s delivery when its shipments wait for it', () => {
  // A shipment read before its order is kept, and booked when the order is, in the order the parcels left
  // (`waitingShipments`): each then takes the deposit as the ones before it left it, as here.
  it('earns the delivery with whichever parcel is booked first, and never twice', () => {
    const { entries, deposit } = run(DELIVERED, [shipAll, { ship: { TEE: 1 } }]);
    expect(entries).toHaveLength(2);
    expect(signed(entries[1]!.lines)).toMatchObject({ '2400': 2709, '4070': -409 });
    expect(deposit).toMatchObject({ shippingRecognised: 409, recognised: 2300 });
  });
});

describe('refunds of an order with delivery', () => {
  it('takes a cancel before shipping whole out of the deposit: the tax back per rate, 4070 untouched', () => {
    const { entries, totals, deposit } = run(DELIVERED, [{ refund: 3218 }, shipAll]);
    expect(signed(entries[1]!.lines)).toEqual({ '1150': -3218, '2100': 509, '2400': 2709 });
    expect(entries[1]!.taxBases).toEqual([
      { ratePpm: 90_000, net: -500, tax: -45 },
      { ratePpm: 210_000, net: -2209, tax: -464 },
    ]);
    // The parcel that left anyway earns nothing: nothing is left to earn.
    expect(entries).toHaveLength(2);
    expect(totals).toEqual({ '1150': 0, '2100': 0, '2400': 0 });
    expect(deposit).toMatchObject({ refunded: 2300, shippingRefunded: 409, shippingRecognised: 0 });
  });

  it('gives a refund that names nothing back as goods first: their rates’ tax, out of their deposit', () => {
    // 10.00 of 32.18 back: the goods' tax share (155 of their 423), 845 out of the goods' 2300 deposited.
    const { entries, totals, deposit } = run(DELIVERED, [{ refund: 1000 }, shipAll]);
    expect(signed(entries[1]!.lines)).toEqual({ '1150': -1000, '2100': 155, '2400': 845 });
    expect(entries[1]!.taxBases.map((base) => base.ratePpm)).toEqual([90_000, 210_000]);
    expect(deposit).toMatchObject({ refunded: 845, shippingRefunded: 0, shippingRecognised: 409 });
    expect(signed(entries[2]!.lines)).toMatchObject({ '2400': 1455 + 409, '4070': -409 });
    expect(totals['2400']).toBe(0);
    expect(netRevenue(totals)).toBe(1455);
  });

  it('splits an unnamed refund from before the running delivery total over goods and delivery by what each holds', () => {
    // 10.00 of 32.18 back: 158 of the 509 tax, 842 out of the 2709 deposited, 127 of it the delivery's.
    const { entries, totals, deposit } = run(DELIVERED, [{ refund: 1000, legacy: true }, shipAll]);
    expect(signed(entries[1]!.lines)).toEqual({ '1150': -1000, '2100': 158, '2400': 842 });
    expect(deposit).toMatchObject({ refunded: 715, shippingRefunded: 127, shippingRecognised: 282 });
    expect(signed(entries[2]!.lines)).toMatchObject({ '2400': 1585 + 282, '4070': -282 });
    expect(totals['2400']).toBe(0);
    expect(netRevenue(totals)).toBe(1585);
  });

  it('returns revenue (4100) for a refund after shipping beyond what the goods’ deposit still holds', () => {
    // Naming nothing, the refund is the goods (2723, 423 tax) and then the delivery (495, its 86): the earned
    // delivery comes back out of 4070, the goods, all shipped, as returns.
    const after = run(DELIVERED, [shipAll, { refund: 3218 }]);
    expect(signed(after.entries[2]!.lines)).toEqual({
      '1150': -3218,
      '2100': 509,
      '4070': 409,
      '4100': 2300,
    });
    expect(after.totals['4070']).toBe(0);
    // After the first parcel: the goods still in the deposit first (1800), the rest of the goods as returns,
    // and the 277 beyond the goods is delivery: its tax share (48) at 21 %, its net (229) out of 4070.
    const between = run(DELIVERED, [{ ship: { BOOK: 1 } }, { refund: 3000 }]);
    expect(signed(between.entries[2]!.lines)).toEqual({
      '1150': -3000,
      '2100': 471,
      '2400': 1800,
      '4070': 229,
      '4100': 500,
    });
    // An unnamed refund written before the running delivery total: 4070 keeps what the delivery earned.
    const legacy = run(DELIVERED, [shipAll, { refund: 3218, legacy: true }]);
    expect(signed(legacy.entries[2]!.lines)).toEqual({ '1150': -3218, '2100': 509, '4100': 2709 });
  });

  it.each<[string, Step[]]>([
    ['refund, then the shipment', [{ refund: 1000 }, shipAll]],
    ['shipment, then the refund', [shipAll, { refund: 1000 }]],
    [
      'first parcel, refund, last parcel',
      [{ ship: { TEE: 1 } }, { refund: 1000 }, { ship: { TEE: 1, BOOK: 1 } }],
    ],
    [
      'two refunds around the parcels',
      [{ refund: 700 }, { ship: { BOOK: 1 } }, { refund: 300 }, { ship: { TEE: 2 }, orderShipped: true }],
    ],
  ])(
    'ends balanced with the deposit empty and the same revenue in any order of arrival: %s',
    (_what, steps) => {
      const { entries, totals, deposit } = run(DELIVERED, steps);
      for (const each of entries) expect(isBalanced(each.lines)).toBe(true);
      expect(totals['2400']).toBe(0);
      expect(deposit.recognised + deposit.refunded).toBe(deposit.deposit);
      expect(deposit.shippingRecognised + deposit.shippingRefunded).toBe(deposit.shipping);
      // 2709 deposited less the 845 refunded without tax (the goods' tax back: a refund naming nothing is goods
      // first), as goods, delivery or returns depending on the order.
      expect(netRevenue(totals) - (totals['4070'] ?? 0)).toBe(2709 - 845);
      expect(totals['2100']).toBe(-509 + 155);
    },
  );

  it('gives the tax back to the cent over refunds one by one, the delivery’s rate among the order’s', () => {
    const { entries } = run(DELIVERED, [{ refund: 1000 }, { refund: 1000 }, { refund: 1218 }]);
    const back = entries.slice(1).flatMap((each) => each.taxBases);
    const at = (ratePpm: number) =>
      back.filter((base) => base.ratePpm === ratePpm).reduce((sum, base) => sum - base.tax, 0);
    expect([at(90_000), at(210_000)]).toEqual([45, 464]);
    expect(entries.every((each) => each.occurredAt === AT)).toBe(true);
  });
});

describe('refunds that name their delivery part', () => {
  const deliveryBack: Step = { refund: 495, shipping: 495 };

  it('gives an earned delivery back out of shipping income (4070), not out of sales', () => {
    const { entries, totals, deposit } = run(DELIVERED, [shipAll, deliveryBack]);
    // The delivery's own tax comes back (86, at 21 %), so its net 409 undoes exactly what it earned.
    expect(signed(entries[2]!.lines)).toEqual({ '1150': -495, '2100': 86, '4070': 409 });
    expect(entries[2]!.taxBases).toEqual([{ ratePpm: 210_000, net: -409, tax: -86 }]);
    expect(totals['4070']).toBe(0);
    expect(deposit).toMatchObject({ shippingRecognised: 409, shippingReturned: 409 });
  });

  it('never gives back more delivery than the order earned: a second such refund is goods, returned', () => {
    const { entries, totals } = run(DELIVERED, [shipAll, deliveryBack, deliveryBack]);
    // Named beyond the delivery charged, it is goods: their tax share (77 of 495), the rest returns.
    expect(signed(entries[3]!.lines)).toEqual({ '1150': -495, '2100': 77, '4100': 418 });
    expect(totals['4070']).toBe(0);
  });

  it('takes a delivery refunded before any parcel out of the delivery’s deposit: 4070 earns nothing', () => {
    const { entries, totals, deposit } = run(DELIVERED, [deliveryBack, shipAll]);
    expect(signed(entries[1]!.lines)).toEqual({ '1150': -495, '2100': 86, '2400': 409 });
    expect(deposit).toMatchObject({ shippingRefunded: 409, refunded: 0, shippingRecognised: 0 });
    expect(totals['4070']).toBeUndefined();
    expect(totals['2400']).toBe(0);
  });

  it('leaves the delivery whole for a goods-only refund before shipping', () => {
    const { deposit, totals } = run(DELIVERED, [{ refund: 1000, shipping: 0 }, shipAll]);
    expect(deposit).toMatchObject({ refunded: 845, shippingRefunded: 0, shippingRecognised: 409 });
    expect(totals['4070']).toBe(-409);
  });

  it('gives a named delivery back at the blend of the order’s rates when its event has no running delivery total', () => {
    // Refunds written before commerce sent it: 78 of the tax (the order's share over all its rates), so the
    // refund's net is 417: 409 undoes the delivery earned, the 8 the rates differ by is returns.
    const { entries } = run(DELIVERED, [shipAll, { ...deliveryBack, legacy: true }]);
    expect(signed(entries[2]!.lines)).toEqual({ '1150': -495, '2100': 78, '4070': 409, '4100': 8 });
  });

  it('gives a named delivery back at the blend of the order’s rates for a deposit booked before ERP kept its tax', () => {
    const { entry, deposit } = placement(DELIVERED);
    const booked = { channel: 'web', total: 3218, tax: 509, taxBases: entry.taxBases };
    const refund = onlineRefundEntry(
      {
        orderId: 'O1',
        refundId: 'F1',
        currency: 'EUR',
        amount: 495,
        shipping: 495,
        refunded: 495,
        shippingRefunded: 495,
        reason: 'goodwill',
        returnId: null,
        payment: { method: 'card', reference: 'pay_1' },
        refundedAt: AT,
      },
      booked,
      { ...deposit, shippingTax: null, shippingRatePpm: null },
    );
    expect(signed(refund.entry.lines)).toEqual({ '1150': -495, '2100': 78, '2400': 417 });
  });

  it('empties both parts with a cancel that names the delivery, as one that names nothing', () => {
    const named = run(DELIVERED, [{ refund: 3218, shipping: 495 }, shipAll]);
    const unnamed = run(DELIVERED, [{ refund: 3218 }, shipAll]);
    expect(named.totals).toEqual(unnamed.totals);
    expect(named.deposit).toMatchObject({ refunded: 2300, shippingRefunded: 409, shippingReturned: 0 });
  });

  it.each<[string, Step[]]>([
    ['delivery back after shipping, then the goods', [shipAll, deliveryBack, { refund: 2723, shipping: 0 }]],
    ['goods back before shipping, then the delivery', [{ refund: 2723, shipping: 0 }, shipAll, deliveryBack]],
    ['delivery between the parcels', [{ ship: { BOOK: 1 } }, deliveryBack, { ship: { TEE: 2 } }]],
  ])('balances and never leaves 4070 below zero nor 2400 holding: %s', (_what, steps) => {
    const { entries, totals } = run(DELIVERED, steps);
    for (const each of entries) expect(isBalanced(each.lines)).toBe(true);
    expect(totals['2400']).toBe(0);
    expect(totals['4070'] ?? 0).toBeLessThanOrEqual(0);
  });
});
