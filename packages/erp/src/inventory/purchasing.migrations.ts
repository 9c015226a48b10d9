import type { Migration } from '@tillstream/kernel';

/**
 * Purchasing's tables in ERP's database: purchase orders, their receipts and the supplier invoices matched to
 * them, and reorder policies. ERP's migrations share one numbering (`erp.migrations.ts` has the rest) and run in
 * id order whichever list holds them.
 */
export const purchasingMigrations: Migration[] = [
  {
    // Purchase orders: what was ordered from a supplier for a location, and the receipts against it. Lines
    // are rows, not JSON, so "on order" for a SKU and the list filtered by SKU are indexed reads.
    id: '017_purchase_orders',
    up: `
      CREATE TABLE purchase_orders (
        id TEXT PRIMARY KEY,
        supplier_id TEXT NOT NULL,
        supplier_name TEXT,
        location_id TEXT NOT NULL,
        currency TEXT NOT NULL,
        expected_at TEXT,
        status TEXT NOT NULL,
        total BIGINT NOT NULL,
        request_hash TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        submitted_at TEXT,
        closed_at TEXT
      );
      CREATE INDEX purchase_orders_by_status ON purchase_orders (status, id);
      CREATE INDEX purchase_orders_by_location ON purchase_orders (location_id, id);
      CREATE TABLE purchase_order_lines (
        purchase_order_id TEXT NOT NULL,
        sku TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        quantity BIGINT NOT NULL,
        unit_cost BIGINT,
        received BIGINT NOT NULL,
        PRIMARY KEY (purchase_order_id, sku)
      );
      CREATE INDEX purchase_order_lines_by_sku ON purchase_order_lines (sku, purchase_order_id);
      CREATE TABLE purchase_order_receipts (
        id TEXT PRIMARY KEY,
        purchase_order_id TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        received_at TEXT NOT NULL
      );`,
  },
  {
    // An order's view lists its receipts: each receipt's lines, when the goods arrived (`occurred_at`, the
    // receipt's business time; `received_at` stays when it was recorded) and its place among the order's
    // receipts (`receipt_no`, from 1). Receipts taken before are rebuilt from their `po_received` movements,
    // referenced `purchase-order/<id>/receipt/<receiptId>` (ids cannot hold a '/', so the reference names one
    // receipt). What was not kept is approximated: such receipts count in recording order (ties by receipt id)
    // and list their lines in the order's line order.
    id: '018_purchase_order_receipts',
    up: `
      ALTER TABLE purchase_order_receipts ADD COLUMN occurred_at TEXT;
      ALTER TABLE purchase_order_receipts ADD COLUMN receipt_no INTEGER;
      CREATE TABLE purchase_order_receipt_lines (
        receipt_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        sku TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        PRIMARY KEY (receipt_id, line_no)
      );
      INSERT INTO purchase_order_receipt_lines (receipt_id, line_no, sku, quantity)
        SELECT r.id, ROW_NUMBER() OVER (PARTITION BY r.id ORDER BY COALESCE(l.line_no, 2147483647), m.sku),
          m.sku, m.quantity
        FROM purchase_order_receipts r
        JOIN stock_movements m ON m.reference = 'purchase-order/' || r.purchase_order_id || '/receipt/' || r.id
          AND m.kind = 'po_received'
        LEFT JOIN purchase_order_lines l ON l.purchase_order_id = r.purchase_order_id AND l.sku = m.sku;
      UPDATE purchase_order_receipts SET occurred_at = COALESCE(
        (SELECT MIN(m.occurred_at) FROM stock_movements m
         WHERE m.reference = 'purchase-order/' || purchase_order_receipts.purchase_order_id || '/receipt/' ||
           purchase_order_receipts.id AND m.kind = 'po_received'),
        received_at);
      UPDATE purchase_order_receipts SET receipt_no = ranked.receipt_no
        FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY purchase_order_id ORDER BY received_at, id) AS receipt_no
              FROM purchase_order_receipts) ranked
        WHERE ranked.id = purchase_order_receipts.id;
      CREATE INDEX purchase_order_receipts_by_order ON purchase_order_receipts (purchase_order_id, receipt_no);`,
  },
  {
    // Supplier invoices matched to purchase orders: the units of each line invoiced so far, and each invoice
    // with its lines. An invoice's row is claimed by id first (`recorded_at`, when ERP took it); the rest is
    // filled in the same transaction, `invoice_no` numbering it among the order's invoices from 1.
    id: '020_purchase_order_invoices',
    up: `
      ALTER TABLE purchase_order_lines ADD COLUMN invoiced BIGINT NOT NULL DEFAULT 0;
      CREATE TABLE purchase_order_invoices (
        id TEXT PRIMARY KEY,
        purchase_order_id TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        supplier_invoice_number TEXT,
        invoiced_at TEXT,
        total BIGINT,
        matched BIGINT,
        invoice_no INTEGER
      );
      CREATE INDEX purchase_order_invoices_by_order ON purchase_order_invoices (purchase_order_id, invoice_no);
      CREATE TABLE purchase_order_invoice_lines (
        invoice_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        sku TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        unit_cost BIGINT NOT NULL,
        ordered_unit_cost BIGINT NOT NULL,
        PRIMARY KEY (invoice_id, line_no)
      );`,
  },
  {
    // Reorder policies (min/max per SKU and location). Keyed by location first: replenishment pages through
    // one location's policies in SKU order; the SKU index serves a SKU's own list.
    id: '022_reorder_policies',
    up: `
      CREATE TABLE reorder_policies (
        location_id TEXT NOT NULL,
        sku TEXT NOT NULL,
        reorder_point BIGINT NOT NULL,
        order_up_to BIGINT NOT NULL,
        pack_size BIGINT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (location_id, sku)
      );
      CREATE INDEX reorder_policies_by_sku ON reorder_policies (sku, location_id);`,
  },
  {
    // When each supplier invoice is to be paid, for the payables aging. Invoices taken before are left
    // without one and count as due on their date: ERP did not keep the terms they were taken under.
    id: '023_purchase_order_invoice_due',
    up: 'ALTER TABLE purchase_order_invoices ADD COLUMN due_at TEXT;',
  },
];
