import { conflict, fingerprintOf, invalid, notFound, unprocessable } from '@tillstream/kernel';
import { ACCOUNTS } from './accounts.js';
import type { JournalEntry } from './journal.decide.js';
import { billedLines } from './payables.decide.js';
import { entryKindOf, INVENTORY_CHANNEL, isReceipt } from './valuation.decide.js';

/** A supplier's bill for goods received outside purchase orders, as the API takes it. */
export interface SupplierBillRequest {
  id: string;
  supplierId: string;
  supplierName?: string;
  supplierInvoiceNumber: string;
  currency: string;
  invoicedAt?: string;
  dueAt?: string;
  /** The stock movements (receipts) it bills. */
  receipts: readonly string[];
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
  /** Its `goods_received` entry: its currency and what it credited 2310. Null until the valuation booked it. */
  booked: { currency: string; value: number } | null;
  /** The bill that has it already, if one does. */
  billedBy: string | null;
}

export interface BilledReceipt {
  movementId: string;
  sku: string;
  locationId: string;
  quantity: number;
  /** What the valuation credited 2310 for it, in minor units. */
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
  /** Where the goods came in, when all at one location; else null. */
  locationId: string | null;
  receipts: BilledReceipt[];
}

/** What tells a faithful retry of a bill from another bill under the same id: all it says, as sent. */
export const billFingerprint = (bill: SupplierBillRequest): string =>
  fingerprintOf([
    bill.supplierId,
    bill.supplierName ?? null,
    bill.supplierInvoiceNumber,
    bill.currency,
    bill.invoicedAt ?? null,
    bill.dueAt ?? null,
    [...bill.receipts],
    bill.total,
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
 * A supplier's bill matched to the receipts it covers. `found` are those of its receipts that exist, as the
 * journal and the bills stand in this transaction. Each receipt must be one outside purchase orders, booked
 * to 2310 already (its value is what the journal credited there, not what a clerk types), in the bill's
 * currency and on no other bill; what the supplier bills beyond or below that value is price variance.
 */
export function decideSupplierBill(
  command: SupplierBillCommand,
  found: readonly ReceiptOnRecord[],
): SupplierBill {
  const repeated = command.receipts.filter((id, index) => command.receipts.indexOf(id) !== index);
  if (repeated.length > 0)
    throw invalid('duplicate_line', `Receipts ${[...new Set(repeated)].join(', ')} are named twice`, {
      movementIds: [...new Set(repeated)],
    });
  const byId = new Map(found.map((receipt) => [receipt.movementId, receipt]));
  const unknown = command.receipts.filter((id) => !byId.has(id));
  if (unknown.length > 0)
    throw notFound('bill_receipt_not_found', `No stock movement ${unknown.join(', ')}`, {
      movementIds: unknown,
    });
  const receipts = command.receipts.map((id) => byId.get(id)!);
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
      conflict('bill_receipt_not_booked', `${movementIds.join(', ')} are not in the journal yet: retry`, {
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
  const locations = new Set(receipts.map((receipt) => receipt.locationId));
  return {
    billId: command.id,
    supplierId: command.supplierId,
    supplierName: command.supplierName ?? null,
    supplierInvoiceNumber: command.supplierInvoiceNumber,
    currency: command.currency,
    total: command.total,
    matched: receipts.reduce((sum, receipt) => sum + receipt.booked!.value, 0),
    invoicedAt: command.invoicedAt,
    dueAt: command.dueAt,
    locationId: locations.size === 1 ? [...locations][0]! : null,
    receipts: receipts.map((receipt) => ({
      movementId: receipt.movementId,
      sku: receipt.sku,
      locationId: receipt.locationId,
      quantity: receipt.quantity,
      value: receipt.booked!.value,
    })),
  };
}

/** The bill in the books, as a purchase order's invoice is (`billedLines`), its receipts held on 2310. */
export function supplierBillEntry(bill: SupplierBill): JournalEntry {
  return {
    kind: 'supplier_bill',
    sourceId: bill.billId,
    locationId: bill.locationId,
    channel: INVENTORY_CHANNEL,
    occurredAt: bill.invoicedAt,
    currency: bill.currency,
    lines: billedLines(ACCOUNTS.receivedOutsideOrders.code, bill.matched, bill.total),
    taxBases: [],
  };
}
