import { describe, expect, it } from 'vitest';
import type { PricingSnapshot } from '@tillstream/contracts';
import { NetworkError, type HttpPort, type HttpResponse } from './http.port.js';
import { memoryStorage } from './memory.storage.js';
import { authoriseOfflineCards } from './tenders.js';
import { openTerminal } from './terminal.js';
import type { Transaction } from './wire.js';

const catalog = {
  etag: '"c1"',
  products: [{ sku: 'A', name: 'Apple', price: { amount: 2500, currency: 'EUR' } }],
};

const answer = (status: number, body: unknown): HttpResponse => ({ status, header: () => null, body });

/**
 * A server stand-in the test can take offline, or have lose its answers to gift card issues or holds after
 * recording them: it answers gift card holds from a balance it keeps, settles synced sales' card payments as
 * POS does (claim the held redemption the payment names, else debit), and accepts every synced transaction
 * whose receipt number no other document has taken (which is all the terminal needs to hear).
 */
function fakeServer(balances: Record<string, number>) {
  const state = {
    online: false,
    losesIssueAnswers: false,
    holdAnswer: 'kept' as 'kept' | 'lost' | 'failed',
    cancelled: [] as string[],
    held: new Map<string, 'held' | 'claimed' | 'cancelled'>(),
    debits: [] as string[],
    synced: [] as Transaction[],
    issues: [] as Array<Record<string, any>>,
  };
  const receipts = new Map<string, string>();
  const claim = (document: { id: string; receiptNo?: unknown }) => {
    if (typeof document.receiptNo !== 'string') return true;
    const owner = receipts.get(document.receiptNo) ?? document.id;
    receipts.set(document.receiptNo, owner);
    return owner === document.id;
  };
  const server: HttpPort = {
    async request(_method, path, options = {}) {
      const body = options.body as Record<string, any> | undefined;
      const redemption = /^\/pos\/v1\/stored-value\/([^/]+)\/redemptions$/.exec(path);
      if (redemption) {
        const number = decodeURIComponent(redemption[1]!);
        if (balances[number] === undefined) return answer(404, { code: 'stored_value_not_found' });
        if (balances[number]! < body!.amount)
          return answer(409, { code: 'insufficient_balance', balance: balances[number] });
        if (state.holdAnswer === 'failed') return answer(503, { code: 'unavailable' });
        balances[number]! -= body!.amount;
        state.held.set(body!.id, 'held');
        state.debits.push(`redemption/${body!.id}`);
        return answer(201, { id: body!.id, status: 'held' });
      }
      if (path === '/pos/v1/stored-value/issues') {
        if (!claim(body as { id: string })) return answer(409, { code: 'receipt_number_taken' });
        state.issues.push(body!);
        balances[body!.number] = (balances[body!.number] ?? 0) + body!.amount;
        return answer(201, body);
      }
      const card = /^\/pos\/v1\/stored-value\/([^/]+)$/.exec(path);
      if (card) {
        const number = decodeURIComponent(card[1]!);
        if (balances[number] === undefined) return answer(404, { code: 'stored_value_not_found' });
        return answer(200, { number, kind: 'gift_card', currency: 'EUR', balance: balances[number] });
      }
      const cancel = /^\/pos\/v1\/stored-value\/redemptions\/([^/]+)\/cancel$/.exec(path);
      if (cancel) {
        state.cancelled.push(cancel[1]!);
        if (state.held.get(cancel[1]!) === 'held') state.held.set(cancel[1]!, 'cancelled');
        return answer(200, { status: 'cancelled' });
      }
      if (path === '/pos/v1/sync') {
        const transactions = body!.transactions as Transaction[];
        state.synced.push(...transactions);
        for (const sale of transactions)
          for (const payment of sale.type === 'sale' ? sale.payments : []) {
            if (payment.method !== 'gift_card') continue;
            if (payment.redemptionId && state.held.get(payment.redemptionId) === 'held')
              state.held.set(payment.redemptionId, 'claimed');
            else {
              balances[payment.reference!]! -= payment.amount;
              state.debits.push(`sale/${sale.id}`);
            }
          }
        return answer(200, {
          results: transactions.map((transaction) =>
            claim(transaction)
              ? { id: transaction.id, type: transaction.type, status: 'accepted' }
              : {
                  id: transaction.id,
                  type: transaction.type,
                  status: 'rejected',
                  code: 'receipt_number_taken',
                  quarantined: true,
                },
          ),
        });
      }
      return answer(304, null);
    },
  };
  const http: HttpPort = {
    async request(method, path, options) {
      if (!state.online) throw new NetworkError('offline');
      const answered = await server.request(method, path, options);
      if (state.losesIssueAnswers && path === '/pos/v1/stored-value/issues')
        throw new NetworkError('no answer within 8000 ms');
      if (state.holdAnswer === 'lost' && path.endsWith('/redemptions') && answered.status === 201)
        throw new NetworkError('no answer within 8000 ms');
      return answered;
    },
  };
  return { http, state };
}

