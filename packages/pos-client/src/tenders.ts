import { amountText } from './amount-text.js';
import { TerminalError } from './errors.js';
import { NetworkError, type HttpPort } from './http.port.js';
import { cancelHolds, type OpenHolds } from './open-holds.js';
import type { TerminalStorage } from './storage.port.js';
import type { OfflineCardLimits } from './terminal.types.js';
import type { Tender } from './wire.js';

const DEFAULT_WINDOW_HOURS = 24;
const HOUR_MS = 3_600_000;

export const DEFAULT_OFFLINE_CARD_LIMITS: OfflineCardLimits = {
  perSale: 10_000,
  total: 50_000,
  windowHours: DEFAULT_WINDOW_HOURS,
};

/** Tenders that spend a gift card or store credit balance, which the server keeps. */
export const STORED_VALUE_METHODS: ReadonlySet<string> = new Set(['gift_card', 'store_credit']);

const offlineCard = (payment: Tender) => payment.method === 'card' && payment.offline === true;

/**
 * Card payments authorised offline that the server has not acknowledged yet: the terminal's open risk, and when
 * the oldest of them was taken.
 */
export async function offlineCardOutstanding(
  storage: TerminalStorage,
): Promise<{ amount: number; oldestAt: string | null }> {
  let amount = 0;
  let oldestAt: string | null = null;
  for (const { transaction } of await storage.recent(1_000_000, 'pending')) {
    if (transaction.type !== 'sale') continue;
    for (const payment of transaction.payments) {
      if (!offlineCard(payment)) continue;
      amount += payment.amount;
      if (oldestAt === null || transaction.occurredAt < oldestAt) oldestAt = transaction.occurredAt;
    }
  }
  return { amount, oldestAt };
}

/**
 * Offline, a card payment cannot be authorised by the acquirer: the store takes the risk up to its floor limit.
 * Marks the card payments `offline` and refuses the sale (nothing is stored) if they pass the per-sale limit,
 * would take the terminal's outstanding offline card total past its limit, or come `windowHours` or more after
 * the oldest outstanding one (`oldestOutstandingAt`, as of `at`): the acquirer declines what is uploaded later.
 * Online, payments pass untouched.
 */
export function authoriseOfflineCards(
  payments: readonly Tender[],
  options: {
    online: boolean;
    outstanding: number;
    limits: OfflineCardLimits;
    oldestOutstandingAt?: string | null;
    at?: string;
  },
): Tender[] {
  if (options.online) return [...payments];
  const marked = payments.map((payment) =>
    payment.method === 'card' ? { ...payment, offline: true } : payment,
  );
  const cards = marked.filter(offlineCard).reduce((sum, payment) => sum + payment.amount, 0);
  if (cards > options.limits.perSale)
    throw new TerminalError(
      'offline_card_limit',
      `Offline, a card may pay at most ${options.limits.perSale} per sale; this sale has ${cards}`,
    );
  if (cards > 0 && options.outstanding + cards > options.limits.total)
    throw new TerminalError(
      'offline_card_limit',
      `Offline card payments would reach ${options.outstanding + cards}, above the limit of ${options.limits.total}`,
    );
  const windowHours = options.limits.windowHours ?? DEFAULT_WINDOW_HOURS;
  const { oldestOutstandingAt: oldest, at } = options;
  if (cards > 0 && oldest && at && Date.parse(at) - Date.parse(oldest) >= windowHours * HOUR_MS)
    throw new TerminalError(
      'offline_card_limit',
      `Offline card payments are taken for ${windowHours} h from the oldest one not yet synced (${oldest}): ` +
        'connect to sync them, or take another tender',
    );
  return marked;
}

interface Problem {
  code?: string;
  detail?: string;
  balance?: number;
}

/**
 * Gives holds back to their cards (the sale did not complete) and drops the ones the server answered from the
 * terminal's record; the rest are given back on recovery, or expire on the server.
 */
export async function releaseHolds(
  http: HttpPort,
  record: OpenHolds,
  redemptionIds: readonly string[],
): Promise<void> {
  if (redemptionIds.length === 0) return;
  await record.remove(await cancelHolds(http, redemptionIds));
}

/**
 * Online, takes each gift card or store credit payment off its card on the server before the sale is stored, so
 * two tills cannot spend one balance twice; a card that holds too little refuses the sale with the balance it
 * has. Unreachable (or the server failing), the payment still names the hold it asked for: the server may have
 * debited the card before the answer was lost, and the sale then claims that hold instead of debiting again; a
 * hold that never landed is settled by debiting the sale, with an exception for any shortfall (the sale
 * happened). `held` lists every hold sent, answered or not; `reached` says the server answered one.
 */
