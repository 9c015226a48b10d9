import {
  soldLineValue,
  uncollectedShareOf,
  type ReturnInput,
  type SoldLine,
} from '@tillstream/pos-client/browser';

import type { NoReceiptPolicy } from './api.js';
import { money } from './money.js';

export type Disposition = 'restock' | 'damaged';

/** What the cashier picked for one receipt line: how many units come back, and where they go. */
export interface ReturnPick {
  quantity: string;
  disposition: Disposition;
}

export interface CheckedReturn {
  /** The lines for `terminal.returnItems`, only those with units picked. */
  lines: ReturnInput['lines'];
  /**
   * What the refund will be: the price paid, pro rata, less the share of what the sale's card never paid
   * (`uncollected`), as the SDK and the server compute it.
   */
  refund: number;
  /** Of the goods' value, what is not refunded because the sale never collected it; 0 for most receipts. */
  uncollected: number;
  /** Why a line cannot go back as picked, by line number; empty when the return can be taken. */
  problems: Map<number, string>;
}

/** A whole number of units typed by the cashier; an empty box is none; null when it is not a count. */
export function parseUnits(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : null;
}

/** Units of a receipt line that can still come back. */
export const unitsLeft = (line: SoldLine) => Math.max(0, line.sold - line.returned);

/**
 * Checks a return against a receipt before it is queued: never more than sold minus already returned (the
 * server enforces the same, under a lock), and the refund as the SDK will compute it.
 */
export function checkReceiptReturn(
  lines: readonly SoldLine[],
  picks: ReadonlyMap<number, ReturnPick>,
  uncollected = 0,
) {
  const checked: CheckedReturn = { lines: [], refund: 0, uncollected: 0, problems: new Map() };
  for (const line of lines) {
    const pick = picks.get(line.lineNo);
    if (!pick) continue;
    const units = parseUnits(pick.quantity);
    const left = unitsLeft(line);
    if (units === null) checked.problems.set(line.lineNo, 'Type a whole number of units');
    else if (units > left)
      checked.problems.set(
        line.lineNo,
        left === 0
          ? `Nothing left to return: ${line.sold} sold, ${line.returned} already returned`
          : `Only ${left} left to return: ${line.sold} sold, ${line.returned} already returned`,
      );
    else if (units > 0) {
      checked.lines.push({
        sku: line.sku,
        quantity: units,
        disposition: pick.disposition,
        originalLineNo: line.lineNo,
      });
      // The price paid, pro rata, with any tax a tax-exclusive store added: as the SDK refunds it.
      checked.refund += soldLineValue(line, line.returned, units);
    }
  }
  checked.uncollected = uncollectedShareOf({ lines, uncollected }, checked.refund);
  checked.refund -= checked.uncollected;
  return checked;
}

/** A no-receipt return: each picked product at its current price (the server applies the store's policy). */
export function checkNoReceiptReturn(
  picks: ReadonlyArray<{ sku: string; unitPrice: number; pick: ReturnPick }>,
): CheckedReturn {
  const checked: CheckedReturn = { lines: [], refund: 0, uncollected: 0, problems: new Map() };
  picks.forEach(({ sku, unitPrice, pick }, index) => {
    const units = parseUnits(pick.quantity);
    if (units === null || units === 0) {
      checked.problems.set(index + 1, 'Type how many units come back');
      return;
    }
    checked.lines.push({ sku, quantity: units, disposition: pick.disposition });
    checked.refund += unitPrice * units;
  });
  return checked;
}

/**
 * Why the store's policy for returns without a receipt refuses this one, or null when it takes it: the same
 * check the server makes (not allowed at all, above `maxTotal`, or refunded in a method it does not allow).
 */
export function noReceiptPolicyProblem(
  policy: NoReceiptPolicy,
  refund: number,
  method: string,
  currency: string,
): string | null {
  if (!policy.allowed) return 'This store takes nothing back without a receipt';
  if (refund > policy.maxTotal)
    return `Without a receipt the store refunds at most ${money(policy.maxTotal, currency)}`;
  if (!policy.refundMethods.includes(method))
    return `Without a receipt the refund can only be ${policy.refundMethods.map((name) => name.replace('_', ' ')).join(' or ')}`;
  return null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the cashier scanned or typed on the returns screen: a sale id (any till's), or a receipt number
 * `<terminal>-<shift seq>-<n>` (the terminal id may itself contain dashes).
 */
export function parseReceiptQuery(
  text: string,
):
  | { kind: 'saleId'; saleId: string }
  | { kind: 'receiptNo'; receiptNo: string; terminalId: string; shiftSeq: number }
  | null {
  const query = text.trim();
  if (UUID.test(query)) return { kind: 'saleId', saleId: query.toLowerCase() };
  const match = /^(.+)-(\d+)-(\d+)$/.exec(query);
  if (!match) return null;
  return { kind: 'receiptNo', receiptNo: query, terminalId: match[1]!, shiftSeq: Number(match[2]) };
}
