import { conflict, fingerprintOf, invalid, notFound, unprocessable } from '@tillstream/kernel';
import { ACCOUNTS } from './accounts.js';
import { posting, type JournalEntry } from './journal.decide.js';
import { INVENTORY_CHANNEL } from './valuation.decide.js';

/**
 * What accounts payable owes a supplier for: an invoice matched to a purchase order (`document` `invoice`, its
 * `invoiceId`) or a bill of goods received outside purchase orders (`bill`, its `billId`). The two kinds keep
 * ids of their own: a payment names which it pays, so an invoice and a bill under one id are never confused.
 */
export interface Payable {
  document: 'invoice' | 'bill';
  /** The invoice's `invoiceId` or the bill's `billId`. */
  id: string;
  /** The order an invoice is matched to; null for a bill. */
  purchaseOrderId: string | null;
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

export const openOf = (payable: Pick<Payable, 'total' | 'paid'>): number => payable.total - payable.paid;

/** A payable's key among both kinds: what a payment's named allocations are matched on. */
export const payableKey = (payable: Pick<Payable, 'document' | 'id'>): string =>
  `${payable.document}/${payable.id}`;

export interface SupplierPaymentCommand {
  id: string;
  supplierId: string;
  currency: string;
  amount: number;
  /** When the money left, UTC. */
  paidAt: string;
  reference: string | null;
  /**
   * Which purchase order invoices it pays and how much of each. With `bills`, what it pays is as named; with
   * neither, the oldest due invoices and bills are paid first.
   */
  allocations?: ReadonlyArray<{ invoiceId: string; amount: number }>;
  /** Which supplier bills it pays and how much of each. */
  bills?: ReadonlyArray<{ billId: string; amount: number }>;
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

export interface BillAllocation {
  billId: string;
  supplierInvoiceNumber: string;
  amount: number;
  /** What the bill still has open after this payment. */
  open: number;
}

export interface SupplierPayment {
  paymentId: string;
  supplierId: string;
  currency: string;
  amount: number;
  paidAt: string;
  reference: string | null;
  /** What went to purchase order invoices, in the order paid. */
  allocations: PaymentAllocation[];
  /** What went to supplier bills, in the order paid. */
  bills: BillAllocation[];
}

/** The documents a payment names, as one list: invoices first, then bills, each in the order given. */
export function namedAllocations(
  command: Pick<SupplierPaymentCommand, 'allocations' | 'bills'>,
): Array<{ document: Payable['document']; id: string; amount: number }> | null {
  if (!command.allocations && !command.bills) return null;
  return [
    ...(command.allocations ?? []).map((row) => ({
      document: 'invoice' as const,
      id: row.invoiceId,
      amount: row.amount,
    })),
    ...(command.bills ?? []).map((row) => ({
      document: 'bill' as const,
      id: row.billId,
      amount: row.amount,
    })),
  ];
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
    // Added only when given, so payments recorded before bills existed still replay.
    ...(payment.bills ? [payment.bills.map((bill) => [bill.billId, bill.amount])] : []),
  ]);

/** Oldest due first, then oldest dated, then invoices before bills and by id: how a clerk pays a statement. */
const byDueDate = (a: Payable, b: Payable): number =>
  a.dueAt.localeCompare(b.dueAt) ||
  a.invoicedAt.localeCompare(b.invoicedAt) ||
  b.document.localeCompare(a.document) ||
  a.id.localeCompare(b.id);

type Named = NonNullable<ReturnType<typeof namedAllocations>>;

/** The ids of these named documents, apart per kind, as problem details name them. */
const idsOf = (named: ReadonlyArray<Pick<Payable, 'document' | 'id'>>) => {
  const ids = (document: Payable['document']) => [
    ...new Set(named.filter((row) => row.document === document).map((row) => row.id)),
  ];
  const [invoiceIds, billIds] = [ids('invoice'), ids('bill')];
  return { ...(invoiceIds.length ? { invoiceIds } : {}), ...(billIds.length ? { billIds } : {}) };
};

/** The documents a payment names, checked: known, the supplier's in its currency, each named once. */
function namedPayables(
  command: SupplierPaymentCommand,
  named: Named,
  payables: readonly Payable[],
): Payable[] {
  const keys = named.map(payableKey);
  const repeated = named.filter((row, index) => keys.indexOf(payableKey(row)) !== index);
  if (repeated.length > 0)
    throw invalid('duplicate_line', 'A payment names an invoice or bill twice', idsOf(repeated));
  const known = new Map(payables.map((payable) => [payableKey(payable), payable]));
  const unknown = named.filter((row) => !known.has(payableKey(row)));
  const unknownInvoices = unknown.filter((row) => row.document === 'invoice');
  if (unknownInvoices.length > 0)
    throw notFound(
      'supplier_invoice_not_found',
      `No supplier invoice ${unknownInvoices.map((row) => row.id).join(', ')}`,
      { invoiceIds: unknownInvoices.map((row) => row.id) },
    );
  if (unknown.length > 0)
    throw notFound('supplier_bill_not_found', `No supplier bill ${unknown.map((row) => row.id).join(', ')}`, {
      billIds: unknown.map((row) => row.id),
    });
  const found = named.map((row) => known.get(payableKey(row))!);
  const foreign = found.filter(
    (payable) => payable.supplierId !== command.supplierId || payable.currency !== command.currency,
  );
  if (foreign.length > 0)
    throw unprocessable(
      'supplier_invoice_other_supplier',
      `${foreign.map((payable) => payable.id).join(', ')} are not ${command.supplierId}'s in ${command.currency}`,
      idsOf(foreign),
    );
  return found;
}

/**
 * Whether a document was owed when the payment was made. Paying one dated later would take 2000 into debit
 * for the days between, while the aging, which counts documents by their date, shows nothing open: the two
 * would disagree about that period for good. A payment ahead of its invoice is recorded once the invoice is in.
 */
const datedBy = (payable: Payable, command: SupplierPaymentCommand) => payable.invoicedAt <= command.paidAt;

/** Each allocation as asked, none beyond what its document has open, none dated after the payment. */
function allocateAsAsked(
  command: SupplierPaymentCommand,
  named: Named,
  payables: readonly Payable[],
): Array<[Payable, number]> {
  const found = namedPayables(command, named, payables);
  const later = found.filter((payable) => !datedBy(payable, command));
  if (later.length > 0)
    throw unprocessable(
      'supplier_payment_before_invoice',
      `${later.map((payable) => payable.id).join(', ')} are dated after the payment (${command.paidAt})`,
      idsOf(later),
    );
  const sum = named.reduce((total, row) => total + row.amount, 0);
  if (sum !== command.amount)
    throw unprocessable(
      'supplier_payment_allocation_mismatch',
      `Allocations add up to ${sum}, the payment is ${command.amount}`,
      { allocated: sum },
    );
  const beyond = found.filter((payable, index) => named[index]!.amount > openOf(payable));
  if (beyond.length > 0) {
    const openRows = (document: Payable['document'], key: 'invoiceId' | 'billId') =>
      beyond
        .filter((payable) => payable.document === document)
        .map((payable) => ({ [key]: payable.id, open: openOf(payable) }));
    const [invoices, bills] = [openRows('invoice', 'invoiceId'), openRows('bill', 'billId')];
    throw conflict(
      'supplier_payment_exceeds_open',
      `${beyond.map((payable) => payable.id).join(', ')} have less open than allocated`,
      { ...(invoices.length ? { invoices } : {}), ...(bills.length ? { bills } : {}) },
    );
  }
  return found.map((payable, index) => [payable, named[index]!.amount]);
}

/**
 * The supplier's open invoices and bills dated by the payment, paid oldest due first, the last one perhaps in
 * part.
 */
function allocateOldestFirst(
  command: SupplierPaymentCommand,
  payables: readonly Payable[],
): Array<[Payable, number]> {
  const open = payables
    .filter((payable) => payable.supplierId === command.supplierId && payable.currency === command.currency)
    .filter((payable) => openOf(payable) > 0 && datedBy(payable, command))
    .sort(byDueDate);
  const owed = open.reduce((total, payable) => total + openOf(payable), 0);
  if (command.amount > owed)
    throw conflict(
      'supplier_payment_exceeds_open',
      `${command.supplierId} has ${owed} ${command.currency} open, the payment is ${command.amount}`,
      { open: owed },
    );
  const paid: Array<[Payable, number]> = [];
  let left = command.amount;
  for (const payable of open) {
    if (left === 0) break;
    const amount = Math.min(left, openOf(payable));
    paid.push([payable, amount]);
    left -= amount;
  }
  return paid;
}

/**
 * A payment to a supplier, allocated to the invoices and bills it settles. `payables` are the documents it
 * names, or without names every open one of the supplier, as they stand in this transaction (locked). A
 * supplier is never paid beyond what a document has open: a second payment of one bill is a 409, not a credit
 * to chase.
 */
export function decideSupplierPayment(
  command: SupplierPaymentCommand,
  payables: readonly Payable[],
): SupplierPayment {
  const named = namedAllocations(command);
  const paid = named ? allocateAsAsked(command, named, payables) : allocateOldestFirst(command, payables);
  const allocations: PaymentAllocation[] = [];
  const bills: BillAllocation[] = [];
  for (const [payable, amount] of paid) {
    const common = {
      supplierInvoiceNumber: payable.supplierInvoiceNumber,
      amount,
      open: openOf(payable) - amount,
    };
    if (payable.document === 'bill') bills.push({ billId: payable.id, ...common });
    else allocations.push({ invoiceId: payable.id, purchaseOrderId: payable.purchaseOrderId!, ...common });
  }
  return {
    paymentId: command.id,
    supplierId: command.supplierId,
    currency: command.currency,
    amount: command.amount,
    paidAt: command.paidAt,
    reference: command.reference,
    allocations,
    bills,
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
