import type { OrderPlacedV1Data } from '@tillstream/contracts';
import type { Product } from '../catalog/catalog.decide.js';
import { AT, noRate, signed } from './finance.fixtures.js';
import type { JournalEntry } from './journal.decide.js';
import { onlineOrderEntry, onlineRefundEntry, orderLineTax } from './online-documents.decide.js';
import { orderGoods, shipmentRevenue } from './online-revenue.decide.js';

export type Line = OrderPlacedV1Data['lines'][number];

/** `quantity` units at `unitPrice`, paid `lineTotal` with `tax` inside at `ratePpm` (none: no tax). */
export const line = (
  sku: string,
  quantity: number,
  unitPrice: number,
  lineTotal: number,
  tax = 0,
  ratePpm = 0,
) => ({
  lineNo: 1,
  sku,
  quantity,
  unitPrice,
  lineTotal,
  ...(tax > 0 ? { tax: { ratePpm, inclusive: true, amount: tax } } : {}),
});

export const order = (lines: Line[], shipping?: OrderPlacedV1Data['shipping']): OrderPlacedV1Data => ({
  orderId: 'O1',
  cartId: 'C1',
  reservationId: 'R1',
  channel: 'web',
  email: 'a@example.com',
  currency: 'EUR',
  lines: lines.map((each, index) => ({ ...each, lineNo: index + 1 })),
  ...(shipping ? { shipping } : {}),
  total: lines.reduce((sum, each) => sum + each.lineTotal, 0) + (shipping?.amount ?? 0),
  payment: { method: 'card', reference: 'pay_1' },
  placedAt: AT,
});

/**
 * A shipment of the units per SKU, or a refund (`shipping`: the part of it it names as delivery; `legacy`: its
 * event is one from before commerce sent the running delivery total).
 */
export type Step =
  | { ship: Record<string, number>; orderShipped?: boolean }
  | { refund: number; shipping?: number; legacy?: boolean };

/**
 * Books an order, then its shipments and refunds in the order given, as the consumer does (`createOnlineRevenueBooking`):
 * each step from the deposit the steps before left. Answers every entry and each account's signed total.
 */
export function run(
  placed: OrderPlacedV1Data,
  steps: readonly Step[],
  products = new Map<string, Product>(),
) {
  const taxes = placed.lines.map((each) => orderLineTax(each, noRate));
  const { entry, deposit: opened } = onlineOrderEntry(placed, taxes);
  const booked = {
    channel: placed.channel,
    total: placed.total,
    tax: -(signed(entry.lines)['2100'] ?? 0),
    taxBases: entry.taxBases,
  };
  let deposit = opened;
  let goods = orderGoods(
    placed.lines.map((each, index) => ({ ...each, value: each.lineTotal - taxes[index]!.amount })),
    products,
  );
  const entries: JournalEntry[] = [entry];
  let refunded = 0;
  let shippingRefunded = 0;
  steps.forEach((step, index) => {
    if ('refund' in step) {
      refunded += step.refund;
      shippingRefunded += step.shipping ?? 0;
      const refund = onlineRefundEntry(
        {
          orderId: placed.orderId,
          refundId: `F${index}`,
          currency: 'EUR',
          amount: step.refund,
          ...(step.shipping === undefined ? {} : { shipping: step.shipping }),
          refunded,
          ...(step.legacy ? {} : { shippingRefunded }),
          reason: 'return',
          returnId: null,
          payment: { method: 'card', reference: 'pay_1' },
          refundedAt: AT,
        },
        booked,
        deposit,
      );
      entries.push(refund.entry);
      deposit = refund.deposit!;
      return;
    }
    const earned = shipmentRevenue(deposit, goods, {
      orderId: placed.orderId,
      fulfilmentId: `O1:wh-${index}`,
      lines: Object.entries(step.ship).map(([sku, quantity]) => ({ sku, quantity })),
      occurredAt: AT,
      orderShipped: step.orderShipped ?? false,
    });
    if (earned.entry) entries.push(earned.entry);
    deposit = earned.deposit;
    goods = earned.goods;
  });
  const totals: Record<string, number> = {};
  for (const each of entries)
    for (const [account, amount] of Object.entries(signed(each.lines)))
      totals[account] = (totals[account] ?? 0) + amount;
  return { entries, totals, deposit, revenue: signed(entries.slice(1).flatMap((each) => each.lines)) };
}

/** 4000 − 4050 − 4100 over the entries: revenue without tax, after discounts and refunds. */
export const netRevenue = (totals: Record<string, number>) =>
  -(totals['4000'] ?? 0) - (totals['4050'] ?? 0) - (totals['4100'] ?? 0);
