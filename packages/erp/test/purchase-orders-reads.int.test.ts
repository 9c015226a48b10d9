import { describe, expect, it } from 'vitest';
import { harnessDialects } from '@tillstream/kernel/testing';
import { purchaseOrderRig, pgUrl } from './purchase-orders.rig.js';
import { readsDuring } from './reads-during.js';

/** How many times a document is changed under readers: each time, a torn answer could slip in. */
const ROUNDS = 25;

describe.each(harnessDialects(pgUrl))('ERP answers a purchase order as of one instant on %s', (dialect) => {
  const { ok, product, ordered, receipt } = purchaseOrderRig(dialect);

  it('a purchase order read while a receipt lands shows its status and received counts of one version', async () => {
    const sku = await product();
    const torn: unknown[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const id = await ordered([{ sku, quantity: 2, unitCost: 400 }]);
      const seen = await readsDuring(
        () => ok('GET', `/purchase-orders/${id}`),
        () => ok('POST', `/purchase-orders/${id}/receipts`, receipt([{ sku, quantity: 2 }])),
      );
      torn.push(
        ...seen.filter(
          (view) =>
            (view.status === 'received') !== (view.lines[0].received === 2) ||
            view.receipts.length !== (view.status === 'received' ? 1 : 0),
        ),
      );
      expect(seen.at(-1).status).toBe('received');
    }
    expect(torn).toEqual([]);
  });
});
