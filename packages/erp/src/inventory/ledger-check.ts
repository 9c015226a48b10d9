import type { Db } from '@tillstream/kernel';

interface Figures {
  onHand: number;
  reserved: number;
  inTransit: number;
  damaged: number;
}

/** A (sku, location) whose balance is not the sum of its movements, or whose version is not their count. */
export interface LedgerMismatch {
  sku: string;
  locationId: string;
  balance: Figures & { version: number };
  ledger: Figures & { movements: number };
}

/**
 * A (sku, location) whose `reserved` is not what its held reservations hold there: their placements less
 * what shipped parcels committed of them.
 */
export interface HoldMismatch {
  sku: string;
  locationId: string;
  reserved: number;
  held: number;
}

export interface LedgerReport {
  ok: boolean;
  keys: number;
  movements: number;
  mismatches: LedgerMismatch[];
  holdMismatches: HoldMismatch[];
}

const LEDGER = `
  SELECT sku, location_id, SUM(quantity) AS on_hand, SUM(reserved_delta) AS reserved,
    SUM(in_transit_delta) AS in_transit, SUM(damaged_delta) AS damaged, COUNT(*) AS movements
  FROM stock_movements GROUP BY sku, location_id`;

/** Each check is one statement, so it reads one consistent snapshot while writers carry on. */
const BALANCE_VS_LEDGER = `
  SELECT b.sku, b.location_id, b.on_hand, b.reserved, b.in_transit, b.damaged, b.version,
    COALESCE(m.on_hand, 0) AS m_on_hand, COALESCE(m.reserved, 0) AS m_reserved,
    COALESCE(m.in_transit, 0) AS m_in_transit, COALESCE(m.damaged, 0) AS m_damaged,
    COALESCE(m.movements, 0) AS m_movements
  FROM stock_balances b LEFT JOIN (${LEDGER}) m ON m.sku = b.sku AND m.location_id = b.location_id
  WHERE b.on_hand <> COALESCE(m.on_hand, 0) OR b.reserved <> COALESCE(m.reserved, 0)
    OR b.in_transit <> COALESCE(m.in_transit, 0) OR b.damaged <> COALESCE(m.damaged, 0)
    OR b.version <> COALESCE(m.movements, 0)
  UNION ALL
  SELECT m.sku, m.location_id, 0, 0, 0, 0, 0, m.on_hand, m.reserved, m.in_transit, m.damaged, m.movements
  FROM (${LEDGER}) m
  WHERE NOT EXISTS (SELECT 1 FROM stock_balances b WHERE b.sku = m.sku AND b.location_id = m.location_id)`;

const RESERVED_VS_HOLDS = `
  SELECT b.sku, b.location_id, b.reserved, COALESCE(h.held, 0) AS held
  FROM stock_balances b LEFT JOIN (
    SELECT a.sku, a.location_id, SUM(a.quantity - a.committed) AS held
    FROM reservation_allocations a JOIN reservations r ON r.id = a.reservation_id
    WHERE r.status = 'held' GROUP BY a.sku, a.location_id
  ) h ON h.sku = b.sku AND h.location_id = b.location_id
  WHERE b.reserved <> COALESCE(h.held, 0)`;

type Row = Record<string, string | number | null>;
const n = (value: string | number | null | undefined) => Number(value ?? 0);

/**
 * The inventory invariants, checked against the database: every balance (on-hand, reserved, in-transit,
 * damaged) equals the sum of its movements, every version equals the number of its movements (one event
 * each), and every `reserved` equals what held reservations hold at that key.
 */
export async function verifyLedger(db: Pick<Db, 'query'>): Promise<LedgerReport> {
  const mismatches = (await db.query<Row>(BALANCE_VS_LEDGER)).map((row) => ({
    sku: String(row.sku),
    locationId: String(row.location_id),
    balance: {
      onHand: n(row.on_hand),
      reserved: n(row.reserved),
      inTransit: n(row.in_transit),
      damaged: n(row.damaged),
      version: n(row.version),
    },
    ledger: {
      onHand: n(row.m_on_hand),
      reserved: n(row.m_reserved),
      inTransit: n(row.m_in_transit),
      damaged: n(row.m_damaged),
      movements: n(row.m_movements),
    },
  }));
  const holdMismatches = (await db.query<Row>(RESERVED_VS_HOLDS)).map((row) => ({
    sku: String(row.sku),
    locationId: String(row.location_id),
    reserved: n(row.reserved),
    held: n(row.held),
  }));
  const [counts] = await db.query<Row>(
    'SELECT (SELECT COUNT(*) FROM stock_balances) AS key_count, (SELECT COUNT(*) FROM stock_movements) AS movement_count',
  );
  return {
    ok: mismatches.length === 0 && holdMismatches.length === 0,
    keys: n(counts?.key_count),
    movements: n(counts?.movement_count),
    mismatches,
    holdMismatches,
  };
}
