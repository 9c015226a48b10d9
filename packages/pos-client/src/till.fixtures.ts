import type { PricingSnapshot } from '@tillstream/contracts';
import { NetworkError, type HttpPort, type HttpResponse } from './http.port.js';
import { memoryStorage } from './memory.storage.js';
import { openTerminal } from './terminal.js';
import type { TerminalOptions } from './terminal.types.js';
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
export function fakeServer(balances: Record<string, number>) {
  const state = {
    online: false,
    losesIssueAnswers: false,
    holdAnswer: 'kept' as 'kept' | 'lost' | 'failed',
    cancelled: [] as string[],
    held: new Map<string, 'held' | 'claimed' | 'cancelled'>(),
    debits: [] as string[],
    synced: [] as Transaction[],
    issues: [] as Array<Record<string, any>>,
    /** Cards the server refuses as expired, for holds and top-ups alike. */
    expired: new Set<string>(),
  };
  const expiredAnswer = (number: string) =>
    answer(422, {
      code: 'stored_value_expired',
      detail: `The gift card ${number} expired at 2026-01-01T00:00:00.000Z`,
    });
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
        if (state.expired.has(number)) return expiredAnswer(number);
        if (balances[number]! < body!.amount)
          return answer(409, { code: 'insufficient_balance', balance: balances[number] });
        if (state.holdAnswer === 'failed') return answer(503, { code: 'unavailable' });
        balances[number]! -= body!.amount;
        state.held.set(body!.id, 'held');
        state.debits.push(`redemption/${body!.id}`);
        return answer(201, { id: body!.id, status: 'held' });
      }
      if (path === '/pos/v1/stored-value/issues') {
        if (state.expired.has(body!.number)) return expiredAnswer(body!.number);
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

/** Numbers every id the tests' terminals make, so a terminal reopened after a crash never reuses one. */
let ids = 0;

/** Terminal T1 of store S1 at a fixed instant, over the storage and server the test gives it. */
export function openTestTerminal(
  options: Pick<TerminalOptions, 'storage' | 'http'> & Partial<TerminalOptions>,
) {
  return openTerminal({
    terminalId: 'T1',
    storeId: 'S1',
    currency: 'EUR',
    now: () => new Date('2026-11-01T10:00:00Z'),
    newId: () => `00000000-0000-7000-8000-${String(++ids).padStart(12, '0')}`,
    ...options,
  });
}

/** A terminal with one product at 25.00, offline card limits of 60.00 a sale and 100.00 in all, and a shift open. */
export async function till(
  http: HttpPort,
  extra: { snapshot?: PricingSnapshot; now?: TerminalOptions['now'] } = {},
) {
  const storage = memoryStorage();
  await storage.commit({ state: { catalog, ...(extra.snapshot ? { snapshot: extra.snapshot } : {}) } });
  const terminal = await openTestTerminal({
    storage,
    http,
    offlineCardLimits: { perSale: 6000, total: 10_000 },
    ...(extra.now ? { now: extra.now } : {}),
  });
  await terminal.openShift(0);
  return terminal;
}

/** A sale of `quantity` of the 25.00 product, paid by card. */
export const card = (quantity: number) => ({
  lines: [{ sku: 'A', quantity }],
  tenders: [{ method: 'card' }],
});
