import type { Migration } from '@tillstream/kernel';

/** The consumer that values stock (valuation.consumer.ts) and the log it reads. */
const VALUATION = `consumer = 'erp.valuation'`;

/**
 * The movements whose `erp.stock.changed` the valuation has not applied: events in the outbox it has no inbox
 * row for, and events it parked as dead letters (a redriven one was applied). On SQLite the outbox is the
 * log the valuation reads, so only rows past its checkpoint can be waiting (the others were applied or parked,
 * and pruned rows every consumer had read past). On PostgreSQL it reads JetStream, whose positions are not the
 * outbox's: there its inbox alone says what it applied, and an event whose inbox row was pruned counts as
 * waiting, so such a receipt stays as it was rather than be listed at a value it may not have. An event gone
 * from PostgreSQL's outbox was relayed a retention ago (a week by default): valued, unless the valuation has
 * stood still as long.
 */
const notValued = (movementOf: (column: string) => string, pastCheckpoint: string) => `
  not_valued AS (
    SELECT ${movementOf('o.envelope')} AS movement_id FROM outbox o
    WHERE o.type = 'erp.stock.changed' ${pastCheckpoint}
      AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.${VALUATION} AND i.event_id = o.id)
    UNION ALL
    SELECT ${movementOf('d.envelope')} FROM dead_letters d
    WHERE d.${VALUATION} AND d.type = 'erp.stock.changed' AND d.redriven_at IS NULL
  )`;

/**
 * Receipts outside purchase orders (as `waitsOn2310` tells them) the valuation valued at nothing and no bill
 * has: a SKU it values (so it knows the currency) received with no cost or a cost of 0, not on the work list,
 * and with no entry on 2310. Those with a `goods_received` entry were certainly valued (it only corrected cost
 * of sales); those with none, unless the valuation has not applied their event yet.
 */
const listValuedAtNothing = (cte: string) => `
  WITH ${cte}
  INSERT INTO unbilled_receipts (movement_id, kind, sku, location_id, quantity, occurred_at, currency, value)
  SELECT m.id, m.kind, m.sku, m.location_id, m.quantity, m.occurred_at, v.currency, 0
  FROM stock_movements m
  JOIN stock_valuations v ON v.sku = m.sku
  WHERE (m.kind = 'received' OR (m.kind = 'po_received' AND m.unit_cost IS NULL))
    AND (m.unit_cost IS NULL OR m.unit_cost = 0)
    AND NOT EXISTS (SELECT 1 FROM unbilled_receipts u WHERE u.movement_id = m.id)
    AND NOT EXISTS (SELECT 1 FROM supplier_bill_receipts r WHERE r.movement_id = m.id)
    AND NOT EXISTS (
      SELECT 1 FROM journal_entries e JOIN journal_lines l ON l.entry_no = e.entry_no
      WHERE e.kind = 'goods_received' AND e.source_id = m.id AND l.account = '2310')
    AND (
      EXISTS (SELECT 1 FROM journal_entries e WHERE e.kind = 'goods_received' AND e.source_id = m.id)
      OR m.id NOT IN (SELECT movement_id FROM not_valued WHERE movement_id IS NOT NULL));`;

/**
 * The valuation now lists a receipt outside purchase orders it valued at nothing at 0 on the work list of
 * receipts to bill, which is what tells a bill it was valued (not that it waits for the valuation). Receipts it
 * valued so before are listed here, as it would have: only those it has certainly valued, read from its own
 * log position, inbox and dead letters, so one still waiting stays off the list until the valuation lists it.
 */
export const zeroValueReceiptsMigration: Migration = {
  id: '033_finance_zero_value_receipts',
  up: {
    sqlite: listValuedAtNothing(
      notValued(
        (column) => `json_extract(${column}, '$.data.movement.id')`,
        `AND o.position > COALESCE(
           (SELECT position FROM consumer_checkpoints WHERE ${VALUATION} AND source = 'erp'), 0)`,
      ),
    ),
    postgres: listValuedAtNothing(notValued((column) => `(${column}::jsonb #>> '{data,movement,id}')`, '')),
  },
};
