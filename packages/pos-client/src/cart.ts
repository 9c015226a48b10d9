import { isPricingError, quote, roundToIncrement, type CompiledPricing } from '@tillstream/pricing';
import type { QuoteLine } from '@tillstream/contracts';
import { amountText } from './amount-text.js';
import { TerminalError } from './errors.js';
import { checkAmount, checkReference } from './limits.js';
import type { CatalogProduct, Tender } from './wire.js';

export interface CartLine {
  sku: string;
  quantity: number;
}

export interface PricedLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  /** Taken off by promotions, minor units. */
  discount: number;
  lineTotal: number;
  /** Why, one entry per promotion applied to the line. */
  adjustments: string[];
  /** Each promotion's share of `discount`, once per promotion: the sale line carries them for analytics. */
  promotions: Array<{ promotionId: string; amount: number }>;
  /** Tax added on top of `lineTotal` where the store's rate excludes tax (the sale line carries it). */
  tax?: { ratePpm: number; amount: number };
  /** Tax inside `lineTotal` where the store's rate includes it: the receipt states it, and so does the sale line. */
  includedTax?: { ratePpm: number; amount: number };
}

export interface PricedCart {
  lines: PricedLine[];
  /** Σ line totals, before added tax. */
  net: number;
  /** Tax added on top (tax-exclusive stores); 0 where prices include tax. */
  tax: number;
  /** Tax inside `net` (tax-inclusive stores); 0 where tax is added on top. */
  includedTax: number;
  /** What the customer pays: net + tax. */
  total: number;
  currency: string;
  /** The snapshot priced with; null when priced from the catalog alone (no snapshot yet, or a SKU new to it). */
  snapshotVersion: number | null;
}

/**
 * Prices a cart offline: with the pricing engine on the cached snapshot, as ERP would; from catalog prices when
 * there is no snapshot yet or it lacks a SKU (ERP then reports a price mismatch if that was wrong). A sale line
 * carries the price before added tax, as ERP compares it; where the store's tax rate is exclusive the engine's
 * tax for the line rides along, and the customer pays net + tax (the server checks it at the same rate); where
 * the rate includes tax, the tax inside the price rides along instead, so ERP can tell a till on a wrong rate.
 */
export function priceCart(
  pricing: CompiledPricing | null,
  catalog: ReadonlyMap<string, CatalogProduct>,
  input: {
    lines: readonly CartLine[];
    currency: string;
    storeId: string;
    at: string;
    couponCodes?: string[];
  },
): PricedCart {
  if (input.lines.length === 0) throw new TerminalError('empty_cart', 'The cart is empty');
  const name = (sku: string) => catalog.get(sku)?.name ?? sku;
  if (pricing && input.lines.every((line) => pricing.products.has(line.sku))) {
    try {
      const priced = quote(pricing, {
        channel: 'pos',
        currency: input.currency,
        storeId: input.storeId,
        at: input.at,
        lines: input.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
        ...(input.couponCodes?.length ? { couponCodes: input.couponCodes } : {}),
      });
      const lines = priced.lines.map((line) => ({
        sku: line.sku,
        name: name(line.sku),
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        discount: line.discountAmount,
        lineTotal: line.netAmount,
        adjustments: line.adjustments.map((adjustment) => adjustment.name),
        promotions: appliedPromotions(line.adjustments),
        ...statedTax(line.tax),
      }));
      return totals(lines, input.currency, pricing.version);
    } catch (error) {
      if (!isPricingError(error)) throw error;
    }
  }
  const lines = input.lines.map((line) => {
    const product = catalog.get(line.sku);
    if (!product) throw new TerminalError('unknown_sku', `Unknown SKU ${line.sku}`);
    if (product.price.currency !== input.currency)
      throw new TerminalError('price_not_found', `No ${input.currency} price for ${line.sku}`);
    const lineTotal = product.price.amount * line.quantity;
    return {
      sku: line.sku,
      name: product.name,
      quantity: line.quantity,
      unitPrice: product.price.amount,
      discount: 0,
      lineTotal,
      adjustments: [],
      promotions: [],
    };
  });
  return totals(lines, input.currency, null);
}

/**
 * A line's tax as the sale line states it: added on top, or inside the price; nothing where no rate applies. A
 * rate whose tax rounds to 0 (a zero rate, a cent's worth) is stated all the same, so the Z-report lists the
 * line under its rate.
 */
function statedTax(tax: QuoteLine['tax']): Pick<PricedLine, 'tax' | 'includedTax'> {
  if (tax.rateId === null) return {};
  const stated = { ratePpm: tax.ratePpm, amount: tax.amount };
  return tax.inclusive ? { includedTax: stated } : { tax: stated };
}

