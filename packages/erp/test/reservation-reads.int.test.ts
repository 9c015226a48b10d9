import { describe, expect, it } from 'vitest';
import { harnessDialects } from '@tillstream/kernel/testing';
import { pgUrl, startedErp, W1 } from './started-erp.js';
import { onlineOrderRig } from './online-orders.rig.js';
import { readsDuring } from './reads-during.js';

/** How many times a hold's backorder is filled under readers: each time, a torn answer could slip in. */
const ROUNDS = 20;

/** Units of a reservation line as one view shows them: placed somewhere, or waiting for stock. */
const accounted = (line: {
  allocations: Array<{ quantity: number }>;
  backordered: Array<{ quantity: number }>;
}) => [...line.allocations, ...line.backordered].reduce((sum, part) => sum + part.quantity, 0);

describe.each(harnessDialects(pgUrl))('ERP answers a reservation as of one instant on %s', (dialect) => {
  const started = startedErp(dialect, { holdSweepIntervalMs: 60_000, locations: [W1] });
  const { ok, receive } = started;
  const { product, placeOrder } = onlineOrderRig(started);

  it('a paid order read while a restock fills its backorder shows every unit placed or waiting, never both', async () => {
    const torn: unknown[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const sku = await product('RACE', true);
      await receive(sku, 'W1', 2);
      const { reservationId } = await placeOrder(sku, 5);
      const before = await ok('GET', `/reservations/${reservationId}`);
      expect(before.lines[0].backordered).toEqual([{ sku, locationId: 'W1', quantity: 3 }]);

      const seen = await readsDuring(
        () => ok('GET', `/reservations/${reservationId}`),
        () => receive(sku, 'W1', 3),
      );
      torn.push(...seen.filter((view) => accounted(view.lines[0]) !== 5));
      expect(seen.at(-1).lines[0]).toMatchObject({ backordered: [], allocations: [{ quantity: 5 }] });
    }
    expect(torn).toEqual([]);
  });
});
