import { createHash } from 'node:crypto';
import { forbidden, unprocessable } from '@tillstream/kernel';

export interface SaleCommand {
  id: string;
  storeId: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  lines: Array<{ sku: string; quantity: number; unitPrice: number }>;
  payments: Array<{ method: string; amount: number }>;
}

export interface Sale {
  id: string;
  status: 'completed';
  storeId: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  lines: Array<{ lineNo: number; sku: string; quantity: number; unitPrice: number; lineTotal: number }>;
  payments: Array<{ method: string; amount: number }>;
  total: number;
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
  const canonical = [
    command.storeId,
    command.terminalId,
    new Date(command.occurredAt).toISOString(),
    command.currency,
    command.lines.map((line) => [line.sku, line.quantity, line.unitPrice]),
    command.payments.map((payment) => [payment.method, payment.amount]),
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export function authorizePoster(poster: Poster, command: SaleCommand): void {
  if (poster.terminalId && poster.terminalId !== command.terminalId) {
    throw forbidden('terminal_mismatch', `This key belongs to terminal ${poster.terminalId}`);
  }
  if (poster.storeId && poster.storeId !== command.storeId) {
    throw forbidden('terminal_mismatch', `This key belongs to store ${poster.storeId}`);
  }
}

/** Validates a sale's arithmetic and builds the record. Stock is never checked: a store sale is physical fact. */
export function decideSale(command: SaleCommand): Sale {
  const lines = command.lines.map((line, index) => ({
    lineNo: index + 1,
    sku: line.sku,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    lineTotal: line.quantity * line.unitPrice,
  }));
  const total = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  const paid = command.payments.reduce((sum, payment) => sum + payment.amount, 0);
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
    payments: command.payments.map((payment) => ({ method: payment.method, amount: payment.amount })),
    total,
  };
}
