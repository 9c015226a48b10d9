import type { Migration } from '@tillstream/kernel';
import { purchasingMigrations } from './inventory/purchasing.migrations.js';

const BACKORDER_COLUMNS = `
  seq $seq,
  reservation_id TEXT NOT NULL,
  line_no INTEGER NOT NULL,
  sku TEXT NOT NULL,
  location_id TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  filled BIGINT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL`;

const TRANSFER_LIST_INDEXES = `
  CREATE INDEX transfers_by_source ON transfers (source_id, id);
  CREATE INDEX transfers_by_destination ON transfers (destination_id, id);
  CREATE INDEX transfers_by_status ON transfers (status, id);`;

/** Stock, catalog, reservations, fulfilment and transfers; purchasing's are merged in below, in id order. */
const stockMigrations: Migration[] = [
  {
    id: '001_catalog',
    up: `
      CREATE TABLE locations (
        location_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE products (
        sku TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        price_amount BIGINT NOT NULL,
        currency TEXT NOT NULL,
        kind TEXT NOT NULL,
        components TEXT NOT NULL,
        backorderable INTEGER NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );`,
  },
  {
    id: '002_inventory',
    up: `
      CREATE TABLE stock_balances (
        sku TEXT NOT NULL,
        location_id TEXT NOT NULL,
        on_hand BIGINT NOT NULL,
        reserved BIGINT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (sku, location_id)
      );
      CREATE TABLE stock_movements (
        id TEXT PRIMARY KEY,
        sku TEXT NOT NULL,
        location_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        occurred_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        reference TEXT NOT NULL
      );
      CREATE INDEX stock_movements_key ON stock_movements (sku, location_id, occurred_at);
      CREATE UNIQUE INDEX stock_movements_reference ON stock_movements (reference, sku, location_id, kind);
      CREATE TABLE stock_adjustments (
        id TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        result TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE TABLE stock_exceptions (
        id TEXT PRIMARY KEY,
        sku TEXT NOT NULL,
        location_id TEXT NOT NULL,
        on_hand BIGINT NOT NULL,
        cause_kind TEXT NOT NULL,
        cause_reference TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        resolved_at TEXT
      );`,
  },
  {
    // Every balance moves only through a movement; a movement carries its change to each of the four balances.
    id: '003_inventory_ledger',
    up: `
      ALTER TABLE stock_balances ADD COLUMN in_transit BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE stock_balances ADD COLUMN damaged BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE stock_balances ADD COLUMN last_counted_at TEXT;
      ALTER TABLE stock_movements ADD COLUMN reserved_delta BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE stock_movements ADD COLUMN in_transit_delta BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE stock_movements ADD COLUMN damaged_delta BIGINT NOT NULL DEFAULT 0;
      CREATE TABLE stock_counts (
        id TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        result TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );
      CREATE TABLE stock_returns (
        id TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        result TEXT NOT NULL,
        recorded_at TEXT NOT NULL
      );`,
  },
  {
    id: '004_reservations',
    up: `
      CREATE TABLE sales_channels (
        channel TEXT PRIMARY KEY,
        locations TEXT NOT NULL,
        safety_stock BIGINT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE reservations (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        status TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        lines TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL
      );
      CREATE INDEX reservations_due ON reservations (status, expires_at);
      CREATE TABLE reservation_allocations (
        reservation_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        sku TEXT NOT NULL,
        location_id TEXT NOT NULL,
        quantity BIGINT NOT NULL,
        PRIMARY KEY (reservation_id, line_no, sku, location_id)
      );
      CREATE INDEX reservation_allocations_key ON reservation_allocations (sku, location_id);`,
  },
  {
    // The queue order is a database sequence, not a clock: instances' clocks may disagree.
    id: '005_backorders',
    up: {
      sqlite: `CREATE TABLE backorders (${BACKORDER_COLUMNS.replace('$seq', 'INTEGER PRIMARY KEY AUTOINCREMENT')});
        CREATE INDEX backorders_queue ON backorders (sku, location_id, status, seq);
        CREATE INDEX backorders_reservation ON backorders (reservation_id);`,
      postgres: `CREATE TABLE backorders (${BACKORDER_COLUMNS.replace('$seq', 'BIGSERIAL PRIMARY KEY')});
        CREATE INDEX backorders_queue ON backorders (sku, location_id, status, seq);
        CREATE INDEX backorders_reservation ON backorders (reservation_id);`,
    },
  },
  {
    id: '006_transfers',
    up: `
      CREATE TABLE transfers (
        id TEXT PRIMARY KEY,
        source_id TEXT NOT NULL,
        destination_id TEXT NOT NULL,
        status TEXT NOT NULL,
        lines TEXT NOT NULL,
        discrepancies TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        shipped_at TEXT,
        closed_at TEXT
      );
      CREATE TABLE transfer_receipts (
        id TEXT PRIMARY KEY,
        transfer_id TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        received_at TEXT NOT NULL
      );`,
  },
  {
    // One row per (order, location): the unit of picking and shipping. Lines are stock SKUs, as JSON.
    id: '007_fulfilments',
    up: `
      CREATE TABLE fulfilments (
        id TEXT PRIMARY KEY,
        order_id TEXT NOT NULL,
        reservation_id TEXT NOT NULL,
        location_id TEXT NOT NULL,
        status TEXT NOT NULL,
        lines TEXT NOT NULL,
        version INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        shipped_at TEXT
      );
      CREATE INDEX fulfilments_order ON fulfilments (order_id);`,
  },
  {
    // Placed online orders by reservation: stock arriving for a backorder finds the order it fulfils.
    id: '008_online_orders',
    up: `
      CREATE TABLE online_orders (
        order_id TEXT PRIMARY KEY,
        reservation_id TEXT NOT NULL UNIQUE,
        placed_at TEXT NOT NULL
      );
      ALTER TABLE fulfilments ADD COLUMN delivered_at TEXT;`,
  },
  {
    // No query looks allocations up by SKU (holds are found by reservation, balances carry what is reserved),
    // and every hold wrote a leaf of this index at a random place: one page more in each commit.
    id: '009_drop_allocations_by_key',
    up: 'DROP INDEX reservation_allocations_key;',
  },
  {
    // Balances and products are read and written by key on every hold and sale. As rowid tables, each
    // lookup went through the key's index to the row in a second tree; clustered by the key it is one
    // tree. SQLite only: PostgreSQL has no such choice, and its tables stay as they are.
    id: '010_cluster_by_key',
    up: {
      sqlite: `
        CREATE TABLE stock_balances_by_key (
          sku TEXT NOT NULL,
          location_id TEXT NOT NULL,
          on_hand BIGINT NOT NULL,
          reserved BIGINT NOT NULL,
          version INTEGER NOT NULL,
          in_transit BIGINT NOT NULL DEFAULT 0,
          damaged BIGINT NOT NULL DEFAULT 0,
          last_counted_at TEXT,
          PRIMARY KEY (sku, location_id)
        ) WITHOUT ROWID;
        INSERT INTO stock_balances_by_key SELECT
          sku, location_id, on_hand, reserved, version, in_transit, damaged, last_counted_at FROM stock_balances;
        DROP TABLE stock_balances;
        ALTER TABLE stock_balances_by_key RENAME TO stock_balances;
        CREATE TABLE products_by_key (
          sku TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          price_amount BIGINT NOT NULL,
          currency TEXT NOT NULL,
          kind TEXT NOT NULL,
          components TEXT NOT NULL,
          backorderable INTEGER NOT NULL,
          version INTEGER NOT NULL,
          updated_at TEXT NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO products_by_key SELECT
          sku, name, price_amount, currency, kind, components, backorderable, version, updated_at FROM products;
        DROP TABLE products;
        ALTER TABLE products_by_key RENAME TO products;`,
      postgres: 'SELECT 1',
    },
  },
  {
    // GET /stock-exceptions pages by keyset on (raised_at, id); before, it read the oldest 500 and no more.
    id: '012_stock_exceptions_by_time',
    up: 'CREATE INDEX stock_exceptions_by_time ON stock_exceptions (raised_at, id);',
  },
  {
    // Holds kept for a placed order before order holds lost their time limit still showed the 30-day expiry
    // of that time, though it is no longer enforced: they now show "never" as every newer one does. Only the
    // shown value changes (the hold was already kept for its order), so no version is minted for it.
    id: '013_order_holds_show_no_expiry',
    up: `UPDATE reservations SET expires_at = '9999-12-31T23:59:59.999Z'
      WHERE status = 'held' AND id IN (SELECT reservation_id FROM online_orders);`,
  },
  {
    // A store's IANA time zone: analytics counts a store's report in its local hours and days.
    id: '014_location_time_zones',
    up: 'ALTER TABLE locations ADD COLUMN time_zone TEXT;',
  },
  {
    // A product's life: `draft` and `archived` products are not sold online. Every product so far is for sale.
    id: '015_product_status',
    up: `ALTER TABLE products ADD COLUMN status TEXT NOT NULL DEFAULT 'active'`,
  },
  {
    // The GTINs printed on a product, kept with it and, as GTIN-14s, in an index that keeps them unique.
    id: '016_product_barcodes',
    up: `
      ALTER TABLE products ADD COLUMN barcodes TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE product_barcodes (gtin TEXT PRIMARY KEY, sku TEXT NOT NULL);
      CREATE INDEX product_barcodes_sku ON product_barcodes (sku);`,
  },
  {
    // What a receipt cost per unit (a purchase order's agreed cost, or one given with a received adjustment),
    // kept on its ledger row: ERP's finance values stock at moving average cost from it.
    id: '019_stock_movement_unit_cost',
    up: 'ALTER TABLE stock_movements ADD COLUMN unit_cost BIGINT;',
  },
  {
    // The sales channel whose sale, return or reservation moved stock, kept on its ledger row: finance books
    // a movement's cost of sales under it, next to the channel's revenue. Of the rows before, only store sales
    // are known for certain (every `sold` row is a POS sale); the rest keep none.
    id: '021_stock_movement_channel',
    up: `
      ALTER TABLE stock_movements ADD COLUMN channel TEXT;
      UPDATE stock_movements SET channel = 'pos' WHERE kind = 'sold';`,
  },
  {
    // GET /transfers pages in id order by source, destination and status. A transfer's lines are JSON in its
    // row, which no index reaches: transfer_skus names the SKUs each transfer has a line of, so the SKU filter
    // reads an index instead of parsing every transfer. Rebuilt here from the lines of the transfers there are.
    id: '024_transfer_list',
    up: {
      sqlite: `${TRANSFER_LIST_INDEXES}
        CREATE TABLE transfer_skus (
          sku TEXT NOT NULL,
          transfer_id TEXT NOT NULL,
          PRIMARY KEY (sku, transfer_id)
        ) WITHOUT ROWID;
        INSERT INTO transfer_skus (sku, transfer_id)
          SELECT DISTINCT json_extract(line.value, '$.sku'), transfers.id FROM transfers, json_each(transfers.lines) line;`,
      postgres: `${TRANSFER_LIST_INDEXES}
        CREATE TABLE transfer_skus (
          sku TEXT NOT NULL,
          transfer_id TEXT NOT NULL,
          PRIMARY KEY (sku, transfer_id)
        );
        INSERT INTO transfer_skus (sku, transfer_id)
          SELECT DISTINCT line->>'sku', transfers.id FROM transfers, jsonb_array_elements(transfers.lines::jsonb) line;`,
    },
  },
  {
    // When a transfer should arrive; none for those made before (nobody said). The overdue list reads the
    // in-transit statuses by expected date; received transfers, most of them, sit under another status.
    id: '029_transfer_expected_at',
    up: `ALTER TABLE transfers ADD COLUMN expected_at TEXT;
      CREATE INDEX transfers_by_status_expected ON transfers (status, expected_at, id);`,
  },
  {
    // A store's cash rounding increment (minor units); none for every location so far: cash pays to the cent.
    id: '034_location_cash_rounding',
    up: 'ALTER TABLE locations ADD COLUMN cash_rounding_increment INTEGER;',
  },
  {
    // Units of a placement a shipped parcel took out of stock while the rest of its reservation stays held:
    // the hold still holds only `quantity - committed`. Reservations committed before this committed all.
    id: '035_reservation_allocations_committed',
    up: `ALTER TABLE reservation_allocations ADD COLUMN committed BIGINT NOT NULL DEFAULT 0;
      UPDATE reservation_allocations SET committed = quantity
        WHERE reservation_id IN (SELECT id FROM reservations WHERE status = 'committed');`,
  },
  {
    // Where a placed order's parcels go and by which delivery method (JSON: method {id, name} and address), kept
    // once per order so its fulfilments, a backorder's later one too, show it. Orders placed before have none.
    id: '037_online_order_shipping',
    up: 'ALTER TABLE online_orders ADD COLUMN shipping TEXT;',
  },
  {
    // When a click-and-collect fulfilment was picked and began waiting for its shopper; none for the others.
    id: '042_fulfilment_ready_at',
    up: 'ALTER TABLE fulfilments ADD COLUMN ready_at TEXT;',
  },
  {
    // A location's work queue (what it has still to pick, make ready or hand over, oldest first), and when an
    // open fulfilment was cancelled with its order, so the queue no longer lists it.
    id: '043_fulfilment_location_queue',
    up: `
      ALTER TABLE fulfilments ADD COLUMN cancelled_at TEXT;
      CREATE INDEX fulfilments_location_queue ON fulfilments (location_id, status, created_at, id);`,
  },
];

/** ERP's own migrations in the order they run: purchasing's are kept apart but share the numbering. */
export const erpMigrations: Migration[] = [...stockMigrations, ...purchasingMigrations].sort((a, b) =>
  a.id.localeCompare(b.id),
);
