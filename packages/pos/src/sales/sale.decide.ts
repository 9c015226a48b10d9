import { createHash } from 'node:crypto';
import type { Static } from 'typebox';
import type { SalePricing } from '@tillstream/contracts';
import { forbidden, unprocessable } from '@tillstream/kernel';

export interface SaleCommand {
  id: string;
  storeId: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  /** `discount`: what promotions took off the line, in minor units. */
  lines: Array<{ sku: string; quantity: number; unitPrice: number; discount?: number }>;
  payments: Tender[];
  /** What the terminal priced with; ERP prices the sale again from it (see docs/pricing.md). */
  pricing?: Static<typeof SalePricing>;
  /** The shift it was rung in, and the receipt number the terminal printed (see docs/pos.md). */
  shiftId?: string;
  receiptNo?: string;
}

/** A payment; `tendered` is the cash handed over (change = tendered − amount), `reference` a card or voucher. */
export interface Tender {
  method: string;
  amount: number;
  tendered?: number;
  reference?: string;
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
    lineTotal: number;
  }>;
  payments: Tender[];
  total: number;
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
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export function authorizePoster(poster: Poster, command: Pick<SaleCommand, 'terminalId' | 'storeId'>): void {
  if (poster.terminalId && poster.terminalId !== command.terminalId) {
    throw forbidden('terminal_mismatch', `This key belongs to terminal ${poster.terminalId}`);
  }
  if (poster.storeId && poster.storeId !== command.storeId) {
    throw forbidden('terminal_mismatch', `This key belongs to store ${poster.storeId}`);
  }
}

/** Validates a sale's arithmetic and builds the record. Stock is never checked: a store sale is physical fact. */
export function decideSale(command: SaleCommand): Sale {
  const lines = command.lines.map((line, index) => {
    const gross = line.quantity * line.unitPrice;
    const discount = line.discount ?? 0;
    if (discount > gross)
      throw unprocessable('discount_exceeds_line', `Line ${index + 1} discounts ${discount} off ${gross}`);
    return {
      lineNo: index + 1,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      ...(discount > 0 ? { discount } : {}),
      lineTotal: gross - discount,
    };
  });
  const total = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  const paid = command.payments.reduce((sum, payment) => sum + payment.amount, 0);
  checkTenders(command.payments);
  if (paid !== total) {
    throw unprocessable('payment_mismatch', `Payments add up to ${paid} but the sale total is ${total}`, {
      total,
      paid,
    });
  }
  return {
    id: command.id,
    status: 'completed',
    storeId: command.storeId,
    terminalId: command.terminalId,
    occurredAt: new Date(command.occurredAt).toISOString(),
    currency: command.currency,
    lines,
    payments: command.payments.map(copyTender),
    total,
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
});

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
