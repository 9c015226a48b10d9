import { conflict, fingerprintOf, unprocessable } from '@tillstream/kernel';
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
  /** What is refunded for the goods and their tax, not changed by cash rounding. */
  total: number;
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

/** The receipt a return is checked against: the sale and, per line number, the units returned before. */
export interface Original {
  sale: Sale;
  returned: ReadonlyMap<number, number>;
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
 * Decides a return. With a receipt, each line names the sold line it returns: same SKU, and never more units
 * than were sold minus those returned before; the refund is the price paid, with its share of any added tax.
 * Without one, the policy caps the
 * amount and the refund methods. Refunds must add up to the total, plus the cash rounding the store's
 * `rounding` rule gives the cash refunded (the store pays out what its coins allow, as it takes it on a sale).
 */
export function decideReturn(
  command: ReturnCommand,
  original: Original | null,
  policy: NoReceiptPolicy,
  rounding: CashRoundingRule = NO_CASH_ROUNDING,
): SaleReturn {
  const lines = original ? receiptLines(command, original) : noReceiptLines(command);
  const total = lines.reduce((sum, line) => sum + line.lineTotal + (line.tax ?? 0), 0);
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
  const rounded = settleRounded(
    command.cashRounding,
    total,
    command.refunds,
    rounding,
    (refunded, refundable, rounded) =>
      unprocessable(
        'refund_mismatch',
        `Refunds add up to ${refunded} but the return total${rounded ? ' with its cash rounding' : ''} is ${refundable}`,
        { total, refunded, ...(rounded ? { cashRounding: rounded.cashRounding } : {}) },
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
    ...(rounded ?? {}),
    ...(command.reason ? { reason: command.reason } : {}),
    ...(command.shiftId ? { shiftId: command.shiftId } : {}),
    ...(command.receiptNo ? { receiptNo: command.receiptNo } : {}),
  };
}
