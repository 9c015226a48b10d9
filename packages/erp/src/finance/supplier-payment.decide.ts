import { conflict, fingerprintOf, invalid, notFound, unprocessable } from '@tillstream/kernel';
import { ACCOUNTS } from './accounts.js';
import { posting, type JournalEntry } from './journal.decide.js';
import { INVENTORY_CHANNEL } from './valuation.decide.js';

/** A supplier's invoice matched to a purchase order, as accounts payable sees it: what it bills and what is paid. */
export interface SupplierBill {
  invoiceId: string;
  purchaseOrderId: string;
  supplierId: string;
  supplierName: string | null;
  supplierInvoiceNumber: string;
  currency: string;
  total: number;
  /** Σ of the payments allocated to it so far. */
  paid: number;
  invoicedAt: string;
  dueAt: string;
}

export const openOf = (bill: Pick<SupplierBill, 'total' | 'paid'>): number => bill.total - bill.paid;

export interface SupplierPaymentCommand {
  id: string;
  supplierId: string;
  currency: string;
  amount: number;
  /** When the money left, UTC. */
  paidAt: string;
  reference: string | null;
  /** Which invoices it pays and how much of each; left out, the oldest due are paid first. */
  allocations?: ReadonlyArray<{ invoiceId: string; amount: number }>;
}

/** What the API takes: the payment's date may be left out (now). */
export type SupplierPaymentRequest = Omit<SupplierPaymentCommand, 'paidAt' | 'reference'> & {
  paidAt?: string;
  reference?: string;
};

export interface PaymentAllocation {
  invoiceId: string;
  purchaseOrderId: string;
  supplierInvoiceNumber: string;
  amount: number;
  /** What the invoice still has open after this payment. */
  open: number;
}

export interface SupplierPayment {
  paymentId: string;
  supplierId: string;
  currency: string;
  amount: number;
  paidAt: string;
  reference: string | null;
  allocations: PaymentAllocation[];
}

/** How far ahead of the server clock a payment may be dated: a device's clock skew, as for receipts. */
const CLOCK_SKEW_MS = 60_000;

