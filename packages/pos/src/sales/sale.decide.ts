import type { Static } from 'typebox';
import type { AppliedPromotion, SalePricing } from '@tillstream/contracts';
import { fingerprintOf, forbidden, unprocessable } from '@tillstream/kernel';
import { addedTaxOf, includedTaxOf } from '@tillstream/pricing';
import {
  settleRounded,
  NO_CASH_ROUNDING,
  type CashRounded,
  type CashRoundingRule,
} from './cash-rounding.decide.js';

export interface SaleCommand {
  id: string;
  storeId: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  /**
   * `discount`: what promotions took off the line, `promotions`: which, their amounts adding up to it; `tax`:
   * tax added on top of it (tax-exclusive stores); `includedTax`: the tax inside it (tax-inclusive stores).
   */
  lines: Array<{
    sku: string;
    quantity: number;
    unitPrice: number;
    discount?: number;
    promotions?: AppliedPromotion[];
    tax?: LineTax;
    includedTax?: LineTax;
  }>;
  payments: Tender[];
  /**
   * What rounding the cash due to the store's increment added (+) or took off (−): the payments then add up to
   * the total + this. Absent or 0: not rounded. See `decideCashRounding`.
   */
  cashRounding?: number;
  /** What the terminal priced with; ERP prices the sale again from it (see docs/pricing.md). */
  pricing?: Static<typeof SalePricing>;
  /** The shift it was rung in, and the receipt number the terminal printed (see docs/pos.md). */
  shiftId?: string;
  receiptNo?: string;
}

/**
 * A payment; `tendered` is the cash handed over (change = tendered − amount), `reference` a card or voucher,
 * `redemptionId` a gift card or store credit held online before the sale, `offline` a card authorised offline.
 */
export interface Tender {
  method: string;
  amount: number;
  tendered?: number;
  reference?: string;
  redemptionId?: string;
  offline?: boolean;
}

/** A line's tax at `ratePpm` (parts per million), added on top or included: the till's tax rule, checked here. */
export interface LineTax {
  ratePpm: number;
  amount: number;
}

export interface Sale {
  id: string;
  status: 'completed';
  storeId: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  lines: Array<{
    lineNo: number;
    sku: string;
    quantity: number;
    unitPrice: number;
    discount?: number;
    promotions?: AppliedPromotion[];
    lineTotal: number;
    tax?: LineTax;
    includedTax?: LineTax;
  }>;
  payments: Tender[];
  /** Tax added to the lines' totals; `total` = Σ lineTotal + tax. Absent when no line adds tax. */
  tax?: number;
  /** Not changed by cash rounding: the goods and their tax. The payments add up to total + cashRounding. */
  total: number;
  cashRounding?: CashRounded['cashRounding'];
  cashRoundingRule?: CashRounded['cashRoundingRule'];
  pricing?: Static<typeof SalePricing>;
  shiftId?: string;
  receiptNo?: string;
}

/** Who is posting: a terminal's own key is bound to one terminal and store; other keys are not. */
export interface Poster {
  terminalId: string | null;
  storeId: string | null;
}

/**
 * The fingerprint of a sale's content, independent of JSON key order and of how the timestamp was written,
 * so a faithful retry always matches and any real difference never does.
 */
