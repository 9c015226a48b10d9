import type { Migration } from '@tillstream/kernel';
import { supplierInvoiceNumbersMigration } from './supplier-invoice-numbers.migration.js';
import { zeroValueReceiptsMigration } from './zero-value-receipts.migration.js';

const ENTRY_COLUMNS = `
  entry_no $key,
  kind TEXT NOT NULL,
  source_id TEXT NOT NULL,
  location_id TEXT,
  channel TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  currency TEXT NOT NULL,
  event_id TEXT NOT NULL,
  posted_at TEXT NOT NULL`;

const LINES_AND_INDEXES = `
  CREATE UNIQUE INDEX journal_entries_source ON journal_entries (kind, source_id);
  CREATE INDEX journal_entries_occurred ON journal_entries (occurred_at);
  CREATE TABLE journal_lines (
    entry_no BIGINT NOT NULL,
    line_no INTEGER NOT NULL,
    account TEXT NOT NULL,
    debit BIGINT NOT NULL,
    credit BIGINT NOT NULL,
    PRIMARY KEY (entry_no, line_no)
  );`;

/**
 * The journal: one entry per source document (unique by kind and id, so a redelivered event posts nothing),
 * numbered in posting order, and its debit and credit lines.
 */
export const financeMigrations: Migration[] = [
  {
    id: '020_finance_journal',
    up: {
      sqlite: `CREATE TABLE journal_entries (${ENTRY_COLUMNS.replace('$key', 'INTEGER PRIMARY KEY')});${LINES_AND_INDEXES}`,
      postgres: `CREATE TABLE journal_entries (${ENTRY_COLUMNS.replace('$key', 'BIGSERIAL PRIMARY KEY')});${LINES_AND_INDEXES}`,
    },
  },
  {
    /**
     * On PostgreSQL, entry numbers are taken in insert order but commit in any order across ERP instances, so
     * a reader paging by number could pass an entry that commits late. Pages follow (transaction id, entry
     * number) over finished transactions instead, as the outbox relay does. SQLite has one writer: numbers
     * already are commit order.
     */
    id: '021_finance_journal_commit_order',
    up: {
      sqlite: 'SELECT 1',
      postgres: `ALTER TABLE journal_entries ADD COLUMN posted_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
        CREATE INDEX journal_entries_commit_order ON journal_entries (posted_xid, entry_no);`,
    },
  },
  {
    /**
     * The tax each sale line booked inside its price, and how much of it returns gave back, so a return
     * refunds the tax the sale took (not today's rate) and returns one by one add up to it; and the newest
     * revision of each shift's over/short booked, so a late or repeated revision changes nothing.
     */
    id: '022_finance_sale_tax_and_shifts',
    up: `
      CREATE TABLE journal_sale_lines (
        sale_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        quantity BIGINT NOT NULL,
        tax BIGINT NOT NULL,
        returned_quantity BIGINT NOT NULL DEFAULT 0,
        returned_tax BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (sale_id, line_no)
      );
      CREATE TABLE journal_shifts (
        shift_id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        over_short BIGINT NOT NULL
      );`,
  },
  {
    /**
     * The goods and their tax per rate of each entry that books revenue, what a tax return reports, and the
     * rate of each sale line's included tax, so a return gives its tax back at the rate the sale took it.
     * Entries posted before keep their revenue and tax under no rate, so the report still adds up to the
     * journal over any period.
     */
    id: '023_finance_tax_bases',
    up: `
      CREATE TABLE journal_tax_bases (
        entry_no BIGINT NOT NULL,
        base_no INTEGER NOT NULL,
        rate_ppm INTEGER,
        net BIGINT NOT NULL,
        tax BIGINT NOT NULL,
        PRIMARY KEY (entry_no, base_no)
      );
      ALTER TABLE journal_sale_lines ADD COLUMN rate_ppm INTEGER;
      INSERT INTO journal_tax_bases (entry_no, base_no, rate_ppm, net, tax)
        SELECT e.entry_no, 1, CAST(NULL AS INTEGER),
          SUM(CASE WHEN l.account IN ('4000', '4050', '4100') THEN l.credit - l.debit ELSE 0 END),
          SUM(CASE WHEN l.account = '2100' THEN l.credit - l.debit ELSE 0 END)
        FROM journal_entries e JOIN journal_lines l ON l.entry_no = e.entry_no
        WHERE e.kind IN ('sale', 'return', 'online_order', 'online_refund')
        GROUP BY e.entry_no;`,
  },
  {
    /**
     * Each SKU's units owned and what they cost, the moving average the journal's inventory account is kept
     * at. The inventory account's balance is the sum of `value`, which the valuation report checks.
     */
    id: '024_finance_stock_valuations',
    up: `
      CREATE TABLE stock_valuations (
        sku TEXT PRIMARY KEY,
        currency TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        value BIGINT NOT NULL,
        unit_cost_micros BIGINT NOT NULL,
        updated_at TEXT NOT NULL
      );`,
  },
  {
    /**
     * Payments to suppliers and the invoices each settles. A payment's row is claimed by id first
     * (`recorded_at`, when ERP took it), so a retry waits for the first and replays it; the rest is filled in
     * the same transaction. What an invoice has paid is the sum of its allocations; `open_after` keeps what it
     * had left after each, so a replayed payment answers as it did the first time.
     */
    id: '025_finance_supplier_payments',
    up: `
      CREATE TABLE supplier_payments (
        id TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        supplier_id TEXT,
        currency TEXT,
        amount BIGINT,
        paid_at TEXT,
        reference TEXT
      );
      CREATE INDEX supplier_payments_by_supplier ON supplier_payments (supplier_id, paid_at);
      CREATE TABLE supplier_payment_allocations (
        payment_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        invoice_id TEXT NOT NULL,
        amount BIGINT NOT NULL,
        open_after BIGINT NOT NULL,
        PRIMARY KEY (payment_id, line_no)
      );
      CREATE INDEX supplier_payment_allocations_by_invoice ON supplier_payment_allocations (invoice_id);`,
  },
  {
    /**
     * Supplier bills for goods received outside purchase orders (what 2310 holds): a bill is claimed by id
     * with its supplier and invoice number (compared without case and spaces) at once, so the unique key
     * refuses the same paper bill entered twice even by two clerks at the same moment; the rest is filled
     * in the same transaction. A stock movement is billed once: its row here is its claim. A payment's
     * allocation names a purchase order invoice or a bill (`document`), each kind with ids of its own.
     */
    id: '026_finance_supplier_bills',
    up: `
      CREATE TABLE supplier_bills (
        id TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        supplier_id TEXT NOT NULL,
        invoice_number_key TEXT NOT NULL,
        supplier_name TEXT,
        supplier_invoice_number TEXT,
        currency TEXT,
        total BIGINT,
        matched BIGINT,
        location_id TEXT,
        invoiced_at TEXT,
        due_at TEXT
      );
      CREATE UNIQUE INDEX supplier_bills_invoice_number ON supplier_bills (supplier_id, invoice_number_key);
      CREATE INDEX supplier_bills_by_supplier ON supplier_bills (supplier_id, currency);
      CREATE TABLE supplier_bill_receipts (
        movement_id TEXT PRIMARY KEY,
        bill_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        value BIGINT NOT NULL
      );
      CREATE INDEX supplier_bill_receipts_by_bill ON supplier_bill_receipts (bill_id, line_no);
      ALTER TABLE supplier_payment_allocations ADD COLUMN document TEXT NOT NULL DEFAULT 'invoice';`,
  },
  {
    /**
     * What supplier bills bill besides goods: each line's expense account, amount, what it is for and the
     * location it is booked at (null: none). Bills recorded before have no lines here, and none are needed.
     */
    id: '027_finance_supplier_bill_expenses',
    up: `
      CREATE TABLE supplier_bill_expenses (
        bill_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        account TEXT NOT NULL,
        amount BIGINT NOT NULL,
        description TEXT NOT NULL,
        location_id TEXT,
        PRIMARY KEY (bill_id, line_no)
      );`,
  },
  {
    /**
     * Each SKU's units per location (on hand there and in transit to it), kept by the valuation beside the
     * SKU's own, so a location's stock can be valued at the SKU's average. Filled from the stock balances of
     * every SKU that has a product, which ERP's own ledger keeps exactly, with each balance's version: the
     * valuation counts only movements above it, so events it had not applied yet when this ran are not
     * counted twice. The units then add up to the SKU's valued units, except where the valuation never
     * valued a movement the ledger has (a SKU sold before its product existed, an event it dead-lettered);
     * the location summary's `reconciled` shows it.
     */
    id: '028_finance_location_valuations',
    up: `
      CREATE TABLE stock_location_valuations (
        sku TEXT NOT NULL,
        location_id TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        backfilled_version BIGINT NOT NULL,
        PRIMARY KEY (sku, location_id)
      );
      CREATE INDEX stock_location_valuations_by_location ON stock_location_valuations (location_id, sku);
      INSERT INTO stock_location_valuations (sku, location_id, quantity, backfilled_version)
        SELECT b.sku, b.location_id, b.on_hand + b.in_transit, b.version
        FROM stock_balances b JOIN products p ON p.sku = b.sku;`,
  },
  {
    /**
     * The work list of receipts waiting on 2310 for a bill, so listing them reads what is still to bill and
     * not every receipt ever booked: the valuation adds a receipt in the transaction that books it, a bill
     * removes it in the one that takes it. Ordered oldest first, on its own and per currency or location.
     * Filled from the journal exactly as the list was computed before: each `goods_received` entry with a line
     * on 2310 that no bill has taken, at what it credited there. Receipts are stored with their time in UTC
     * (`…Z`), so `occurred_at` orders as text on both engines.
     */
    id: '030_finance_unbilled_receipts',
    up: `
      CREATE TABLE unbilled_receipts (
        movement_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        sku TEXT NOT NULL,
        location_id TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        occurred_at TEXT NOT NULL,
        currency TEXT NOT NULL,
        value BIGINT NOT NULL
      );
      CREATE INDEX unbilled_receipts_oldest ON unbilled_receipts (occurred_at, movement_id);
      CREATE INDEX unbilled_receipts_by_currency ON unbilled_receipts (currency, occurred_at, movement_id);
      CREATE INDEX unbilled_receipts_by_location ON unbilled_receipts (location_id, occurred_at, movement_id);
      INSERT INTO unbilled_receipts (movement_id, kind, sku, location_id, quantity, occurred_at, currency, value)
        SELECT m.id, m.kind, m.sku, m.location_id, m.quantity, m.occurred_at, e.currency,
          (SELECT SUM(l.credit - l.debit) FROM journal_lines l WHERE l.entry_no = e.entry_no AND l.account = '2310')
        FROM journal_entries e
        JOIN stock_movements m ON m.id = e.source_id
        LEFT JOIN supplier_bill_receipts r ON r.movement_id = m.id
        WHERE e.kind = 'goods_received' AND r.movement_id IS NULL
          AND EXISTS (SELECT 1 FROM journal_lines l WHERE l.entry_no = e.entry_no AND l.account = '2310');`,
  },
  {
    /**
     * Online revenue is recognised when the goods ship, not when the order is paid: an order's payment is a
     * deposit (2400) until then. Per order, what it deposited (the sales and discount its goods come to, net of
     * tax) and what has left the deposit, as revenue or refunded, with a status saying how the journal booked
     * the order; per order and stock SKU its units, the deposit they carry and the units shipped; and the
     * shipments kept once each, some waiting for an order this consumer has not read yet. Nothing is filled:
     * orders booked before this were revenue when placed, which their shipments find out from the journal.
     */
    id: '031_finance_online_deposits',
    up: `
      CREATE TABLE online_order_deposits (
        order_id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        channel TEXT,
        currency TEXT,
        sales BIGINT NOT NULL DEFAULT 0,
        discount BIGINT NOT NULL DEFAULT 0,
        deposit BIGINT NOT NULL DEFAULT 0,
        recognised BIGINT NOT NULL DEFAULT 0,
        recognised_sales BIGINT NOT NULL DEFAULT 0,
        refunded BIGINT NOT NULL DEFAULT 0
      );
      CREATE TABLE online_order_goods (
        order_id TEXT NOT NULL,
        sku TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        value BIGINT NOT NULL,
        shipped BIGINT NOT NULL,
        PRIMARY KEY (order_id, sku)
      );
      CREATE TABLE online_order_shipments (
        order_id TEXT NOT NULL,
        fulfilment_id TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        order_shipped INTEGER NOT NULL,
        lines TEXT NOT NULL,
        event_id TEXT NOT NULL,
        waiting INTEGER NOT NULL,
        PRIMARY KEY (order_id, fulfilment_id)
      );`,
  },
  supplierInvoiceNumbersMigration,
  zeroValueReceiptsMigration,
  {
    /**
     * An order's delivery, deposited on 2400 apart from its goods: its net (what the shopper paid for it less
     * its tax), what the first shipment moved to 4070 and what refunds took out before that. Orders deposited
     * before had no delivery: 0 is right for them.
     */
    id: '038_finance_online_shipping',
    up: `
      ALTER TABLE online_order_deposits ADD COLUMN shipping BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE online_order_deposits ADD COLUMN shipping_recognised BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE online_order_deposits ADD COLUMN shipping_refunded BIGINT NOT NULL DEFAULT 0;`,
  },
  {
    /**
     * The reads of online orders (`/finance/online-orders`) and the waiting shipments' metric: the shipments
     * waiting for their order in time order, and the orders whose deposit still holds something. Both partial:
     * once an order is booked and shipped its rows leave them, so they stay as small as the work they list.
     */
    id: '039_finance_online_order_reads',
    up: `
      CREATE INDEX online_order_shipments_waiting ON online_order_shipments (occurred_at, order_id)
        WHERE waiting = 1;
      CREATE INDEX online_order_deposits_holding ON online_order_deposits (order_id)
        WHERE status = 'deposit'
          AND (deposit > recognised + refunded OR shipping > shipping_recognised + shipping_refunded);`,
  },
  {
    /**
     * Of an order's delivery earned (4070) when its first parcel left, what refunds naming the delivery gave
     * back since: no refund returns more of it than the order earned. None did before refunds named it.
     */
    id: '040_finance_online_shipping_returned',
    up: 'ALTER TABLE online_order_deposits ADD COLUMN shipping_returned BIGINT NOT NULL DEFAULT 0;',
  },
  {
    /**
     * The tax in an order's delivery charge and its rate, so a refund naming the delivery gives its tax back at
     * the delivery's own rate. Null for orders deposited before: nothing says it apart from the order's tax bases,
     * and their refunds keep giving tax back over all the order's rates in proportion.
     */
    id: '044_finance_online_shipping_tax',
    up: `
      ALTER TABLE online_order_deposits ADD COLUMN shipping_tax BIGINT;
      ALTER TABLE online_order_deposits ADD COLUMN shipping_rate_ppm INTEGER;`,
  },
];
