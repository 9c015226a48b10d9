import { afterAll, beforeAll, expect } from 'vitest';
import type { CloudEvent, OrderPlacedV1Data } from '@tillstream/contracts';
import { applyEvents } from '@tillstream/kernel';
import {
  createContextHarness,
  foreignEvent,
  type ContextHarness,
  type HarnessDialect,
  uniqueName,
} from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

export const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

type OrderShipping = NonNullable<OrderPlacedV1Data['shipping']>;
export const PLACED = '2026-11-05T10:00:00.000Z';

export interface Entry {
  kind: string;
  sourceId: string;
  occurredAt: string;
  eventId: string;
  lines: Array<{ account: string; debit: number; credit: number }>;
}

/** An entry's lines as `{ account: signed amount }`, debits positive. */
export const signed = (lines: Entry['lines']) =>
  Object.fromEntries(lines.map((line) => [line.account, line.debit - line.credit]));

/** 4000 − 4050 − 4100 of signed totals: revenue without tax, after discounts and refunds. */
export const netRevenue = (books: Record<string, number>) =>
  -(books['4000'] ?? 0) - (books['4050'] ?? 0) - (books['4100'] ?? 0);

/** The day an instant falls on, as a period's query. */
export const dayOf = (instant: string) => {
  const from = `${instant.slice(0, 10)}T00:00:00.000Z`;
  return `from=${from}&to=${new Date(Date.parse(from) + 86_400_000).toISOString()}`;
};

/**
 * ERP on a real database with the products online orders list (a kit among them), the documents of an online
 * order as commerce and ERP publish them, applied by the finance consumer alone (an order's stock hold is the
 * inventory consumer's, tested on its own), and the journal of one order. Call inside a describe.
 */
