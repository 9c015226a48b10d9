import { describe, expect, it } from 'vitest';
import { MAX_ORDER_VALUE } from './purchase-order.decide.js';
import {
  MAX_DRAFT_LINES,
  planReplenishmentDrafts,
  sourceFor,
  undraftedSuggestion,
  type DueForOrdering,
  type LastOrderLine,
} from './replenishment-draft.decide.js';

/** Due at S1 with nothing in stock: a policy 5/20 in packs of one suggests 20. */
const due = (
  sku: string,
  change: Partial<DueForOrdering> & { locationId?: string } = {},
): DueForOrdering => ({
  policy: { sku, locationId: change.locationId ?? 'S1', reorderPoint: 5, orderUpTo: 20, packSize: 1 },
  figures: { onHand: 0, inTransit: 0, onOrder: 0, reserved: 0, backordered: 0 },
  drafted: 0,
  ...(change.figures ? { figures: change.figures } : {}),
  ...(change.drafted !== undefined ? { drafted: change.drafted } : {}),
});

let orderNo = 0;
const lastOrder = (sku: string, change: Partial<LastOrderLine> = {}): LastOrderLine => ({
  sku,
  locationId: 'S1',
  supplier: { id: 'acme' },
  currency: 'EUR',
  unitCost: 400,
  purchaseOrderId: `po-${(orderNo += 1)}`,
  submittedAt: '2026-11-01T08:00:00.000Z',
  ...change,
});

const euros = (...skus: string[]) => new Map(skus.map((sku) => [sku, 'EUR']));

describe('where a SKU is bought for a location', () => {
  it("prefers the location's own last order over a newer one elsewhere", () => {
    const own = lastOrder('A', { locationId: 'S1', submittedAt: '2026-01-01T00:00:00.000Z' });
    const elsewhere = lastOrder('A', { locationId: 'W1', submittedAt: '2026-06-01T00:00:00.000Z' });
    expect(sourceFor([elsewhere, own], 'A', 'S1')).toBe(own);
  });

  it('takes the newest order anywhere when the location has none, ties by order id', () => {
    const older = lastOrder('A', { locationId: 'W1', submittedAt: '2026-01-01T00:00:00.000Z' });
    const newer = lastOrder('A', { locationId: 'S2', submittedAt: '2026-06-01T00:00:00.000Z' });
    const tied = lastOrder('A', {
      locationId: 'S3',
      submittedAt: newer.submittedAt,
      purchaseOrderId: 'po-zz',
    });
    expect(sourceFor([older, newer], 'A', 'S1')).toBe(newer);
    expect(sourceFor([newer, tied, older], 'A', 'S1')).toBe(tied);
    expect(sourceFor([older], 'B', 'S1')).toBeNull();
  });
});

describe('what to order beyond open drafts', () => {
  it.each([
    ['no draft: the suggestion as listed', 0, 20],
    ['a draft covering it all: nothing', 20, null],
    ['a draft above the reorder point: nothing', 6, null],
    ["a buyer's small draft: the rest", 3, 17],
  ])('%s', (_name, drafted, expected) => {
    expect(undraftedSuggestion(due('A', { drafted }))).toBe(expected);
  });
});