export async function holdStoredValue(
  http: HttpPort,
  record: OpenHolds,
  payments: readonly Tender[],
  sale: { storeId: string; terminalId: string; currency: string; newId: () => string },
): Promise<{ payments: Tender[]; held: string[]; reached: boolean }> {
  const held: string[] = [];
  const out: Tender[] = [];
  let reached = false;
  try {
    for (const payment of payments) {
      if (!STORED_VALUE_METHODS.has(payment.method) || payment.amount === 0) {
        out.push(payment);
        continue;
      }
      if (!payment.reference)
        throw new TerminalError(
          'stored_value_not_found',
          `A ${payment.method} payment needs the card number`,
        );
      const id = sale.newId();
      // Recorded before it is sent: a crash from here until the sale is stored must not strand the value.
      await record.add(id);
      held.push(id);
      let response;
      try {
        response = await http.request(
          'POST',
          `/pos/v1/stored-value/${encodeURIComponent(payment.reference)}/redemptions`,
          {
            body: {
              id,
              amount: payment.amount,
              currency: sale.currency,
              storeId: sale.storeId,
              terminalId: sale.terminalId,
            },
          },
        );
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
      }
      const answered = response?.status === 200 || response?.status === 201;
      // Sent without a clear refusal: the card may be debited already, so the payment names the hold either way.
      if (answered || !response || response.status >= 500) {
        reached ||= answered;
        out.push({ ...payment, redemptionId: id });
        continue;
      }
      // Clearly refused: nothing was held, so there is nothing to give back.
      held.pop();
      await record.remove([id]);
      const problem = (response.body ?? {}) as Problem;
      if (problem.code === 'insufficient_balance')
        throw Object.assign(
          new TerminalError(
            'insufficient_balance',
            `${payment.reference} holds ${amountText(problem.balance ?? 0, sale.currency)}`,
          ),
          { balance: problem.balance ?? 0 },
        );
      if (problem.code === 'stored_value_not_found')
        throw new TerminalError(
          'stored_value_not_found',
          `No gift card or store credit ${payment.reference}`,
        );
      throw new TerminalError(
        'stored_value_refused',
        problem.detail ?? `${payment.reference} refused (${response.status})`,
        problem.code,
      );
    }
  } catch (error) {
    await releaseHolds(http, record, held);
    throw error;
  }
  return { payments: out, held, reached };
}

/**
 * Everything a sale's payments need before the sale is stored: gift card holds (unless the terminal knows it is
 * offline), then the offline card limits. On a refusal the holds already taken are given back. `reached` says
 * the server answered a hold, so the terminal is online.
 */
export async function authorisePayments(
  payments: readonly Tender[],
  deps: {
    http: HttpPort;
    storage: TerminalStorage;
    record: OpenHolds;
    online: boolean | null;
    limits: OfflineCardLimits;
    sale: { storeId: string; terminalId: string; currency: string; newId: () => string; at: string };
  },
): Promise<{ payments: Tender[]; held: string[]; reached: boolean }> {
  const hold =
    deps.online === false
      ? { payments: [...payments], held: [], reached: false }
      : await holdStoredValue(deps.http, deps.record, payments, deps.sale);
  const online = deps.online === true || hold.reached;
  try {
    const cards = hold.payments.some((payment) => payment.method === 'card');
    const outstanding =
      cards && !online ? await offlineCardOutstanding(deps.storage) : { amount: 0, oldestAt: null };
    return {
      payments: authoriseOfflineCards(hold.payments, {
        online,
        outstanding: outstanding.amount,
        oldestOutstandingAt: outstanding.oldestAt,
        at: deps.sale.at,
        limits: deps.limits,
      }),
      held: hold.held,
      reached: hold.reached,
    };
  } catch (error) {
    await releaseHolds(deps.http, deps.record, hold.held);
    throw error;
  }
}

/** Selling (or topping up) a gift card, as POST /pos/v1/stored-value/issues takes it. */
export interface GiftCardIssue {
  id: string;
  number: string;
  kind: 'gift_card';
  amount: number;
  currency: string;
  storeId: string;
  terminalId: string;
  occurredAt: string;
  /** They add up to `amount` + `cashRounding`. */
  payments: Tender[];
  /** What rounding the cash to the store's increment added or took off; absent: not rounded. */
  cashRounding?: number;
  shiftId: string;
  receiptNo: string;
  expiresAt?: string;
}

const offlineError = (what: string) =>
  new TerminalError('stored_value_offline', `${what} needs the server, which cannot be reached now`);

/**
 * Loads a gift card on the server. Only online: a card activated offline could be spent at two tills before
 * anyone knew it existed. The error of a request left without an answer carries the issue, to send again as it
 * was (same id: the server answers the first result if it had committed).
 */
export async function postIssue(http: HttpPort, issue: GiftCardIssue): Promise<void> {
  let response;
  try {
    response = await http.request('POST', '/pos/v1/stored-value/issues', { body: issue });
  } catch (error) {
    if (error instanceof NetworkError) throw Object.assign(offlineError('Selling a gift card'), { issue });
    throw error;
  }
  if (response.status === 200 || response.status === 201) return;
  if (response.status >= 500) throw Object.assign(offlineError('Selling a gift card'), { issue });
  const problem = (response.body ?? {}) as Problem;
  throw new TerminalError(
    'stored_value_refused',
    problem.detail ?? `The gift card was refused (${response.status})`,
    problem.code,
  );
}

/** The balance of a gift card or store credit, from the server. */
export async function cardBalance(
  http: HttpPort,
  number: string,
): Promise<{ number: string; kind: string; currency: string; balance: number }> {
  let response;
  try {
    response = await http.request('GET', `/pos/v1/stored-value/${encodeURIComponent(number)}`);
  } catch (error) {
    if (error instanceof NetworkError) throw offlineError('A balance');
    throw error;
  }
  if (response.status === 200)
    return response.body as { number: string; kind: string; currency: string; balance: number };
  if (response.status === 404)
    throw new TerminalError('stored_value_not_found', `No gift card or store credit ${number}`);
  throw offlineError('A balance');
}