async function till(http: HttpPort, extra: { snapshot?: PricingSnapshot } = {}) {
  const storage = memoryStorage();
  await storage.commit({ state: { catalog, ...(extra.snapshot ? { snapshot: extra.snapshot } : {}) } });
  let id = 0;
  const terminal = await openTerminal({
    terminalId: 'T1',
    storeId: 'S1',
    currency: 'EUR',
    storage,
    http,
    now: () => new Date('2026-11-01T10:00:00Z'),
    newId: () => `00000000-0000-7000-8000-${String(++id).padStart(12, '0')}`,
    offlineCardLimits: { perSale: 6000, total: 10_000 },
  });
  await terminal.openShift(0);
  return terminal;
}

const card = (quantity: number) => ({ lines: [{ sku: 'A', quantity }], tenders: [{ method: 'card' }] });

describe('authoriseOfflineCards', () => {
  const limits = { perSale: 5000, total: 8000 };
  it.each([
    ['online: untouched, whatever the amount', true, 0, [{ method: 'card', amount: 90_000 }], 'ok'],
    ['offline within both limits', false, 3000, [{ method: 'card', amount: 5000 }], 'ok'],
    ['offline cash: no limit applies', false, 8000, [{ method: 'cash', amount: 90_000 }], 'ok'],
    ['offline above the per-sale limit', false, 0, [{ method: 'card', amount: 5001 }], 'offline_card_limit'],
    [
      'offline split cards that add up above it',
      false,
      0,
      [
        { method: 'card', amount: 3000 },
        { method: 'card', amount: 2001 },
      ],
      'offline_card_limit',
    ],
    [
      'offline past the terminal total',
      false,
      3001,
      [{ method: 'card', amount: 5000 }],
      'offline_card_limit',
    ],
  ] as const)('%s', (_name, online, outstanding, payments, outcome) => {
    const run = () => authoriseOfflineCards(payments, { online, outstanding, limits });
    if (outcome === 'ok') expect(run).not.toThrow();
    else expect(run).toThrowError(expect.objectContaining({ code: outcome }));
  });

  it('marks offline card payments and leaves the others alone', () => {
    expect(
      authoriseOfflineCards(
        [
          { method: 'card', amount: 100 },
          { method: 'cash', amount: 50 },
        ],
        { online: false, outstanding: 0, limits },
      ),
    ).toEqual([
      { method: 'card', amount: 100, offline: true },
      { method: 'cash', amount: 50 },
    ]);
  });
});

describe('offline card limits on a terminal', () => {
  it('refuses a card payment above the per-sale limit offline, and stores nothing for it', async () => {
    const { http } = fakeServer({});
    const terminal = await till(http);
    await expect(terminal.sell(card(3))).rejects.toMatchObject({ code: 'offline_card_limit' });
    expect(await terminal.status()).toMatchObject({ pending: 1 });
    const { sale } = await terminal.sell(card(2));
    expect(sale).toMatchObject({
      receiptNo: 'T1-1-1',
      payments: [{ method: 'card', amount: 5000, offline: true }],
    });
  });

  it('stops at the terminal floor limit until the offline card sales reach the server', async () => {
    const { http, state } = fakeServer({});
    const terminal = await till(http);
    await terminal.sell(card(2));
    await terminal.sell(card(2));
    await expect(terminal.sell(card(1))).rejects.toMatchObject({ code: 'offline_card_limit' });
    // Cash is never limited.
    await terminal.sell({
      lines: [{ sku: 'A', quantity: 1 }],
      tenders: [{ method: 'cash', tendered: 5000 }],
    });
    state.online = true;
    await terminal.sync();
    expect(state.synced.filter((transaction) => transaction.type === 'sale')).toHaveLength(3);
    // Online the acquirer authorises: no limit, no offline mark.
    const { sale } = await terminal.sell(card(3));
    expect(sale.payments).toEqual([{ method: 'card', amount: 7500 }]);
    state.online = false;
    await terminal.sell(card(2));
  });
});

