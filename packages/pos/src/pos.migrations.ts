import type { Migration } from '@tillstream/kernel';

export const posMigrations: Migration[] = [
  {
    id: '001_sales',
    up: `
      CREATE TABLE sales (
        id TEXT PRIMARY KEY,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        currency TEXT NOT NULL,
        total BIGINT NOT NULL,
        request_hash TEXT NOT NULL,
        result TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      CREATE INDEX sales_terminal ON sales (terminal_id, occurred_at);
      CREATE TABLE terminals (
        terminal_id TEXT PRIMARY KEY,
        store_id TEXT NOT NULL,
        registered_at TEXT NOT NULL
      );`,
  },
  {
    id: '002_directory',
    up: `
      CREATE TABLE known_locations (
        location_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE TABLE known_products (
        sku TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        price_amount BIGINT NOT NULL,
        currency TEXT NOT NULL,
        version INTEGER NOT NULL
      );`,
  },
  {
    id: '003_terminal_keys',
    up: `
      ALTER TABLE terminals ADD COLUMN name TEXT;
      ALTER TABLE terminals ADD COLUMN key_id TEXT;
      ALTER TABLE terminals ADD COLUMN last_sync_at TEXT;
      ALTER TABLE sales ADD COLUMN shift_id TEXT;
      ALTER TABLE sales ADD COLUMN receipt_no TEXT;
      CREATE INDEX sales_shift ON sales (shift_id);
      CREATE TABLE receipt_numbers (
        terminal_id TEXT NOT NULL,
        receipt_no TEXT NOT NULL,
        document_id TEXT NOT NULL,
        PRIMARY KEY (terminal_id, receipt_no)
      );`,
  },
  {
    id: '004_shifts',
    up: `
      CREATE TABLE shifts (
        id TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        currency TEXT NOT NULL,
        opened_at TEXT,
        opening_float BIGINT,
        open_hash TEXT,
        closed_at TEXT,
        close_id TEXT,
        counted_cash BIGINT,
        close_hash TEXT,
        close_received_at TEXT,
        revision INTEGER NOT NULL DEFAULT 0,
        received_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX shifts_terminal_seq ON shifts (terminal_id, seq);`,
  },
  {
    id: '005_returns',
    up: `
      CREATE TABLE sale_returns (
        id TEXT PRIMARY KEY,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        shift_id TEXT,
        original_sale_id TEXT,
        occurred_at TEXT NOT NULL,
        currency TEXT NOT NULL,
        total BIGINT NOT NULL,
        request_hash TEXT NOT NULL,
        result TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      CREATE INDEX sale_returns_shift ON sale_returns (shift_id);
      CREATE INDEX sale_returns_original ON sale_returns (original_sale_id);
      CREATE TABLE returned_lines (
        return_id TEXT NOT NULL,
        sale_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        quantity INTEGER NOT NULL,
        PRIMARY KEY (return_id, sale_id, line_no)
      );
      CREATE INDEX returned_lines_sale ON returned_lines (sale_id, line_no);`,
  },
  {
    id: '006_quarantine',
    up: `
      CREATE TABLE quarantined_transactions (
        terminal_id TEXT NOT NULL,
        transaction_id TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        code TEXT NOT NULL,
        detail TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        PRIMARY KEY (terminal_id, transaction_id)
      );`,
  },
  {
    // Gift cards and store credit: the balance is the sum of the movements, kept on the account row so that a
    // conditional UPDATE can debit it race-free; the CHECK is the database's last word that it never goes negative.
    id: '007_stored_value',
    up: `
      CREATE TABLE stored_value_accounts (
        number TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        currency TEXT NOT NULL,
        balance BIGINT NOT NULL CHECK (balance >= 0),
        version INTEGER NOT NULL,
        issued_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE stored_value_movements (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        kind TEXT NOT NULL,
        amount BIGINT NOT NULL,
        balance_after BIGINT NOT NULL,
        version INTEGER NOT NULL,
        reference TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE INDEX stored_value_movements_number ON stored_value_movements (number, version);
      CREATE TABLE stored_value_issues (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        shift_id TEXT,
        request_hash TEXT NOT NULL,
        result TEXT NOT NULL,
        received_at TEXT NOT NULL
      );
      CREATE INDEX stored_value_issues_shift ON stored_value_issues (shift_id);
      CREATE TABLE stored_value_redemptions (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        amount BIGINT NOT NULL,
        currency TEXT NOT NULL,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        status TEXT NOT NULL,
        sale_id TEXT,
        request_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE stored_value_exceptions (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        sale_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        currency TEXT NOT NULL,
        reason TEXT NOT NULL,
        requested BIGINT NOT NULL,
        covered BIGINT NOT NULL,
        shortfall BIGINT NOT NULL,
        raised_at TEXT NOT NULL
      );
      CREATE INDEX stored_value_exceptions_number ON stored_value_exceptions (number);`,
  },
  {
    // A return at another till finds its receipt by number among the store's sales.
    id: '008_sales_receipt_no',
    up: `CREATE INDEX sales_receipt_no ON sales (receipt_no, store_id);`,
  },
  {
    // Online gift card holds expire, so a till that crashes mid-sale cannot strand a card's value. Holds made
    // before this had no expiry: they count as due at once, and the first sweep gives back any left stranded.
    id: '009_stored_value_hold_expiry',
    up: `
      ALTER TABLE stored_value_redemptions ADD COLUMN expires_at TEXT NOT NULL DEFAULT '';
      UPDATE stored_value_redemptions SET expires_at = created_at;
      CREATE INDEX stored_value_redemptions_due ON stored_value_redemptions (expires_at) WHERE status = 'held';`,
  },
  {
    // Which till redeemed a sale's coupons online, so that only it (or the back office) may give them back.
    // Redemptions made before this have no row: only a back-office key may release those.
    id: '010_coupon_redemption_owners',
    up: `
      CREATE TABLE coupon_redemption_owners (
        sale_id TEXT PRIMARY KEY,
        store_id TEXT NOT NULL,
        terminal_id TEXT NOT NULL,
        claimed_at TEXT NOT NULL
      );`,
  },
  {
    // Which catalog change last touched each product, so a till asks for the products changed since the
    // revision it holds instead of downloading the whole catalog again for one price change.
    id: '011_catalog_revisions',
    up: `
      ALTER TABLE known_products ADD COLUMN changed_in BIGINT NOT NULL DEFAULT 0;
      CREATE INDEX known_products_changed_in ON known_products (changed_in);
      CREATE TABLE known_catalog_revision (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL);
      INSERT INTO known_catalog_revision (id, revision) VALUES (1, 0);`,
  },
  {
    // Gift cards may expire: the expiry the issue set, and the store that last put value on the card, whose
    // books take the value that lapses. Cards from before have neither: they never expire.
    id: '012_stored_value_expiry',
    up: `
      ALTER TABLE stored_value_accounts ADD COLUMN expires_at TEXT;
      ALTER TABLE stored_value_accounts ADD COLUMN store_id TEXT;
      CREATE INDEX stored_value_accounts_lapse ON stored_value_accounts (expires_at) WHERE expires_at IS NOT NULL;`,
  },
  {
    // The barcodes ERP gives a product, handed to terminals so a scan finds its product offline.
    id: '013_known_product_barcodes',
    up: "ALTER TABLE known_products ADD COLUMN barcodes TEXT NOT NULL DEFAULT '[]';",
  },
  {
    // Where each product is in its life (draft, active, archived), handed to terminals so a till stops offering
    // one ERP discontinued. Rows from before get `active`, what an event without a status means; a product ERP
    // archived before the upgrade shows `active` until ERP publishes it again (POST /erp/v1/products/republish).
    id: '014_known_product_status',
    up: "ALTER TABLE known_products ADD COLUMN status TEXT NOT NULL DEFAULT 'active';",
  },
  {
    // A store's cash rounding increment, as ERP publishes it (none for the stores known so far: they round
    // nothing), and every increment each store has had: a till that has not learned a change yet still rounds
    // by the one before, and its sale is taken (see docs/pos.md, Cash rounding). A set per store, filled by
    // inserts that ignore a repeat, so events applied in any order, on any number of POS instances, add up to it.
    id: '015_store_cash_rounding',
    up: `
      ALTER TABLE known_locations ADD COLUMN cash_rounding_increment INTEGER;
      CREATE TABLE known_cash_rounding_increments (
        location_id TEXT NOT NULL,
        increment INTEGER NOT NULL,
        PRIMARY KEY (location_id, increment)
      );`,
  },
  {
    // The click-and-collect orders at each store, as ERP's fulfilment events describe them, and what the store's
    // tills did with them (put aside, handed over): the collection desk. `status` is worked out from both sides
    // on every write, so the desk's queue is one indexed read.
    id: '016_store_collections',
    up: `
      CREATE TABLE store_collections (
        fulfilment_id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL,
        store_id TEXT NOT NULL,
        status TEXT NOT NULL,
        collector_name TEXT NOT NULL,
        collector_phone TEXT,
        lines TEXT NOT NULL,
        erp_status TEXT NOT NULL,
        erp_version BIGINT NOT NULL,
        erp_at TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        ready_at TEXT,
        cancelled_at TEXT,
        collected_at TEXT,
        prepared_by TEXT,
        prepared_at TEXT,
        handed_over_by TEXT,
        handed_over_at TEXT
      );
      CREATE INDEX store_collections_queue ON store_collections (store_id, status, first_seen_at, fulfilment_id);`,
  },
  {
    // Which till put a cancelled collection's goods back on the shelf, so the desk stops listing them; one never
    // put aside (by a till, or made ready in ERP) has nothing to put back: `restocked` from the start.
    id: '017_store_collection_put_back',
    up: `
      ALTER TABLE store_collections ADD COLUMN put_back_by TEXT;
      ALTER TABLE store_collections ADD COLUMN put_back_at TEXT;
      UPDATE store_collections SET status = 'restocked'
        WHERE status = 'cancelled' AND prepared_at IS NULL AND ready_at IS NULL;`,
  },
  {
    // A return looks up what its sale never collected (the shortfalls raised with it) by the sale's id.
    id: '018_stored_value_exceptions_by_sale',
    up: `CREATE INDEX stored_value_exceptions_sale ON stored_value_exceptions (sale_id);`,
  },
];