export function saleFingerprint(command: SaleCommand): string {
  const canonical: unknown[] = [
    command.storeId,
    command.terminalId,
    new Date(command.occurredAt).toISOString(),
    command.currency,
    command.lines.map((line) => [line.sku, line.quantity, line.unitPrice]),
    command.payments.map((payment) => [payment.method, payment.amount]),
  ];
  // Appended only when present, so sales stored before these fields existed keep their fingerprints.
  const discounts = command.lines.map((line) => line.discount ?? 0);
  if (discounts.some((discount) => discount > 0)) canonical.push(discounts);
  if (command.pricing) canonical.push(JSON.stringify(command.pricing, Object.keys(command.pricing).sort()));
  const tenderDetails = command.payments.map((payment) => [
    payment.tendered ?? null,
    payment.reference ?? null,
  ]);
  if (tenderDetails.some(([tendered, reference]) => tendered !== null || reference !== null))
    canonical.push(tenderDetails);
  if (command.shiftId !== undefined || command.receiptNo !== undefined)
    canonical.push(['shift', command.shiftId ?? null, command.receiptNo ?? null]);
  const taxes = command.lines.map((line) => (line.tax ? [line.tax.ratePpm, line.tax.amount] : null));
  if (taxes.some((tax) => tax !== null)) canonical.push(['tax', taxes]);
  const included = command.lines.map((line) =>
    line.includedTax ? [line.includedTax.ratePpm, line.includedTax.amount] : null,
  );
  if (included.some((tax) => tax !== null)) canonical.push(['includedTax', included]);
  const authorisations = command.payments.map((payment) => [
    payment.redemptionId ?? null,
    payment.offline ?? null,
  ]);
  if (authorisations.some(([redemption, offline]) => redemption !== null || offline !== null))
    canonical.push(['authorisations', authorisations]);
  const promotions = command.lines.map((line) =>
    (line.promotions ?? []).map((promotion) => [promotion.promotionId, promotion.amount]),
  );
  if (promotions.some((applied) => applied.length > 0)) canonical.push(['promotions', promotions]);
  if (command.cashRounding) canonical.push(['cashRounding', command.cashRounding]);
  return fingerprintOf(canonical);
}

export function authorizePoster(poster: Poster, command: Pick<SaleCommand, 'terminalId' | 'storeId'>): void {
  if (poster.terminalId && poster.terminalId !== command.terminalId) {
    throw forbidden('terminal_mismatch', `This key belongs to terminal ${poster.terminalId}`);
  }
  if (poster.storeId && poster.storeId !== command.storeId) {
    throw forbidden('terminal_mismatch', `This key belongs to store ${poster.storeId}`);
  }
}

/**
 * A line's stated tax against the pricing engine's rule for its kind, rounded half up per line (packages/pricing
 * tax.rules.ts), so a till and ERP always agree to the cent: `tax` is added on top (total × rate), `includedTax`
 * is inside the total (total × rate / (1 + rate)).
 */
const TAX_RULES = [
  ['tax', addedTaxOf],
  ['includedTax', includedTaxOf],
] as const;

const copyLineTax = (tax: LineTax): LineTax => ({ ratePpm: tax.ratePpm, amount: tax.amount });

/**
 * Validates a sale's arithmetic and builds the record: line totals, each stated tax against its rate, the cash
 * rounding against the store's `rounding` rule, payments adding up to the total (net + tax) plus that rounding.
 * Stock is never checked: a store sale is physical fact.
 */
