import { conflict, fingerprintOf, unprocessable } from '@tillstream/kernel';
import { shareOf } from '@tillstream/pricing';
import {
  settleRounded,
  NO_CASH_ROUNDING,
  type CashRounded,
  type CashRoundingRule,
} from '../sales/cash-rounding.decide.js';
import { checkTenders, copyTender, type Sale, type Tender } from '../sales/sale.decide.js';

export type Disposition = 'restock' | 'damaged';

export interface ReturnCommand {
  id: string;
  storeId: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  /** The receipt's sale; absent for a return without a receipt (then the store policy decides). */
  originalSaleId?: string;
  /** `unitPrice` is required without a receipt; with one the price paid on the receipt is refunded. */
  lines: Array<{
    sku: string;
    quantity: number;
    disposition: Disposition;
    originalLineNo?: number;
    unitPrice?: number;
  }>;
  refunds: Tender[];
  /**
   * What rounding the cash refund to the store's increment added (+: the store paid out more) or took off (−);
   * the refunds then add up to the total + this. Absent or 0: not rounded.
   */
  cashRounding?: number;
  reason?: string;
  shiftId?: string;
  receiptNo?: string;
}

export interface ReturnLine {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
  disposition: Disposition;
  originalLineNo?: number;
  /** Added tax refunded with it: its share of the sold line's tax (tax-exclusive stores), part of the total. */
  tax?: number;
  /** Tax inside `lineTotal`: its share of the tax the sold line stated inside its price (tax-inclusive stores). */
  includedTax?: number;
  /** The rate of the sold line's tax, added or included. */
  taxRatePpm?: number;
}

export interface SaleReturn {
  id: string;
  status: 'completed';
  storeId: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  originalSaleId: string | null;
  lines: ReturnLine[];
  refunds: Tender[];
  /** What the goods and their tax are worth, not changed by cash rounding. */
  total: number;
  /**
   * The part of `total` not refunded because the sale never collected it (see `uncollectedShare`): the refunds
   * add up to total − this (+ cash rounding). Absent when the sale was paid in full.
   */
  uncollected?: number;
  cashRounding?: CashRounded['cashRounding'];
  cashRoundingRule?: CashRounded['cashRoundingRule'];
  reason?: string;
  shiftId?: string;
  receiptNo?: string;
}

/** What a store takes back without a receipt: up to `maxTotal` (minor units), refunded only in `refundMethods`. */
export interface NoReceiptPolicy {
  allowed: boolean;
  maxTotal: number;
  refundMethods: readonly string[];
}

export const DEFAULT_NO_RECEIPT_POLICY: NoReceiptPolicy = {
  allowed: true,
  maxTotal: 5000,
  refundMethods: ['store_credit'],
};

/**
 * The receipt a return is checked against: the sale, per line number the units returned before, and what its
 * payments never collected (a gift card or store credit spent offline that held less than it paid: the
 * shortfall written off for review; 0 when paid in full).
 */
export interface Original {
  sale: Sale;
  returned: ReadonlyMap<number, number>;
  uncollected: number;
}

/**
 * What returning `units` of a line refunds when `before` units of it were returned already: the share of the
 * price paid (after discounts), rounded down, so the refunds of a line returned bit by bit add up to exactly
 * what was paid for it. BigInt: lineTotal × units may pass 2^53.
 */
export function refundFor(
  line: { quantity: number; lineTotal: number },
  before: number,
  units: number,
): number {
  const paidFor = (count: number) => Number((BigInt(line.lineTotal) * BigInt(count)) / BigInt(line.quantity));
  return paidFor(before + units) - paidFor(before);
}

/** What `units` of a sold line are worth after `before` were taken back: their share of its total and tax. */
export function lineValue(
  line: { quantity: number; lineTotal: number; tax?: { amount: number } },
  before: number,
  units: number,
): number {
  const tax = line.tax
    ? refundFor({ quantity: line.quantity, lineTotal: line.tax.amount }, before, units)
    : 0;
  return refundFor(line, before, units) + tax;
}

/** What the returns of a sale so far took back: the value of the units `returned` of each line. */
export function valueReturned(sale: Sale, returned: ReadonlyMap<number, number>): number {
  return sale.lines.reduce((sum, line) => sum + lineValue(line, 0, returned.get(line.lineNo) ?? 0), 0);
}