/** When the money left: the instant given (late paperwork may be dated in the past), now if none, in UTC. */
export function paymentTime(paidAt: string | undefined, now: Date): string {
  if (paidAt === undefined) return now.toISOString();
  const instant = new Date(paidAt);
  if (instant.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw unprocessable('supplier_payment_in_future', `A payment cannot be dated ${paidAt}, after now`);
  return instant.toISOString();
}

/** What tells a faithful retry of a payment from another payment under the same id: all it says, as sent. */
export const paymentFingerprint = (payment: SupplierPaymentRequest): string =>
  fingerprintOf([
    payment.supplierId,
    payment.currency,
    payment.amount,
    payment.paidAt ?? null,
    payment.reference ?? null,
    payment.allocations?.map((allocation) => [allocation.invoiceId, allocation.amount]) ?? null,
  ]);

/** Oldest due first, then oldest dated, then by id: the order a clerk pays a supplier's statement in. */
const byDueDate = (a: SupplierBill, b: SupplierBill): number =>
  a.dueAt.localeCompare(b.dueAt) ||
  a.invoicedAt.localeCompare(b.invoicedAt) ||
  a.invoiceId.localeCompare(b.invoiceId);

/** The bills a payment names, checked: known, the supplier's in its currency, each named once. */
function namedBills(
  command: SupplierPaymentCommand,
  allocations: NonNullable<SupplierPaymentCommand['allocations']>,
  bills: readonly SupplierBill[],
): SupplierBill[] {
  const ids = allocations.map((allocation) => allocation.invoiceId);
  const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (repeated.length > 0)
    throw invalid('duplicate_line', `Invoices ${[...new Set(repeated)].join(', ')} are allocated twice`, {
      invoiceIds: [...new Set(repeated)],
    });
  const known = new Map(bills.map((bill) => [bill.invoiceId, bill]));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw notFound('supplier_invoice_not_found', `No supplier invoice ${unknown.join(', ')}`, {
      invoiceIds: unknown,
    });
  const foreign = ids.filter((id) => {
    const bill = known.get(id)!;
    return bill.supplierId !== command.supplierId || bill.currency !== command.currency;
  });
  if (foreign.length > 0)
    throw unprocessable(
      'supplier_invoice_other_supplier',
      `${foreign.join(', ')} are not ${command.supplierId}'s invoices in ${command.currency}`,
      { invoiceIds: foreign },
    );
  return ids.map((id) => known.get(id)!);
}

/** Each allocation as asked, none beyond what its invoice has open. */
function allocateAsAsked(
  command: SupplierPaymentCommand,
  allocations: NonNullable<SupplierPaymentCommand['allocations']>,
  bills: readonly SupplierBill[],
): Array<[SupplierBill, number]> {
  const named = namedBills(command, allocations, bills);
  const sum = allocations.reduce((total, allocation) => total + allocation.amount, 0);
  if (sum !== command.amount)
    throw unprocessable(
      'supplier_payment_allocation_mismatch',
      `Allocations add up to ${sum}, the payment is ${command.amount}`,
      { allocated: sum },
    );
  const beyond = named
    .map((bill, index) => ({ bill, amount: allocations[index]!.amount }))
    .filter(({ bill, amount }) => amount > openOf(bill));
  if (beyond.length > 0)
    throw conflict(
      'supplier_payment_exceeds_open',
      `${beyond.map(({ bill }) => bill.invoiceId).join(', ')} have less open than allocated`,
      { invoices: beyond.map(({ bill }) => ({ invoiceId: bill.invoiceId, open: openOf(bill) })) },
    );
  return named.map((bill, index) => [bill, allocations[index]!.amount]);
}

/** The supplier's open invoices paid oldest due first, the last one perhaps in part. */
function allocateOldestFirst(
  command: SupplierPaymentCommand,
  bills: readonly SupplierBill[],
): Array<[SupplierBill, number]> {
  const open = bills
    .filter((bill) => bill.supplierId === command.supplierId && bill.currency === command.currency)
    .filter((bill) => openOf(bill) > 0)
    .sort(byDueDate);
  const owed = open.reduce((total, bill) => total + openOf(bill), 0);
  if (command.amount > owed)
    throw conflict(
      'supplier_payment_exceeds_open',
      `${command.supplierId} has ${owed} ${command.currency} open, the payment is ${command.amount}`,
      { open: owed },
    );
  const paid: Array<[SupplierBill, number]> = [];
  let left = command.amount;
  for (const bill of open) {
    if (left === 0) break;
    const amount = Math.min(left, openOf(bill));
    paid.push([bill, amount]);
    left -= amount;
  }
  return paid;
}

/**
 * A payment to a supplier, allocated to the invoices it settles. `bills` are the invoices it names, or without
 * allocations every open invoice of the supplier, as they stand in this transaction (locked). A supplier is
 * never paid beyond what an invoice has open: a second payment of one bill is a 409, not a credit to chase.
 */
export function decideSupplierPayment(
  command: SupplierPaymentCommand,
  bills: readonly SupplierBill[],
): SupplierPayment {
  const paid = command.allocations
    ? allocateAsAsked(command, command.allocations, bills)
    : allocateOldestFirst(command, bills);
  return {
    paymentId: command.id,
    supplierId: command.supplierId,
    currency: command.currency,
    amount: command.amount,
    paidAt: command.paidAt,
    reference: command.reference,
    allocations: paid.map(([bill, amount]) => ({
      invoiceId: bill.invoiceId,
      purchaseOrderId: bill.purchaseOrderId,
      supplierInvoiceNumber: bill.supplierInvoiceNumber,
      amount,
      open: openOf(bill) - amount,
    })),
  };
}

/** The payment in the books: the supplier is owed that much less (2000), and the money left the bank (1050). */
export function supplierPaymentEntry(payment: SupplierPayment): JournalEntry {
  const entry = posting();
  entry.debit(ACCOUNTS.payables.code, payment.amount);
  entry.credit(ACCOUNTS.bank.code, payment.amount);
  return {
    kind: 'supplier_payment',
    sourceId: payment.paymentId,
    locationId: null,
    channel: INVENTORY_CHANNEL,
    occurredAt: payment.paidAt,
    currency: payment.currency,
    lines: entry.lines(),
    taxBases: [],
  };
}