export function decideSale(command: SaleCommand, rounding: CashRoundingRule = NO_CASH_ROUNDING): Sale {
  const wrongTax: Array<{ lineNo: number; expected: number; actual: number }> = [];
  const wrongPromotions: Array<{ lineNo: number; discount: number; promotions: number }> = [];
  const lines = command.lines.map((line, index) => {
    const gross = line.quantity * line.unitPrice;
    const discount = line.discount ?? 0;
    if (discount > gross)
      throw unprocessable('discount_exceeds_line', `Line ${index + 1} discounts ${discount} off ${gross}`);
    const lineTotal = gross - discount;
    const promoted = line.promotions?.reduce((sum, promotion) => sum + promotion.amount, 0);
    if (promoted !== undefined && line.promotions!.length > 0 && promoted !== discount)
      wrongPromotions.push({ lineNo: index + 1, discount, promotions: promoted });
    if (line.tax && line.includedTax)
      throw unprocessable('tax_mismatch', `Line ${index + 1} both adds tax and includes it`);
    for (const [field, rule] of TAX_RULES) {
      const stated = line[field];
      if (!stated) continue;
      const expected = rule(lineTotal, stated.ratePpm);
      if (expected !== stated.amount) wrongTax.push({ lineNo: index + 1, expected, actual: stated.amount });
    }
    return {
      lineNo: index + 1,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      ...(discount > 0 ? { discount } : {}),
      ...(line.promotions?.length
        ? { promotions: line.promotions.map(({ promotionId, amount }) => ({ promotionId, amount })) }
        : {}),
      lineTotal,
      ...(line.tax ? { tax: copyLineTax(line.tax) } : {}),
      ...(line.includedTax ? { includedTax: copyLineTax(line.includedTax) } : {}),
    };
  });
  if (wrongPromotions.length > 0)
    throw unprocessable('promotion_amounts_mismatch', 'A line’s promotions do not add up to its discount', {
      lines: wrongPromotions,
    });
  if (wrongTax.length > 0)
    throw unprocessable('tax_mismatch', 'A line’s tax does not match its rate', { lines: wrongTax });
  const taxed = lines.some((line) => line.tax !== undefined);
  const tax = lines.reduce((sum, line) => sum + (line.tax?.amount ?? 0), 0);
  const total = lines.reduce((sum, line) => sum + line.lineTotal, 0) + tax;
  checkTenders(command.payments);
  checkStoredValueNamed(command.payments);
  const rounded = settleRounded(
    command.cashRounding,
    total,
    command.payments,
    rounding,
    (paid, payable, rounded) =>
      unprocessable(
        'payment_mismatch',
        `Payments add up to ${paid} but the sale total${rounded ? ' with its cash rounding' : ''} is ${payable}`,
        { total, paid, ...(rounded ? { cashRounding: rounded.cashRounding } : {}) },
      ),
  );
  return {
    id: command.id,
    status: 'completed',
    storeId: command.storeId,
    terminalId: command.terminalId,
    occurredAt: new Date(command.occurredAt).toISOString(),
    currency: command.currency,
    lines,
    payments: command.payments.map(copyTender),
    ...(taxed ? { tax } : {}),
    total,
    ...(rounded ?? {}),
    ...(command.pricing ? { pricing: command.pricing } : {}),
    ...(command.shiftId ? { shiftId: command.shiftId } : {}),
    ...(command.receiptNo ? { receiptNo: command.receiptNo } : {}),
  };
}

export const copyTender = (tender: Tender): Tender => ({
  method: tender.method,
  amount: tender.amount,
  ...(tender.tendered !== undefined ? { tendered: tender.tendered } : {}),
  ...(tender.reference !== undefined ? { reference: tender.reference } : {}),
  ...(tender.redemptionId !== undefined ? { redemptionId: tender.redemptionId } : {}),
  ...(tender.offline !== undefined ? { offline: tender.offline } : {}),
});

/** Gift cards and store credit: tenders that spend (or, on a return, receive) a stored-value balance. */
export const STORED_VALUE_METHODS: ReadonlySet<string> = new Set(['gift_card', 'store_credit']);

/** Cash handed over covers what it pays; the change is given back, so it never counts as takings. */
export function checkTenders(tenders: readonly Tender[]): void {
  const short = tenders.findIndex(
    (tender) => tender.tendered !== undefined && tender.tendered < tender.amount,
  );
  if (short >= 0)
    throw unprocessable('tender_below_amount', `Payment ${short + 1} tenders less than it pays`, {
      payment: short + 1,
    });
}

/**
 * A gift card or store credit payment names its number, or no balance could be debited for it; an online hold
 * pays for one payment only.
 */
function checkStoredValueNamed(tenders: readonly Tender[]): void {
  const holds = tenders.flatMap((tender) => (tender.redemptionId ? [tender.redemptionId] : []));
  if (new Set(holds).size < holds.length)
    throw unprocessable('stored_value_redemption_mismatch', 'Two payments name the same redemption');
  const unnamed = tenders.findIndex(
    (tender) => STORED_VALUE_METHODS.has(tender.method) && tender.reference === undefined,
  );
  if (unnamed >= 0)
    throw unprocessable(
      'stored_value_reference_required',
      `Payment ${unnamed + 1} (${tenders[unnamed]!.method}) names no number`,
      { payment: unnamed + 1 },
    );
}