/**
 * The part of a return's value that is not refunded because the sale never collected it. A sale paid with a
 * card that held less than it spent (offline, or a number nobody issued) stands, and the shortfall is written
 * off; refunding it would pay out money the store never took. Each return leaves out the shortfall in
 * proportion to the value it takes back, on the running total from the sale's first unit returned, so the
 * returns of a whole sale leave out exactly the shortfall and refund exactly what was collected.
 */
export function uncollectedShare(
  sale: { total: number; uncollected: number },
  before: number,
  value: number,
): number {
  return shareOf(Math.min(sale.uncollected, sale.total), sale.total, before, value);
}

export function returnFingerprint(command: ReturnCommand): string {
  // A rounding is appended only when there is one, so returns stored before rounding keep their fingerprints.
  const rounding = command.cashRounding ? [['cashRounding', command.cashRounding]] : [];
  return fingerprintOf([
    command.storeId,
    command.terminalId,
    new Date(command.occurredAt).toISOString(),
    command.currency,
    command.originalSaleId ?? null,
    command.lines.map((line) => [
      line.sku,
      line.quantity,
      line.disposition,
      line.originalLineNo ?? null,
      line.unitPrice ?? null,
    ]),
    command.refunds.map((tender) => [
      tender.method,
      tender.amount,
      tender.tendered ?? null,
      tender.reference ?? null,
    ]),
    command.reason ?? null,
    command.shiftId ?? null,
    command.receiptNo ?? null,
    ...rounding,
  ]);
}

function receiptLines(command: ReturnCommand, original: Original): ReturnLine[] {
  const { sale } = original;
  const mismatched: Array<{ lineNo: number; reason: string }> = [];
  const exceeded: Array<{ lineNo: number; sold: number; returned: number; requested: number }> = [];
  const taken = new Map(original.returned);
  if (sale.currency !== command.currency)
    mismatched.push({ lineNo: 0, reason: `sale is in ${sale.currency}` });
  const lines = command.lines.map((line, index): ReturnLine => {
    const lineNo = index + 1;
    const sold = sale.lines.find((candidate) => candidate.lineNo === line.originalLineNo);
    if (!sold || sold.sku !== line.sku) {
      mismatched.push({
        lineNo,
        reason: sold ? `line ${sold.lineNo} sold ${sold.sku}` : 'no such line on the receipt',
      });
      return {
        lineNo,
        sku: line.sku,
        quantity: line.quantity,
        unitPrice: 0,
        lineTotal: 0,
        disposition: line.disposition,
      };
    }
    const before = taken.get(sold.lineNo) ?? 0;
    if (before + line.quantity > sold.quantity)
      exceeded.push({ lineNo, sold: sold.quantity, returned: before, requested: line.quantity });
    taken.set(sold.lineNo, before + line.quantity);
    const within = before + line.quantity <= sold.quantity;
    const lineTotal = within ? refundFor(sold, before, line.quantity) : 0;
    // Each tax is shared out as the price is, so a line returned bit by bit gives back exactly its tax.
    const returnedShare = (tax: { amount: number } | undefined) =>
      within && tax
        ? refundFor({ quantity: sold.quantity, lineTotal: tax.amount }, before, line.quantity)
        : undefined;
    const tax = returnedShare(sold.tax);
    const includedTax = returnedShare(sold.includedTax);
    const taxRatePpm = within ? (sold.tax ?? sold.includedTax)?.ratePpm : undefined;
    return {
      lineNo,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: Math.floor(sold.lineTotal / sold.quantity),
      lineTotal,
      disposition: line.disposition,
      originalLineNo: sold.lineNo,
      ...(tax !== undefined ? { tax } : {}),
      ...(includedTax !== undefined ? { includedTax } : {}),
      ...(taxRatePpm !== undefined ? { taxRatePpm } : {}),
    };
  });
  if (mismatched.length > 0)
    throw unprocessable('return_line_mismatch', 'Return lines do not match the receipt', {
      lines: mismatched,
    });
  if (exceeded.length > 0)
    throw conflict('return_exceeds_sold', 'More would be returned than was sold', { lines: exceeded });
  return lines;
}

