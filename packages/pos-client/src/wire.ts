/**
 * What the terminal sends POST /pos/v1/sync, as plain types: the SDK imports no server code, only the pure
 * pricing engine, so it runs in a browser as well as in Node.
 */

/**
 * A payment: `amount` is what it pays; `tendered` the cash handed over (change = tendered − amount); `reference`
 * a card authorisation or the gift card / store credit number; `redemptionId` the online hold of that card's
 * value; `offline` a card payment authorised offline, under the terminal's floor limit.
 */
export interface Tender {
  method: string;
  amount: number;
  tendered?: number;
  reference?: string;
  redemptionId?: string;
  offline?: boolean;
}

export interface SaleTransaction {
  type: 'sale';
  id: string;
  storeId: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  lines: Array<{
    sku: string;
    quantity: number;
    unitPrice: number;
    discount?: number;
    /** Which promotions gave `discount`, their amounts adding up to it. */
    promotions?: Array<{ promotionId: string; amount: number }>;
    /** Tax added on top of the line (tax-exclusive stores). */
    tax?: { ratePpm: number; amount: number };
    /** Tax inside the line's total (tax-inclusive stores). */
    includedTax?: { ratePpm: number; amount: number };
  }>;
  payments: Tender[];
  pricing?: { snapshotVersion?: number; couponCodes?: string[] };
  shiftId: string;
  receiptNo: string;
}

export interface ReturnTransaction {
  type: 'return';
  id: string;
  storeId: string;
  terminalId: string;
  occurredAt: string;
  currency: string;
  originalSaleId?: string;
  lines: Array<{
    sku: string;
    quantity: number;
    disposition: 'restock' | 'damaged';
    originalLineNo?: number;
    unitPrice?: number;
  }>;
  refunds: Tender[];
  reason?: string;
  shiftId: string;
  receiptNo: string;
}

export interface ShiftOpenTransaction {
  type: 'shift_open';
  id: string;
  terminalId: string;
  storeId: string;
  seq: number;
  currency: string;
  openedAt: string;
  openingFloat: number;
}

export interface ShiftCloseTransaction {
  type: 'shift_close';
  id: string;
  shiftId: string;
  terminalId: string;
  storeId: string;
  seq: number;
  currency: string;
  closedAt: string;
  countedCash: number;
}

export type Transaction = SaleTransaction | ReturnTransaction | ShiftOpenTransaction | ShiftCloseTransaction;

export interface SyncResult {
  id: string;
  type: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  code?: string;
  detail?: string;
  retryable?: boolean;
  quarantined?: boolean;
  late?: boolean;
}

export interface CatalogProduct {
  sku: string;
  name: string;
  price: { amount: number; currency: string };
  /** The GTINs printed on it (absent from older POS servers): a scan of one finds it. */
  barcodes?: string[];
  /**
   * Where ERP has it in its life (absent from older POS servers: `active`). `archived` and `draft` ones are not
   * to be offered; a unit the store still holds may be sold off, and returns of it are taken back.
   */
  status?: 'draft' | 'active' | 'archived';
}