describe('gift cards at the till', () => {
  it('holds the value online before the sale is stored, and the sale names the hold', async () => {
    const { http, state } = fakeServer({ 'GC-1': 3000 });
    state.online = true;
    const terminal = await till(http);
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 2 }],
      tenders: [{ method: 'gift_card', amount: 3000, reference: 'GC-1' }, { method: 'card' }],
    });
    expect(sale.payments).toEqual([
      { method: 'gift_card', amount: 3000, reference: 'GC-1', redemptionId: expect.any(String) },
      { method: 'card', amount: 2000 },
    ]);
  });

  it('refuses a card that holds too little with its balance, and gives back what it held for the sale', async () => {
    const { http, state } = fakeServer({ 'GC-1': 1000, 'GC-2': 400 });
    state.online = true;
    const terminal = await till(http);
    await expect(
      terminal.sell({
        lines: [{ sku: 'A', quantity: 1 }],
        tenders: [
          { method: 'gift_card', amount: 1000, reference: 'GC-1' },
          { method: 'gift_card', amount: 500, reference: 'GC-2' },
          { method: 'cash', tendered: 1000 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'insufficient_balance', balance: 400 });
    expect(state.cancelled).toHaveLength(1);
    expect(await terminal.status()).toMatchObject({ pending: 1 });
    await expect(
      terminal.sell({
        lines: [{ sku: 'A', quantity: 1 }],
        tenders: [{ method: 'gift_card', reference: 'GC-404' }],
      }),
    ).rejects.toMatchObject({ code: 'stored_value_not_found' });
  });

  it('sells a gift card online only, numbered on the shift; a lost request is sent again as it was', async () => {
    const { http, state } = fakeServer({});
    const terminal = await till(http);
    const refused = await terminal
      .sellGiftCard({ number: 'GC-9', amount: 2000, tenders: [{ method: 'cash', tendered: 2000 }] })
      .catch((error: unknown) => error as { code: string; issue: any });
    expect(refused).toMatchObject({
      code: 'stored_value_offline',
      issue: { number: 'GC-9', receiptNo: 'T1-1-1' },
    });
    await expect(terminal.balance('GC-9')).rejects.toMatchObject({ code: 'stored_value_offline' });
    state.online = true;
    const sold = await terminal.sellGiftCard({
      number: 'GC-9',
      amount: 2000,
      tenders: [],
      retry: refused.issue,
    });
    expect(sold.issue).toEqual(refused.issue);
    expect(state.issues).toEqual([refused.issue]);
    expect(await terminal.balance('GC-9')).toMatchObject({ balance: 2000 });
    await expect(terminal.balance('GC-404')).rejects.toMatchObject({ code: 'stored_value_not_found' });
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 1 }],
      tenders: [{ method: 'cash' }],
    });
    expect(sale.receiptNo).toBe('T1-1-2');
  });

  it('never gives the number of a gift card the server recorded to the next sale, answer lost or not', async () => {
    const { http, state } = fakeServer({});
    state.online = true;
    const terminal = await till(http);
    state.losesIssueAnswers = true;
    await expect(
      terminal.sellGiftCard({ number: 'GC-7', amount: 2000, tenders: [{ method: 'card' }] }),
    ).rejects.toMatchObject({ code: 'stored_value_offline', issue: { receiptNo: 'T1-1-1' } });
    expect(state.issues).toHaveLength(1);
    state.losesIssueAnswers = false;
    const { sale } = await terminal.sell(card(1));
    expect(sale.receiptNo).toBe('T1-1-2');
    expect(await terminal.sync()).toMatchObject({ accepted: 2, quarantined: 0 });
  });

  it.each([
    ['reached the server but its answer was lost', 'lost', ['redemption/']],
    ['was answered 503 without being recorded', 'failed', ['sale/']],
  ] as const)('debits a gift card once when its hold %s', async (_case, holdAnswer, debits) => {
    const balances = { 'GC-1': 5000 };
    const { http, state } = fakeServer(balances);
    state.online = true;
    const terminal = await till(http);
    state.holdAnswer = holdAnswer;
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 1 }],
      tenders: [{ method: 'gift_card', reference: 'GC-1' }],
    });
    expect(sale.payments).toEqual([
      { method: 'gift_card', amount: 2500, reference: 'GC-1', redemptionId: expect.any(String) },
    ]);
    state.holdAnswer = 'kept';
    expect(await terminal.sync()).toMatchObject({ accepted: 2, quarantined: 0 });
    expect(state.debits).toEqual([expect.stringMatching(new RegExp(`^${debits[0]}`))]);
    expect(balances['GC-1']).toBe(2500);
    expect([...state.held.values()].filter((status) => status === 'held')).toEqual([]);
  });

  it('gives back a hold left without an answer when the sale is refused', async () => {
    const { http, state } = fakeServer({ 'GC-1': 5000 });
    state.online = true;
    const terminal = await till(http);
    state.holdAnswer = 'lost';
    await expect(
      terminal.sell({
        lines: [{ sku: 'A', quantity: 1 }],
        tenders: [
          { method: 'gift_card', amount: 2000, reference: 'GC-1' },
          { method: 'gift_card', amount: 500, reference: 'GC-404' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'stored_value_not_found' });
    expect([...state.held.values()]).toEqual(['cancelled']);
  });

  it('takes a gift card offline without an answered hold: the server debits it when the sale arrives', async () => {
    const { http } = fakeServer({});
    const terminal = await till(http);
    const { sale } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 1 }],
      tenders: [{ method: 'gift_card', reference: 'GC-1' }],
    });
    // The hold was sent for all the terminal knows, so the payment names it; the server finds none and debits.
    expect(sale.payments).toEqual([
      { method: 'gift_card', amount: 2500, reference: 'GC-1', redemptionId: expect.any(String) },
    ]);
  });
});

