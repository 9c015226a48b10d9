import { conflict, fingerprintOf, invalid, notFound, unprocessable } from '@tillstream/kernel';
import { ACCOUNTS } from './accounts.js';
import type { JournalEntry } from './journal.decide.js';
import { billedLines } from './payables.decide.js';
import {
  billedExpenses,
  billParts,
  type BilledExpense,
  type BillExpenseRequest,
} from './supplier-bill-expense.decide.js';
import { entryKindOf, INVENTORY_CHANNEL, isReceipt } from './valuation.decide.js';

/** A supplier's bill for goods received outside purchase orders and for expenses, as the API takes it. */
export interface SupplierBillRequest {
  id: string;
  supplierId: string;
  supplierName?: string;
  supplierInvoiceNumber: string;
  currency: string;
  invoicedAt?: string;
  dueAt?: string;
  /** The stock movements (receipts) it bills; none on a bill of expenses only. */
  receipts?: readonly string[];
  /** What it bills besides goods (rent, energy, cleaning …); none on a bill of goods only. */
  expenses?: readonly BillExpenseRequest[];
  /** What the supplier bills, in minor units. */
  total: number;
}

/** The bill with its dates settled (UTC). */
export type SupplierBillCommand = Omit<SupplierBillRequest, 'invoicedAt' | 'dueAt'> & {
  invoicedAt: string;
  dueAt: string;
};

/** A stock movement a bill names, with what the journal and other bills say of it. */
export interface ReceiptOnRecord {
  movementId: string;
  kind: string;
  /** What its ledger row says it cost per unit; null: received at the average. */
  unitCost: number | null;
  sku: string;
  locationId: string;
  quantity: number;
  /**
   * What the valuation booked it at on 2310, in its SKU's currency: 0 when it valued it at nothing (a SKU that
   * never had a cost). Null until the valuation has valued it.
   */
  booked: { currency: string; value: number } | null;
  /** The bill that has it already, if one does. */
  billedBy: string | null;
}

export interface BilledReceipt {
  movementId: string;
  sku: string;
  locationId: string;
  quantity: number;
  /** What the valuation credited 2310 for it, in minor units (0: valued at nothing). */
  value: number;
}

export interface SupplierBill {
  billId: string;
  supplierId: string;
  supplierName: string | null;
  supplierInvoiceNumber: string;
  currency: string;
  total: number;
  /** What the receipts came in at on 2310: Σ receipts[].value. */
  matched: number;
  invoicedAt: string;
  dueAt: string;
  /** The one location all its goods and expenses are at; else (or none at all) null. */
  locationId: string | null;
  receipts: BilledReceipt[];
  expenses: BilledExpense[];
}

/**
 * What tells a faithful retry of a bill from another bill under the same id: all it says, as sent. A bill
 * without expenses hashes as bills did before they had any, so a retry of one recorded then still replays.
 */
export const billFingerprint = (bill: SupplierBillRequest): string =>
  fingerprintOf([
    bill.supplierId,
    bill.supplierName ?? null,
    bill.supplierInvoiceNumber,
    bill.currency,
    bill.invoicedAt ?? null,
    bill.dueAt ?? null,
    [...(bill.receipts ?? [])],
    bill.total,
    ...(bill.expenses?.length
      ? [bill.expenses.map((line) => [line.account, line.amount, line.description, line.locationId ?? null])]
      : []),
  ]);

/** Goods that wait on 2310 until billed: receipts no purchase order agreed a cost for. */
export const waitsOn2310 = (movement: Pick<ReceiptOnRecord, 'kind' | 'unitCost'>): boolean =>
  isReceipt(movement.kind) && entryKindOf(movement).contra === ACCOUNTS.receivedOutsideOrders.code;

const refuse = (
  receipts: readonly ReceiptOnRecord[],
  failing: (receipt: ReceiptOnRecord) => boolean,
  error: (movementIds: string[]) => Error,
) => {
  const movementIds = receipts.filter(failing).map((receipt) => receipt.movementId);
  if (movementIds.length > 0) throw error(movementIds);
};

/**
 * A supplier's bill matched to the receipts it covers, with its expenses. `found` are those of its receipts
 * that exist, as the journal and the bills stand in this transaction, `knownLocations` those of the
 * locations its expenses name. Each receipt must be one outside purchase orders, valued already (its value is
 * what the journal credited 2310, not what a clerk types: 0 for one the valuation valued at nothing), in the
 * bill's currency and on no other bill; what the supplier bills for the goods beyond or below that value is
 * price variance, all of it for goods booked at nothing. Expenses: `billedExpenses`.
 */
