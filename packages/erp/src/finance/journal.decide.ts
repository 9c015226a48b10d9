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
  | 'online_shipment'
  | 'online_refund'
  | 'stored_value_sold'
  | 'stored_value_shortfall'
  | 'stored_value_expired'
  | 'cash_over_short'
  | 'cost_of_sales'
  | 'goods_received'
  | 'stock_adjustment'
  | 'supplier_invoice'
  | 'supplier_payment'
  | 'supplier_bill';

/** One balanced journal entry: what a source document did to the accounts, in minor units of `currency`. */
export interface JournalEntry {
  kind: EntryKind;
  /**
   * The source document, unique within its kind: a sale, return, order, stored value issue or exception id;
   * `<orderId>/<fulfilmentId>` for the revenue an online order's shipment earns; `<orderId>/<refundId>` for
   * an online refund; `<shiftId>#<revision>` for a shift's over/short; the stock
   * movement for what moved the inventory's value; `<purchaseOrderId>/<invoiceId>` for a supplier's invoice, the payment id for a payment to a supplier, the
   * bill id for a supplier's bill (`<billId>@<locationId>` for its part at each location when its goods and
   * expenses are at several).
   */
  sourceId: string;
  /** The store it happened at, or where the stock it values moved; null for the online channel's documents. */
  locationId: string | null;
  /**
   * `pos` for store documents, else the online channel's name; a cost of sales the channel that sold the goods,
   * and `inventory` for the rest of stock's value.
   */
  channel: string;
  occurredAt: string;
  currency: string;
  lines: JournalLine[];
  /** The goods and their tax per rate that the entry books as revenue and tax: none for a non-sale. */
  taxBases: TaxBase[];
}

/**
 * Goods at one tax rate in an entry, what a tax return reports: their revenue without tax (`net`) and the tax
 * on them, both positive for a sale and negative for a return. `ratePpm` null: no rate is known (goods no
 * rate applies to, a till's added tax whose rate the return does not state, entries from before bases).
 */
export interface TaxBase {
  ratePpm: number | null;
  net: number;
  tax: number;
}

/** The parts per million of a tax rate, or null where none applies. */
export type TaxRateOf = (sku: string) => number | null;

/** The tax in a line: its amount, its rate (null: none applies), and whether the price includes it. */
export interface LineTax {
  amount: number;
  ratePpm: number | null;
  included: boolean;
}

export const NO_TAX: LineTax = { amount: 0, ratePpm: null, included: false };

/** The tax inside an amount that includes it at `ppm` (none: no rate), by the pricing engine's rule for a line. */
export function taxInside(amount: number, ppm: number | null): number {
  return amount > 0 && ppm !== null && ppm > 0 ? includedTaxOf(amount, ppm) : 0;
}

/** A line's revenue net of tax: its gross (4000) and its discount (4050); `sales - discount` is what it earns. */
export interface Revenue {
  sales: number;
  discount: number;
}

/** Gross and discount each net of its share of the tax, so gross − discount + tax is what the line cost. */
function revenueOf(gross: number, paid: number, tax: LineTax): Revenue {
  const taxOfGross = tax.included ? taxInside(gross, tax.ratePpm) : 0;
  return { sales: gross - taxOfGross, discount: gross - paid + tax.amount - taxOfGross };
}

/**
 * Collects amounts per account, then makes one line per account on the side its net falls (a negative debit
 * is a credit: lines carry no signs), zeros dropped. What does not balance goes to suspense, so a document
 * that breaks its own arithmetic still posts, visibly, and the ledger as a whole always balances. Goods sold
 * or returned are also summed per tax rate, from the same amounts, so the bases always agree with the lines.
 */
export function posting() {
  const net = new Map<AccountCode, number>();
  const add = (account: AccountCode, amount: number) => net.set(account, (net.get(account) ?? 0) + amount);
  const bases = new Map<number | null, TaxBase>();
  const base = (ratePpm: number | null, revenue: number, tax: number) => {
    const sum = bases.get(ratePpm) ?? { ratePpm, net: 0, tax: 0 };
    bases.set(ratePpm, { ratePpm, net: sum.net + revenue, tax: sum.tax + tax });
  };
  return {
    debit: (account: AccountCode, amount: number) => add(account, amount),
    credit: (account: AccountCode, amount: number) => add(account, -amount),
    /**
     * A line sold: gross credited to sales and the discount debited apart, each net of the tax inside it, the
     * tax credited as owed. `paid` is what the line cost, tax included however it was charged.
     */
    sold(gross: number, paid: number, tax: LineTax) {
      const revenue = revenueOf(gross, paid, tax);
      add(ACCOUNTS.sales.code, -revenue.sales);
      add(ACCOUNTS.discounts.code, revenue.discount);
      add(ACCOUNTS.salesTax.code, -tax.amount);
      base(tax.ratePpm, paid - tax.amount, tax.amount);
    },
    /**
     * A line paid for before its goods are delivered: the tax is owed now (a payment in advance is when tax
     * falls due), the rest is owed to the shopper in goods (2400) until they ship. Answers the sales and
     * discount it will be recognised as, which `sold` would have booked now.
     */
    paidInAdvance(gross: number, paid: number, tax: LineTax): Revenue {
      add(ACCOUNTS.customerDeposits.code, -(paid - tax.amount));
      add(ACCOUNTS.salesTax.code, -tax.amount);
      base(tax.ratePpm, paid - tax.amount, tax.amount);
      return revenueOf(gross, paid, tax);
    },
    /** Goods given back: `refunded` debited to returns net of `tax`, which the state no longer is owed. */
    returned(refunded: number, tax: number, ratePpm: number | null) {
      add(ACCOUNTS.returns.code, refunded - tax);
      add(ACCOUNTS.salesTax.code, tax);
      base(ratePpm, -(refunded - tax), -tax);
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
    /** The goods per rate, by rate (no rate last), those that came to nothing dropped. */
    taxBases(): TaxBase[] {
      return [...bases.values()]
        .filter((sum) => sum.net !== 0 || sum.tax !== 0)
        .sort((a, b) => (a.ratePpm ?? Infinity) - (b.ratePpm ?? Infinity));
    },
  };
}

/** Debits equal credits: true of every entry these functions make. */
export function isBalanced(lines: readonly JournalLine[]): boolean {
  let difference = 0;
  for (const line of lines) difference += line.debit - line.credit;
  return difference === 0;
}
