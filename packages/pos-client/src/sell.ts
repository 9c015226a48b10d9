import { BASKET_KEY } from './basket.js';
import { settleTenders, type CartLine, type PricedCart, type TenderInput } from './cart.js';
import { giveBackCoupons, OPEN_COUPONS_KEY, redeemCoupons, type OpenCouponRedemptions } from './coupons.js';
import { TerminalError } from './errors.js';
import type { HttpPort } from './http.port.js';
import { OPEN_HOLDS_KEY, type OpenHolds } from './open-holds.js';
import type { TerminalStorage } from './storage.port.js';
import { authorisePayments, releaseHolds } from './tenders.js';
import type { OfflineCardLimits, OpenShift, Receipt } from './terminal.types.js';
import type { SaleTransaction, Tender, Transaction } from './wire.js';

/** What ringing up a sale needs from the terminal that rings it. */
export interface SellDeps {
  http: HttpPort;
  storage: TerminalStorage;
  holds: OpenHolds;
  /** The sales whose coupons were redeemed online and are not queued yet. */
  coupons: OpenCouponRedemptions;
  terminal: { terminalId: string; storeId: string; currency: string };
  limits: OfflineCardLimits;
  now: () => Date;
  newId: () => string;
  /** Prices on the cached snapshot, as the sale will be priced. */
  price: (input: {
    lines: readonly CartLine[];
    currency: string;
    storeId: string;
    at: string;
    couponCodes?: string[];
  }) => PricedCart;
  /** The store's cash rounding increment as last downloaded (null: none): cash is rounded by it, offline too. */
  cashRoundingIncrement: () => number | null;
  /** Last contact with the server, and a way to say it answered. */
  online: () => boolean | null;
  reached: () => void;
  /** Queues transactions and state in one durable commit. */
  queue: (transactions: Transaction[], state: Record<string, unknown>) => Promise<void>;
}

export interface SellInput {
  lines: readonly CartLine[];
  tenders: readonly TenderInput[];
  couponCodes?: string[];
}

/** The sale as it is queued: the priced lines, the payments as authorised, what it was priced with. */
function saleTransaction(
  header: Pick<SaleTransaction, 'id' | 'storeId' | 'terminalId' | 'occurredAt' | 'currency'>,
  priced: PricedCart,
  paid: { payments: Tender[]; cashRounding: number },
  numbered: { shiftId: string; receiptNo: string },
  couponCodes: string[] | undefined,
): SaleTransaction {
  return {
    type: 'sale',
    ...header,
    lines: priced.lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      ...(line.discount > 0 ? { discount: line.discount } : {}),
      ...(line.promotions.length > 0 ? { promotions: line.promotions } : {}),
      ...(line.tax ? { tax: line.tax } : {}),
      ...(line.includedTax ? { includedTax: line.includedTax } : {}),
    })),
    payments: paid.payments,
    ...(paid.cashRounding !== 0 ? { cashRounding: paid.cashRounding } : {}),
    ...(priced.snapshotVersion !== null || couponCodes?.length
      ? {
          pricing: {
            ...(priced.snapshotVersion !== null ? { snapshotVersion: priced.snapshotVersion } : {}),
            ...(couponCodes?.length ? { couponCodes } : {}),
          },
        }
      : {}),
    ...numbered,
  };
}

/**
 * Rings up a sale on the open shift, numbered `receiptNo` (the caller holds the till's lock and moves its shift
 * on once this resolves): prices it (with added tax where the store's rate excludes it), splits the tenders
 * (cash may give change, and is rounded as the store rounds cash), holds gift card and store credit value on the server when it answers, checks card
 * payments against the offline floor limits when it does not, redeems limited coupons online, and writes the
 * sale to the durable queue with `state` before it resolves. Each hold and redemption is recorded before it is
 * asked for and leaves the record in the commit that queues the sale; a sale that fails before that gives them
 * back at once, and what a crash strands is given back when the terminal starts again.
 */
export async function ringUpSale(
  deps: SellDeps,
  input: SellInput,
  numbered: { open: OpenShift; receiptNo: string; state: Record<string, unknown> },
): Promise<Receipt> {
  const { http, holds, terminal } = deps;
  const { storeId, terminalId, currency } = terminal;
  const at = deps.now().toISOString();
  const couponCodes = input.couponCodes;
  const priced = deps.price({
    lines: input.lines,
    currency,
    storeId,
    at,
    ...(couponCodes ? { couponCodes } : {}),
  });
  const settled = settleTenders(priced.total, input.tenders, deps.cashRoundingIncrement(), currency);
  const { payments, held, reached } = await authorisePayments(settled.payments, {
    http,
    storage: deps.storage,
    record: holds,
    online: deps.online(),
    limits: deps.limits,
    sale: { storeId, terminalId, currency, newId: deps.newId, at },
  });
  if (reached) deps.reached();
  const saleId = deps.newId();
  const redeeming = Boolean(couponCodes?.length) && deps.online() !== false;
  /** The sale will not be stored: what it took on the server goes back now, best effort (the rest on recovery). */
  const abandon = async (couponsTaken: boolean) => {
    await releaseHolds(http, holds, held).catch(() => undefined);
    if (couponsTaken) await giveBackCoupons(http, deps.coupons, terminal, [saleId]).catch(() => undefined);
  };
  if (redeeming) {
    const cart = { saleId, storeId, terminalId, currency, lines: priced.lines, couponCodes: couponCodes! };
    // Recorded before it is sent: a crash from here until the sale is stored must not strand the use.
    await deps.coupons.add(saleId).catch(async (error: unknown) => {
      await abandon(false);
      throw error;
    });
    const redeemed = await redeemCoupons(http, cart).catch(async (error: unknown) => {
      // A coupon used up refuses the sale and ERP took nothing; any other failure may have taken the uses.
      const usedUp = error instanceof TerminalError && error.code === 'coupon_exhausted';
      if (usedUp) await deps.coupons.remove([saleId]);
      await abandon(!usedUp);
      throw error;
    });
    if (redeemed) deps.reached();
  }
  const sale = saleTransaction(
    { id: saleId, storeId, terminalId, occurredAt: at, currency },
    priced,
    { payments, cashRounding: settled.cashRounding },
    { shiftId: numbered.open.id, receiptNo: numbered.receiptNo },
    couponCodes,
  );
  try {
    // The sale names its holds and carries its coupons now: stored with it, they leave the records of what to
    // give back.
    await deps.queue([sale], {
      ...numbered.state,
      // The basket rung up is sold: a reload from here on starts with an empty one.
      [BASKET_KEY]: [],
      ...(held.length > 0 ? { [OPEN_HOLDS_KEY]: await holds.without(held) } : {}),
      ...(redeeming ? { [OPEN_COUPONS_KEY]: await deps.coupons.without([saleId]) } : {}),
    });
  } catch (error) {
    await abandon(redeeming);
    throw error;
  }
  return { sale, priced, change: settled.change };
}