export function decideSupplierBill(
  command: SupplierBillCommand,
  found: readonly ReceiptOnRecord[],
  knownLocations: readonly string[] = [],
): SupplierBill {
  const receiptIds = command.receipts ?? [];
  if (receiptIds.length === 0 && (command.expenses ?? []).length === 0)
    throw invalid('supplier_bill_empty', `Supplier bill ${command.id} bills no receipts and no expenses`);
  const repeated = receiptIds.filter((id, index) => receiptIds.indexOf(id) !== index);
  if (repeated.length > 0)
    throw invalid('duplicate_line', `Receipts ${[...new Set(repeated)].join(', ')} are named twice`, {
      movementIds: [...new Set(repeated)],
    });
  const expenses = billedExpenses(command, knownLocations);
  const byId = new Map(found.map((receipt) => [receipt.movementId, receipt]));
  const unknown = receiptIds.filter((id) => !byId.has(id));
  if (unknown.length > 0)
    throw notFound('bill_receipt_not_found', `No stock movement ${unknown.join(', ')}`, {
      movementIds: unknown,
    });
  const receipts = receiptIds.map((id) => byId.get(id)!);
  refuse(
    receipts,
    (receipt) => !waitsOn2310(receipt),
    (movementIds) =>
      unprocessable(
        'bill_receipt_not_outside_order',
        `${movementIds.join(', ')} are not goods received outside a purchase order`,
        { movementIds },
      ),
  );
  refuse(
    receipts,
    (receipt) => receipt.booked === null,
    (movementIds) =>
      conflict('bill_receipt_not_booked', `${movementIds.join(', ')} are not valued yet: retry`, {
        movementIds,
      }),
  );
  refuse(
    receipts,
    (receipt) => receipt.booked!.currency !== command.currency,
    (movementIds) =>
      unprocessable(
        'bill_receipt_currency_mismatch',
        `${movementIds.join(', ')} are not in ${command.currency}`,
        {
          movementIds,
        },
      ),
  );
  const billed = receipts.filter((receipt) => receipt.billedBy !== null);
  if (billed.length > 0)
    throw conflict(
      'bill_receipt_already_billed',
      `${billed.map((receipt) => `${receipt.movementId} (${receipt.billedBy})`).join(', ')} are billed already`,
      { receipts: billed.map((receipt) => ({ movementId: receipt.movementId, billId: receipt.billedBy })) },
    );
  const bill = {
    billId: command.id,
    supplierId: command.supplierId,
    supplierName: command.supplierName ?? null,
    supplierInvoiceNumber: command.supplierInvoiceNumber,
    currency: command.currency,
    total: command.total,
    matched: receipts.reduce((sum, receipt) => sum + receipt.booked!.value, 0),
    invoicedAt: command.invoicedAt,
    dueAt: command.dueAt,
    receipts: receipts.map((receipt) => ({
      movementId: receipt.movementId,
      sku: receipt.sku,
      locationId: receipt.locationId,
      quantity: receipt.quantity,
      value: receipt.booked!.value,
    })),
    expenses,
  };
  const parts = billParts(bill);
  return { ...bill, locationId: parts.length === 1 ? parts[0]!.locationId : null };
}

/**
 * The bill in the books, as a purchase order's invoice is (`billedLines`), its receipts held on 2310 and its
 * expenses debited as billed: one entry per location its lines are at (`billParts`), each owing the supplier
 * its own share on 2000, so a store's trial balance shows its rent and still balances. A bill all at one
 * location (or at none) is one entry under the bill's id, as bills of goods always were; a bill across
 * locations posts `<billId>@<locationId>` per location and `<billId>` for what is at none.
 */
export function supplierBillEntries(bill: SupplierBill): JournalEntry[] {
  const parts = billParts(bill);
  const entries = parts.map((part): JournalEntry => ({
    kind: 'supplier_bill',
    sourceId:
      parts.length === 1 || part.locationId === null ? bill.billId : `${bill.billId}@${part.locationId}`,
    locationId: part.locationId,
    channel: INVENTORY_CHANNEL,
    occurredAt: bill.invoicedAt,
    currency: bill.currency,
    lines: billedLines(ACCOUNTS.receivedOutsideOrders.code, part.matched, part.payable, part.expenses),
    taxBases: [],
  }));
  // Goods received at no cost and billed at none (the bill is all expenses elsewhere) have nothing to book:
  // an entry without lines would only clutter the journal. The other parts keep the ids they always had.
  return entries.filter((entry) => entry.lines.length > 0);
}