function noReceiptLines(command: ReturnCommand): ReturnLine[] {
  const unpriced = command.lines.findIndex(
    (line) => line.unitPrice === undefined || line.originalLineNo !== undefined,
  );
  if (unpriced >= 0)
    throw unprocessable(
      'return_line_mismatch',
      'Without a receipt every line needs a unitPrice and no originalLineNo',
      {
        lines: [{ lineNo: unpriced + 1, reason: 'no receipt' }],
      },
    );
  return command.lines.map((line, index) => ({
    lineNo: index + 1,
    sku: line.sku,
    quantity: line.quantity,
    unitPrice: line.unitPrice!,
    lineTotal: line.unitPrice! * line.quantity,
    disposition: line.disposition,
  }));
}

/**
 * Refunds that pay out more than the sale collected, whatever cash rounding they state, say so before the
 * rounding is checked: a till that could not know the shortfall (offline) refunded, and rounded, the full
 * price, and the manager who reviews it must see why it was refused, not a rounding it got right.
 */
function refuseBeyondCollected(command: ReturnCommand, total: number, uncollected: number): void {
  if (uncollected <= 0) return;
  const refundable = total - uncollected;
  const refunded = command.refunds.reduce((sum, tender) => sum + tender.amount, 0);
  const rounding = command.cashRounding ?? 0;
  if (refunded - rounding <= refundable) return;
  throw unprocessable(
    'refund_exceeds_collected',
    `Refunds add up to ${refunded} but the sale never collected ${uncollected} of this return's ${total}: ` +
      `at most ${refundable} goes back`,
    { total, uncollected, refundable, refunded, ...(rounding ? { cashRounding: rounding } : {}) },
  );
}

/**
 * Decides a return. With a receipt, each line names the sold line it returns: same SKU, and never more units
 * than were sold minus those returned before; the refund is the price paid, with its share of any added tax,
 * less its share of what the sale never collected. Without one, the policy caps the amount and the refund
 * methods. Refunds must add up to what is refunded, plus the cash rounding the store's `rounding` rule gives
 * the cash refunded (the store pays out what its coins allow, as it takes it on a sale).
 */
export function decideReturn(
  command: ReturnCommand,
  original: Original | null,
  policy: NoReceiptPolicy,
  rounding: CashRoundingRule = NO_CASH_ROUNDING,
): SaleReturn {
  const lines = original ? receiptLines(command, original) : noReceiptLines(command);
  const total = lines.reduce((sum, line) => sum + line.lineTotal + (line.tax ?? 0), 0);
  const uncollected = original
    ? uncollectedShare(
        { total: original.sale.total, uncollected: original.uncollected },
        valueReturned(original.sale, original.returned),
        total,
      )
    : 0;
  if (!original) {
    const methods = command.refunds
      .map((tender) => tender.method)
      .filter((method) => !policy.refundMethods.includes(method));
    if (!policy.allowed || total > policy.maxTotal || methods.length > 0)
      throw unprocessable(
        'return_policy_violation',
        'This return without a receipt is outside the store policy',
        {
          policy,
          total,
        },
      );
  }
  checkTenders(command.refunds);
  refuseBeyondCollected(command, total, uncollected);
  const rounded = settleRounded(
    command.cashRounding,
    total - uncollected,
    command.refunds,
    rounding,
    (refunded, refundable, rounded) =>
      unprocessable(
        'refund_mismatch',
        `Refunds add up to ${refunded} but the return total${rounded ? ' with its cash rounding' : ''}` +
          `${uncollected > 0 ? ' less what the sale never collected' : ''} is ${refundable}`,
        {
          total,
          refunded,
          ...(uncollected > 0 ? { uncollected } : {}),
          ...(rounded ? { cashRounding: rounded.cashRounding } : {}),
        },
      ),
  );
  return {
    id: command.id,
    status: 'completed',
    storeId: command.storeId,
    terminalId: command.terminalId,
    occurredAt: new Date(command.occurredAt).toISOString(),
    currency: command.currency,
    originalSaleId: original ? original.sale.id : null,
    lines,
    refunds: command.refunds.map(copyTender),
    total,
    ...(uncollected > 0 ? { uncollected } : {}),
    ...(rounded ?? {}),
    ...(command.reason ? { reason: command.reason } : {}),
    ...(command.shiftId ? { shiftId: command.shiftId } : {}),
    ...(command.receiptNo ? { receiptNo: command.receiptNo } : {}),
  };
}