describe('planning replenishment drafts', () => {
  it('makes one draft per location, supplier and currency, at the cost of each SKU’s source order', () => {
    const plan = planReplenishmentDrafts({
      due: [due('B'), due('A'), due('C'), due('A', { locationId: 'S2' })],
      lastOrders: [
        lastOrder('A', { unitCost: 410 }),
        lastOrder('B', { supplier: { id: 'acme', name: 'Acme Ltd' }, unitCost: 250 }),
        lastOrder('C', { supplier: { id: 'zenith' }, unitCost: 90 }),
      ],
      productCurrencies: euros('A', 'B', 'C'),
    });
    expect(plan).toEqual({
      drafts: [
        {
          supplier: { id: 'acme', name: 'Acme Ltd' },
          locationId: 'S1',
          currency: 'EUR',
          lines: [
            { sku: 'A', quantity: 20, unitCost: 410 },
            { sku: 'B', quantity: 20, unitCost: 250 },
          ],
        },
        {
          supplier: { id: 'zenith' },
          locationId: 'S1',
          currency: 'EUR',
          lines: [{ sku: 'C', quantity: 20, unitCost: 90 }],
        },
        {
          supplier: { id: 'acme' },
          locationId: 'S2',
          currency: 'EUR',
          lines: [{ sku: 'A', quantity: 20, unitCost: 410 }],
        },
      ],
      unassigned: [],
    });
  });

  it('names the supplier as its latest source order does', () => {
    const plan = planReplenishmentDrafts({
      due: [due('A'), due('B')],
      lastOrders: [
        lastOrder('A', { supplier: { id: 'acme', name: 'Acme' }, submittedAt: '2026-01-01T00:00:00.000Z' }),
        lastOrder('B', {
          supplier: { id: 'acme', name: 'Acme Ltd' },
          submittedAt: '2026-02-01T00:00:00.000Z',
        }),
      ],
      productCurrencies: euros('A', 'B'),
    });
    expect(plan.drafts.map((draft) => draft.supplier)).toEqual([{ id: 'acme', name: 'Acme Ltd' }]);
  });

  it('lists what it cannot order, with why, and orders nothing drafts already cover', () => {
    const plan = planReplenishmentDrafts({
      due: [
        due('NEW'),
        due('USD'),
        due('HUGE', {
          figures: { onHand: -2_000_000, inTransit: 0, onOrder: 0, reserved: 0, backordered: 0 },
        }),
        due('DEAR'),
        due('COVERED', { drafted: 20 }),
      ],
      lastOrders: [
        lastOrder('USD', { currency: 'USD' }),
        lastOrder('HUGE'),
        lastOrder('DEAR', { unitCost: MAX_ORDER_VALUE }),
        lastOrder('COVERED'),
      ],
      productCurrencies: euros('NEW', 'USD', 'HUGE', 'DEAR', 'COVERED'),
    });
    expect(plan).toEqual({
      drafts: [],
      unassigned: [
        { sku: 'NEW', locationId: 'S1', suggested: 20, reason: 'no_previous_order' },
        { sku: 'USD', locationId: 'S1', suggested: 20, reason: 'currency_mismatch' },
        { sku: 'HUGE', locationId: 'S1', suggested: 2_000_020, reason: 'quantity_too_large' },
        { sku: 'DEAR', locationId: 'S1', suggested: 20, reason: 'value_too_large' },
      ],
    });
  });

  it('splits a group where a draft would pass the lines or the value one order may have', () => {
    const skus = Array.from(
      { length: MAX_DRAFT_LINES + 3 },
      (_, index) => `SKU-${String(index).padStart(4, '0')}`,
    );
    const many = planReplenishmentDrafts({
      due: skus.map((sku) => due(sku)),
      lastOrders: skus.map((sku) => lastOrder(sku)),
      productCurrencies: euros(...skus),
    });
    expect(many.drafts.map((draft) => draft.lines.length)).toEqual([MAX_DRAFT_LINES, 3]);
    expect(many.drafts[1]!.lines[0]!.sku).toBe(skus[MAX_DRAFT_LINES]);

    const halfOfMax = MAX_ORDER_VALUE / 2 / 20;
    const dear = planReplenishmentDrafts({
      due: [due('A'), due('B'), due('C')],
      lastOrders: ['A', 'B', 'C'].map((sku) => lastOrder(sku, { unitCost: halfOfMax })),
      productCurrencies: euros('A', 'B', 'C'),
    });
    expect(dear.drafts.map((draft) => draft.lines.map((line) => line.sku))).toEqual([['A', 'B'], ['C']]);
  });
});
