import { openOf, type Payable } from './supplier-payment.decide.js';

const DAY_MS = 86_400_000;

/** What is open, by how long past due: the columns of an accounts payable aging report. */
export interface AgingBuckets {
  notDue: number;
  overdue1To30: number;
  overdue31To60: number;
  overdue61To90: number;
  overdueOver90: number;
}

export interface SupplierAging {
  supplierId: string;
  supplierName: string | null;
  open: number;
  /** How many invoices and bills have something open. */
  invoices: number;
  buckets: AgingBuckets;
}

export interface CurrencyAging {
  currency: string;
  open: number;
  buckets: AgingBuckets;
  suppliers: SupplierAging[];
  /** Accounts payable (2000) in the journal over the same documents: credits less debits. */
  ledgerBalance: number;
  /** `open` equals `ledgerBalance`: every invoice and payment is in the books, and nothing else is. */
  reconciled: boolean;
}

/** Days an invoice is past due at `asOf`: 0 until its due instant, then every started day counts. */
export function daysOverdue(dueAt: string, asOf: Date): number {
  const late = asOf.getTime() - new Date(dueAt).getTime();
  return late <= 0 ? 0 : Math.ceil(late / DAY_MS);
}

export function bucketOf(days: number): keyof AgingBuckets {
  if (days === 0) return 'notDue';
  if (days <= 30) return 'overdue1To30';
  if (days <= 60) return 'overdue31To60';
  if (days <= 90) return 'overdue61To90';
  return 'overdueOver90';
}

const noBuckets = (): AgingBuckets => ({
  notDue: 0,
  overdue1To30: 0,
  overdue31To60: 0,
  overdue61To90: 0,
  overdueOver90: 0,
});

/**
 * Open invoices and bills aged at `asOf`, per currency (amounts of two currencies never add up) and within it per
 * supplier, in currency then supplier order. Each invoice's open amount lands in one bucket by its days past
 * due. `ledger` is accounts payable's balance per currency; a currency it has a balance in shows even with no
 * open invoice, unreconciled.
 */
export function agePayables(
  bills: readonly Payable[],
  ledger: ReadonlyArray<{ currency: string; balance: number }>,
  asOf: Date,
): CurrencyAging[] {
  const currencies = new Map<string, CurrencyAging>();
  const currencyOf = (code: string): CurrencyAging => {
    let currency = currencies.get(code);
    if (!currency) {
      currency = {
        currency: code,
        open: 0,
        buckets: noBuckets(),
        suppliers: [],
        ledgerBalance: 0,
        reconciled: false,
      };
      currencies.set(code, currency);
    }
    return currency;
  };
  const suppliers = new Map<string, SupplierAging>();
  for (const bill of bills) {
    const open = openOf(bill);
    if (open <= 0) continue;
    const bucket = bucketOf(daysOverdue(bill.dueAt, asOf));
    const currency = currencyOf(bill.currency);
    const key = `${bill.currency}\u0000${bill.supplierId}`;
    let supplier = suppliers.get(key);
    if (!supplier) {
      supplier = {
        supplierId: bill.supplierId,
        supplierName: null,
        open: 0,
        invoices: 0,
        buckets: noBuckets(),
      };
      suppliers.set(key, supplier);
      currency.suppliers.push(supplier);
    }
    // Each purchase order names its supplier as it was typed on it; the first name given is shown.
    supplier.supplierName ??= bill.supplierName;
    supplier.open += open;
    supplier.invoices += 1;
    supplier.buckets[bucket] += open;
    currency.open += open;
    currency.buckets[bucket] += open;
  }
  for (const { currency, balance } of ledger) if (balance !== 0) currencyOf(currency).ledgerBalance = balance;
  const byKey =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
      key(a).localeCompare(key(b));
  return [...currencies.values()].sort(byKey((entry) => entry.currency)).map((entry) => ({
    ...entry,
    suppliers: entry.suppliers.sort(byKey((supplier) => supplier.supplierId)),
    reconciled: entry.open === entry.ledgerBalance,
  }));
}
