import type { FulfillmentShippedV1Data } from '@tillstream/contracts';
import { allocate, mulDivRound, shareOf } from '@tillstream/pricing';
import type { Product } from '../catalog/catalog.decide.js';
import { expandLines } from '../inventory/kit.decide.js';
import { ACCOUNTS } from './accounts.js';
import { posting, type JournalEntry } from './journal.decide.js';

/**
 * An online order paid before its goods ship: what its placement owes the shopper on 2400 (customer deposits),
 * in goods and in delivery, and how much of each has left 2400 since, as revenue when goods shipped or given
 * back by refunds.
 */
export interface OrderDeposit {
  orderId: string;
  channel: string;
  currency: string;
  /** The sales (4000) and discount (4050) its goods come to, net of tax, as a sale would have booked them. */
  sales: number;
  discount: number;
  /** Credited to 2400 for the goods when the order was placed: `sales - discount`, what they earn once shipped. */
  deposit: number;
  /** Moved from 2400 to revenue by shipments so far, and the sales of it (its discount is the difference). */
  recognised: number;
  recognisedSales: number;
  /** Taken out of the goods' part of 2400 by refunds. */
  refunded: number;
  /**
   * The delivery's net (what the shopper paid for it less its tax), credited to 2400 beside the goods; 0 for
   * free delivery or an order without any. It is earned (4070) when the first parcel leaves: delivering is
   * then under way, and what a carrier charges is not split per parcel.
   */
  shipping: number;
  /**
   * The tax in the delivery charge and its rate, so a refund naming the delivery gives its tax back at the
   * delivery's own rate (0 and null without a charged delivery). Null for deposits booked before ERP kept them:
   * their refunds give tax back over all the order's rates in proportion, as they always did.
   */
  shippingTax: number | null;
  shippingRatePpm: number | null;
  /** Of `shipping`: moved to 4070 by the order's first shipment, and taken out by refunds before it. */
  shippingRecognised: number;
  shippingRefunded: number;
  /** Of `shippingRecognised`: given back since by refunds that named the delivery, out of 4070. */
  shippingReturned: number;
}

/** One stock SKU of an order (kits as their components): its units, the deposit they carry, those shipped. */
export interface OrderGoods {
  sku: string;
  quantity: number;
  value: number;
  shipped: number;
}

/** What of a shipment recognition reads: ERP's `erp.fulfillment.shipped`. */
export type Shipment = Pick<
  FulfillmentShippedV1Data,
  'orderId' | 'fulfilmentId' | 'lines' | 'occurredAt' | 'orderShipped'
>;

/** What the goods' part of an order's deposit still holds: neither recognised nor refunded yet. */
const goodsLeft = (deposit: OrderDeposit): number =>
  Math.max(deposit.deposit - deposit.recognised - deposit.refunded, 0);

/** What the delivery's part still holds: all of it until the first parcel ships, unless refunds took some. */
const shippingLeft = (deposit: OrderDeposit): number =>
  Math.max(deposit.shipping - deposit.shippingRecognised - deposit.shippingRefunded, 0);

/** Where a refund's net (what it gives back less its tax) comes from, and the deposit it leaves. */
export interface DepositRefund {
  deposit: OrderDeposit;
  /** Out of 2400: goods or delivery not earned yet. */
  fromDeposit: number;
  /** Out of 4070: delivery the order's first parcel earned, given back by a refund that named it. */
  fromShippingIncome: number;
}

/**
 * What a refund giving back `net` takes out of the order's deposit and out of the delivery it earned; the rest
 * (goods already earned) is the caller's to return from revenue.
 *
 * A refund that says which part of it is delivery (`delivery`: the net of what it gives back of the delivery,
 * from `commerce.order.refunded`'s `shipping`, 0 for one that is goods first) takes that part from the delivery: from its deposit while no parcel has left, else from 4070, as
 * far as the order earned it there; the rest from the goods' deposit. Whatever one part cannot take (rounding,
 * or a part emptied by an earlier refund that named nothing) the other's deposit takes, so a cancel empties
 * both. A refund that does not say (`undefined`) is split over the goods and the delivery in proportion to
 * what each still holds: before anything shipped it lowers what each will earn alike; after the first parcel
 * the delivery holds nothing, and the goods take it all.
 */
export function refundFromDeposit(deposit: OrderDeposit, net: number, delivery?: number): DepositRefund {
  const goods = goodsLeft(deposit);
  const shipping = shippingLeft(deposit);
  const wanted = Math.max(net, 0);
  let fromGoods: number;
  let fromShipping: number;
  let fromShippingIncome = 0;
  if (delivery === undefined) {
    const taken = Math.min(wanted, goods + shipping);
    fromShipping = shipping > 0 ? mulDivRound(taken, shipping, goods + shipping) : 0;
    fromGoods = taken - fromShipping;
  } else {
    const deliveryNet = Math.min(Math.max(delivery, 0), wanted);
    fromShipping = Math.min(deliveryNet, shipping);
    fromShippingIncome = Math.min(
      deliveryNet - fromShipping,
      Math.max(deposit.shippingRecognised - deposit.shippingReturned, 0),
    );
    fromGoods = Math.min(wanted - deliveryNet, goods);
    let spare = wanted - fromShipping - fromShippingIncome - fromGoods;
    const moreGoods = Math.min(spare, goods - fromGoods);
    fromGoods += moreGoods;
    spare -= moreGoods;
    fromShipping += Math.min(spare, shipping - fromShipping);
  }
  return {
    deposit: {
      ...deposit,
      refunded: deposit.refunded + fromGoods,
      shippingRefunded: deposit.shippingRefunded + fromShipping,
      shippingReturned: deposit.shippingReturned + fromShippingIncome,
    },
    fromDeposit: fromGoods + fromShipping,
    fromShippingIncome,
  };
}