/** The engine's adjustments of a line summed per promotion. */
function appliedPromotions(
  adjustments: ReadonlyArray<{ promotionId: string; amount: number }>,
): Array<{ promotionId: string; amount: number }> {
  const byPromotion = new Map<string, number>();
  for (const adjustment of adjustments)
    byPromotion.set(
      adjustment.promotionId,
      (byPromotion.get(adjustment.promotionId) ?? 0) + adjustment.amount,
    );
  return [...byPromotion].map(([promotionId, amount]) => ({ promotionId, amount }));
}

function totals(lines: PricedLine[], currency: string, snapshotVersion: number | null): PricedCart {
  const net = lines.reduce((total, line) => total + line.lineTotal, 0);
  const tax = lines.reduce((total, line) => total + (line.tax?.amount ?? 0), 0);
  const includedTax = lines.reduce((total, line) => total + (line.includedTax?.amount ?? 0), 0);
  return { lines, net, tax, includedTax, total: net + tax, currency, snapshotVersion };
}

/** A tender as the cashier enters it: `amount` absent means "the rest"; cash may be `tendered` above it. */
export interface TenderInput {
  method: string;
  amount?: number;
  tendered?: number;
  reference?: string;
}

/**
 * What is to be paid in cash for `due`: rounded to the store's increment (null: not rounded), as the server
 * checks it. The cash rounding rule itself is the pricing engine's.
 */
export function cashDueOf(due: number, increment: number | null): number {
  return increment === null || due <= 0 ? due : roundToIncrement(due, increment);
}

/**
 * Splits what is due over the tenders in order. Cash handed over beyond what is due becomes change; any other
 * method must not pay more than is left. Where the store rounds cash (`cashIncrement`), the cash that settles
 * the sale pays the cash due rounded, all cash of the sale taken together (what the other tenders leave, as POS
 * checks it): 9.98 settled in cash is 10.00, and `cashRounding` is +2. Cash that only pays part, before another
 * tender settles the rest, is taken as given. The payments then add up to the total + `cashRounding`.
 */
export function settleTenders(
  total: number,
  tenders: readonly TenderInput[],
  cashIncrement: number | null = null,
  currency?: string,
): { payments: Tender[]; change: number; cashRounding: number } {
  let due = total;
  let change = 0;
  let cash = 0;
  let cashRounding = 0;
  const payments: Tender[] = [];
  for (const tender of tenders) {
    if (tender.amount !== undefined) checkAmount(`A ${tender.method} payment`, tender.amount);
    if (tender.tendered !== undefined) checkAmount('The cash given', tender.tendered);
    if (tender.reference !== undefined) checkReference(`The ${tender.method} reference`, tender.reference);
    const isCash = tender.method === 'cash';
    // Cash is rounded as a whole: what cash paid so far and what is left, less what cash paid so far.
    const dueInCash = isCash && due > 0 ? cashDueOf(cash + due, cashIncrement) - cash : due;
    const offered = tender.amount ?? (isCash && tender.tendered !== undefined ? tender.tendered : dueInCash);
    if (offered > due && !isCash)
      throw new TerminalError(
        'tender_over',
        `${tender.method} pays ${amountText(offered, currency)} but only ${amountText(due, currency)} is due`,
      );
    // Cash enough for the rounded due settles the sale rounded; short of it but enough for the due itself
    // (exact coins), it settles unrounded; less than that, it pays its part.
    const settlesRounded = isCash && due > 0 && offered >= dueInCash;
    const amount = settlesRounded ? dueInCash : Math.min(offered, due);
    if (settlesRounded) cashRounding += dueInCash - due;
    if (isCash) {
      change += (tender.tendered ?? offered) - amount;
      cash += amount;
    }
    due = settlesRounded ? 0 : due - amount;
    payments.push({
      method: tender.method,
      amount,
      ...(tender.method === 'cash' && tender.tendered !== undefined ? { tendered: tender.tendered } : {}),
      ...(tender.reference ? { reference: tender.reference } : {}),
    });
  }
  if (due > 0) throw new TerminalError('tender_short', `${amountText(due, currency)} is still due`);
  return {
    payments: payments.filter((payment) => payment.amount > 0 || payments.length === 1),
    change,
    cashRounding,
  };
}

/** `<terminalId>-<shift seq>-<n>`: unique per terminal without asking anyone, so it can be printed offline. */
export const receiptNumber = (terminalId: string, shiftSeq: number, n: number) =>
  `${terminalId}-${shiftSeq}-${n}`;

/** What returning `units` of a sold line refunds after `before` were returned: the server's rule, to the cent. */
export function refundFor(
  line: { quantity: number; lineTotal: number },
  before: number,
  units: number,
): number {
  const paidFor = (count: number) => Number((BigInt(line.lineTotal) * BigInt(count)) / BigInt(line.quantity));
  return paidFor(before + units) - paidFor(before);
}
