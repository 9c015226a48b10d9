import { includedTaxOf } from '@tillstream/pricing';
import { ACCOUNTS, type AccountCode } from './accounts.js';

export interface JournalLine {
  account: AccountCode;
  debit: number;
  credit: number;
}

export type EntryKind =
  | 'sale'
  | 'return'
  | 'online_order'
  | 'online_refund'
  | 'stored_value_sold'
  | 'stored_value_shortfall'
  | 'cash_over_short';

/** One balanced journal entry: what a source document did to the accounts, in minor units of `currency`. */
export interface JournalEntry {
  kind: EntryKind;
  /**
   * The source document, unique within its kind: a sale, return, order, stored value issue or exception id;
   * `<orderId>/<refundId>` for an online refund; `<shiftId>#<revision>` for a shift's over/short.
   */
  sourceId: string;
  /** The store it happened at; null for the online channel. */
  locationId: string | null;
  /** `pos` for store documents, else the online channel's name. */
  channel: string;
  occurredAt: string;
  currency: string;
  lines: JournalLine[];
}

/** The parts per million of a tax rate, or null where none applies. */
export type TaxRateOf = (sku: string) => number | null;

/** The tax in a line: its amount, and the rate when the price includes it (null when added on top or none). */
export interface LineTax {
  amount: number;
  includedPpm: number | null;
}

/** The tax inside an amount that includes it at `ppm` (none: no rate), by the pricing engine's rule for a line. */
export function taxInside(amount: number, ppm: number | null): number {
  return amount > 0 && ppm !== null && ppm > 0 ? includedTaxOf(amount, ppm) : 0;
}

/**
 * Collects amounts per account, then makes one line per account on the side its net falls (a negative debit
 * is a credit: lines carry no signs), zeros dropped. What does not balance goes to suspense, so a document
 * that breaks its own arithmetic still posts, visibly, and the ledger as a whole always balances.
 */
export function posting() {
  const net = new Map<AccountCode, number>();
  const add = (account: AccountCode, amount: number) => net.set(account, (net.get(account) ?? 0) + amount);
  return {
    debit: (account: AccountCode, amount: number) => add(account, amount),
    credit: (account: AccountCode, amount: number) => add(account, -amount),
    /**
     * A line sold: gross credited to sales and the discount debited apart, each net of the tax inside it, the
     * tax credited as owed. `paid` is what the line cost, tax included however it was charged.
     */
    sold(gross: number, paid: number, tax: LineTax) {
      const taxOfGross = tax.includedPpm === null ? 0 : taxInside(gross, tax.includedPpm);
      add(ACCOUNTS.sales.code, -(gross - taxOfGross));
      add(ACCOUNTS.discounts.code, gross - paid + tax.amount - taxOfGross);
      add(ACCOUNTS.salesTax.code, -tax.amount);
    },
    lines(): JournalLine[] {
      let difference = 0;
      for (const amount of net.values()) difference += amount;
      if (difference !== 0) add(ACCOUNTS.suspense.code, -difference);
      return [...net]
        .filter(([, amount]) => amount !== 0)
        .map(([account, amount]) => ({ account, debit: Math.max(amount, 0), credit: Math.max(-amount, 0) }))
        .sort((a, b) => a.account.localeCompare(b.account));
    },
  };
}

/** Debits equal credits: true of every entry these functions make. */
export function isBalanced(lines: readonly JournalLine[]): boolean {
  let difference = 0;
  for (const line of lines) difference += line.debit - line.credit;
  return difference === 0;
}