describe('tax at the till in a tax-exclusive store', () => {
  const snapshot: PricingSnapshot = {
    version: 3,
    createdAt: '2026-11-01T00:00:00.000Z',
    products: [
      { sku: 'A', price: { amount: 2500, currency: 'EUR' }, taxCategory: 'standard', categories: [] },
    ],
    priceLists: [],
    promotions: [],
    taxRates: [
      {
        id: 'us-ny',
        version: 1,
        name: 'NY',
        taxCategory: 'standard',
        ratePpm: 88_750,
        inclusive: false,
        locationId: 'S1',
      },
    ],
  };

  it('adds the tax to what the customer pays, and each sale line carries it', async () => {
    const { http } = fakeServer({});
    const terminal = await till(http, { snapshot });
    // 3 × 25.00 = 75.00; × 8.875 % = 6.65625 → 6.66
    expect(terminal.price([{ sku: 'A', quantity: 3 }])).toMatchObject({ net: 7500, tax: 666, total: 8166 });
    const { sale, change } = await terminal.sell({
      lines: [{ sku: 'A', quantity: 3 }],
      tenders: [{ method: 'cash', tendered: 10_000 }],
    });
    expect(sale.lines).toEqual([
      { sku: 'A', quantity: 3, unitPrice: 2500, tax: { ratePpm: 88_750, amount: 666 } },
    ]);
    expect(sale.payments).toEqual([{ method: 'cash', amount: 8166, tendered: 10_000 }]);
    expect(change).toBe(1834);
  });

  it('adds nothing where the rate is inclusive', async () => {
    const { http } = fakeServer({});
    const inclusive = { ...snapshot, taxRates: [{ ...snapshot.taxRates[0]!, inclusive: true }] };
    const terminal = await till(http, { snapshot: inclusive });
    expect(terminal.price([{ sku: 'A', quantity: 3 }])).toMatchObject({ net: 7500, tax: 0, total: 7500 });
    expect(terminal.price([{ sku: 'A', quantity: 3 }]).lines[0]).not.toHaveProperty('tax');
  });
});
