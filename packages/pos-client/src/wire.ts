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
  /**
   * What rounding the cash due to the store's increment added (+) or took off (−): the payments add up to the
   * total + this. Absent: not rounded.
   */
  cashRounding?: number;
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
  /** What rounding the cash refund to the store's increment added (+) or took off (−). Absent: not rounded. */
  cashRounding?: number;
  reason?: string;
  shiftId: string;
  receiptNo: string;
}

/** What a till works by of its store, as POS knows it from ERP (GET /pos/v1/stores/{storeId}). */
export interface StoreFacts {
  storeId: string;
  name: string;
  /** Cash is rounded to this many minor units (5: the Dutch 5 cents); null: the store does not round. */
  cashRoundingIncrement: number | null;
  version: number;
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