/**
 * The order's goods as ERP ships them, stock SKUs with kits expanded into their components (the units
 * `erp.fulfillment.shipped` lists), each carrying the deposit its lines paid: what they cost less their tax.
 * Lines of one SKU are pooled, since any of its units is as good as another. A kit's value is spread over its
 * components by units: no price says what each part of a kit is worth.
 */
export function orderGoods(
  lines: ReadonlyArray<{ sku: string; quantity: number; value: number }>,
  products: ReadonlyMap<string, Product>,
): OrderGoods[] {
  const demands = expandLines(lines, products);
  const bySku = new Map<string, OrderGoods>();
  lines.forEach((line, index) => {
    const parts = demands.filter((demand) => demand.line === index && demand.quantity > 0);
    // A weight only: a line that paid less than its tax (a document that does not add up) weighs nothing.
    const values = allocate(
      Math.max(line.value, 0),
      parts.map((part) => part.quantity),
    );
    parts.forEach((part, at) => {
      const goods = bySku.get(part.sku) ?? { sku: part.sku, quantity: 0, value: 0, shipped: 0 };
      bySku.set(part.sku, {
        ...goods,
        quantity: goods.quantity + part.quantity,
        value: goods.value + values[at]!,
      });
    });
  });
  return [...bySku.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/** The revenue a shipment earned, the entry that books it (null: nothing to move), and the order as it leaves it. */
export interface ShipmentRevenue {
  entry: JournalEntry | null;
  deposit: OrderDeposit;
  goods: OrderGoods[];
}

/**
 * What a shipment moves from the order's deposit to revenue: control of those goods passed to the shopper.
 *
 * By value: the shipment takes the share of what the deposit still holds that its goods carry of the goods not
 * shipped before it. Each stock SKU's units carry their lines' price (after discounts, without tax), so a
 * parcel with the television recognises the television's price, not half the order because it is one unit of
 * two. Units beyond what the order listed (or of a SKU it did not list) carry nothing. A refund taken out of the
 * deposit before the goods shipped lowers what every later shipment recognises in proportion.
 *
 * The shipment that completes the order (`orderShipped`, or the last of its goods) takes whatever the deposit
 * still holds, so rounding and any kit whose parts were split differently never leave a cent behind: an order's
 * shipments and the refunds taken from its deposit always add up to the deposit exactly. The sales recognised
 * are rounded on their running total, so a fully shipped order's 4000 and 4050 are what a sale would have
 * booked to the cent. No tax moves: it was owed when the order was paid.
 *
 * The order's first shipment also earns the delivery: whatever its part of the deposit still holds moves to
 * 4070 (shipping income), whichever parcel that is and whatever it carries. Later shipments find it empty.
 */
export function shipmentRevenue(
  deposit: OrderDeposit,
  goods: readonly OrderGoods[],
  shipment: Shipment,
): ShipmentRevenue {
  const shippedNow = new Map<string, number>();
  for (const line of shipment.lines)
    shippedNow.set(line.sku, (shippedNow.get(line.sku) ?? 0) + line.quantity);
  let unshippedBefore = 0;
  let shippedValue = 0;
  const after = goods.map((item) => {
    unshippedBefore += item.value - shareOf(item.value, item.quantity, 0, item.shipped);
    const units = Math.max(Math.min(shippedNow.get(item.sku) ?? 0, item.quantity - item.shipped), 0);
    shippedValue += shareOf(item.value, item.quantity, item.shipped, units);
    return { ...item, shipped: item.shipped + units };
  });
  const left = goodsLeft(deposit);
  const shipping = shippingLeft(deposit);
  const completes = shipment.orderShipped || after.every((item) => item.shipped >= item.quantity);
  const amount = completes
    ? left
    : unshippedBefore > 0
      ? mulDivRound(left, shippedValue, unshippedBefore)
      : 0;
  const recognised = deposit.recognised + amount;
  // A free order (nothing deposited) still sold its goods at a full discount, once they all shipped.
  const recognisedSales =
    deposit.deposit > 0
      ? mulDivRound(recognised, deposit.sales, deposit.deposit)
      : completes
        ? deposit.sales
        : deposit.recognisedSales;
  const sales = recognisedSales - deposit.recognisedSales;
  const entry = posting();
  entry.debit(ACCOUNTS.customerDeposits.code, amount + shipping);
  entry.credit(ACCOUNTS.sales.code, sales);
  entry.debit(ACCOUNTS.discounts.code, sales - amount);
  entry.credit(ACCOUNTS.shippingIncome.code, shipping);
  const lines = entry.lines();
  return {
    entry:
      lines.length === 0
        ? null
        : {
            kind: 'online_shipment',
            sourceId: `${shipment.orderId}/${shipment.fulfilmentId}`,
            // Online revenue has no location, as when it was booked at placement: a store's margin is its own.
            locationId: null,
            channel: deposit.channel,
            occurredAt: shipment.occurredAt,
            currency: deposit.currency,
            lines,
            // The tax and its base were reported when the order was paid; recognising revenue moves neither.
            taxBases: [],
          },
    deposit: {
      ...deposit,
      recognised,
      recognisedSales,
      shippingRecognised: deposit.shippingRecognised + shipping,
    },
    goods: after,
  };
}