export function onlineRevenueRig(dialect: HarnessDialect) {
  let erp: ContextHarness;
  const [tee, book, mug, tea, giftBox] = ['TEE', 'BOOK', 'MUG', 'TEA', 'GIFT'].map((sku) =>
    uniqueName(sku),
  ) as [string, string, string, string, string];

  beforeAll(async () => {
    erp = await createContextHarness((deps) => createErp(deps), { dialect, pgUrl, name: 'erp' });
    const ok = async (url: string, body: object) => {
      const response = await erp.api('PUT', url, body);
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
    };
    for (const sku of [tee, book, mug, tea])
      await ok(`/products/${sku}`, { name: sku, price: { amount: 500, currency: 'EUR' } });
    await ok(`/products/${giftBox}`, {
      name: giftBox,
      price: { amount: 900, currency: 'EUR' },
      kind: 'kit',
      components: [
        { sku: mug, quantity: 2 },
        { sku: tea, quantity: 1 },
      ],
    });
  });
  afterAll(async () => erp?.close());

  /** Events of one source as one batch of the finance consumer, as it reads a log. */
  const bookFinance = async (source: string, ...events: CloudEvent[]) => {
    const finance = erp.module.consumers.find((consumer) => consumer.name === 'erp.finance')!;
    await applyEvents(
      finance,
      source,
      events.map((event, index) => ({ event, position: index + 1 })),
      PLACED,
    );
  };
  /** The order's entries: its own, its shipments' and its refunds', in posting order. */
  const entriesOf = async (orderId: string): Promise<Entry[]> => {
    await erp.allFinished();
    const { body } = await erp.api('GET', '/finance/journal?limit=500');
    return (body.entries as Entry[]).filter(
      (entry) => entry.sourceId === orderId || entry.sourceId.startsWith(`${orderId}/`),
    );
  };
  /** The order's entries summed per account, debits positive. */
  const booksOf = async (orderId: string) => {
    const totals: Record<string, number> = {};
    for (const entry of await entriesOf(orderId))
      for (const [account, amount] of Object.entries(signed(entry.lines)))
        totals[account] = (totals[account] ?? 0) + amount;
    return totals;
  };
  /** The web channel's trial balance over a period, as `{ account: balance }`. */
  const balances = async (query: string) => {
    await erp.allFinished();
    const { body } = await erp.api('GET', `/finance/trial-balance?channel=web&${query}`);
    const accounts = (body.currencies[0]?.accounts ?? []) as Array<{ code: string; balance: number }>;
    return Object.fromEntries(accounts.map((account) => [account.code, account.balance]));
  };

  /** Two shirts with 10 % off and a book, 21 % and 9 % inside: 2300 deposited, 423 tax, 2723 paid. */
  const shirtsAndBook = () => [
    {
      lineNo: 1,
      sku: tee,
      quantity: 2,
      unitPrice: 1210,
      lineTotal: 2178,
      tax: { ratePpm: 210_000, inclusive: true, amount: 378 },
    },
    {
      lineNo: 2,
      sku: book,
      quantity: 1,
      unitPrice: 545,
      lineTotal: 545,
      tax: { ratePpm: 90_000, inclusive: true, amount: 45 },
    },
  ];
  /** 4.95 delivery to Amsterdam, 0.86 of it 21 % VAT (or as given): 4.09 deposited apart from the goods. */
  const delivery = (amount = 495, tax = 86, ratePpm = 210_000, inclusive = true): OrderShipping => ({
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
  type OrderLine =
    ReturnType<typeof shirtsAndBook>[number] | Omit<ReturnType<typeof shirtsAndBook>[number], 'tax'>;
  /** The order as commerce publishes it; with `shipping`, the delivery it charged (its total includes it). */
  const placed = (
    orderId: string,
    lines: OrderLine[] = shirtsAndBook(),
    placedAt = PLACED,
    shipping?: OrderShipping,
  ) =>
    foreignEvent('commerce', 'commerce.order.placed', `order/${orderId}`, 1, {
      orderId,
      cartId: 'C1',
      reservationId: `R-${orderId}`,
      channel: 'web',
      email: 'a@example.com',
      currency: 'EUR',
      lines,
      ...(shipping ? { shipping } : {}),
      total: lines.reduce((sum, line) => sum + line.lineTotal, 0) + (shipping?.amount ?? 0),
      payment: { method: 'card', reference: 'pay_1' },
      placedAt,
    });
  /** ERP's `erp.fulfillment.shipped` for the order's fulfilment at `location`. */
  const shipped = (
    orderId: string,
    location: string,
    lines: Array<{ sku: string; quantity: number }>,
    orderShipped: boolean,
    occurredAt: string,
  ) =>
    foreignEvent('erp', 'erp.fulfillment.shipped', `fulfilment/${orderId}:${location}`, 2, {
      fulfilmentId: `${orderId}:${location}`,
      orderId,
      reservationId: `R-${orderId}`,
      locationId: location,
      version: 2,
      status: 'shipped',
      lines,
      occurredAt,
      orderShipped,
    });
  /** Everything `shirtsAndBook` lists, as ERP ships it. */
  const allOfIt = () => [
    { sku: tee, quantity: 2 },
    { sku: book, quantity: 1 },
  ];
  /**
   * Commerce's `commerce.order.refunded`; with `delivery`, the part of it that is delivery and the order's running
   * total of that, as commerce sends them now (without: a refund written before it named any).
   */
  const refunded = (
    orderId: string,
    refundId: string,
    amount: number,
    total: number,
    refundedAt: string,
    delivery?: { shipping: number; shippingRefunded: number },
  ) =>
    foreignEvent('commerce', 'commerce.order.refunded', `order/${orderId}/refund/${refundId}`, 1, {
      orderId,
      refundId,
      currency: 'EUR',
      amount,
      ...delivery,
      refunded: total,
      reason: 'return',
      returnId: null,
      payment: { method: 'card', reference: 'pay_1' },
      refundedAt,
    });

  return {
    erp: () => erp,
    skus: { tee, book, mug, tea, giftBox },
    bookFinance,
    entriesOf,
    booksOf,
    balances,
    shirtsAndBook,
    allOfIt,
    delivery,
    placed,
    shipped,
    refunded,
  };
}
