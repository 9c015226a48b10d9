import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;
const ROUNDS = 20;

// The kit rules (no cycles, no nested kits, a kit holds no stock) are checked by reading other rows; these
// races are what the catalog structure lock exists for. On SQLite the single writer serialises them anyway.
describe.each(harnessDialects(pgUrl))('ERP kit rules under concurrent writes on %s', (dialect) => {
  let erp: ContextHarness;
  const price = { amount: 100, currency: 'EUR' };
  const put = (sku: string, extra: object = {}) =>
    erp.api('PUT', `/products/${sku}`, { name: sku, price, ...extra });
  const kitOf = (sku: string, component: string) =>
    put(sku, { kind: 'kit', components: [{ sku: component, quantity: 1 }] });
  const ok = async (response: Promise<{ status: number; body: any }>) => {
    const { status, body } = await response;
    if (status >= 300) throw new Error(`${status} ${JSON.stringify(body)}`);
  };

  /** Kits whose components include a kit (a cycle is a special case) and kits with balances of their own. */
  const broken = async () => {
    const kits = await erp.db.query<{ sku: string; components: string }>(
      "SELECT sku, components FROM products WHERE kind = 'kit'",
    );
    const kitSkus = new Set(kits.map((kit) => kit.sku));
    const nested = kits
      .filter((kit) => (JSON.parse(kit.components) as Array<{ sku: string }>).some((c) => kitSkus.has(c.sku)))
      .map((kit) => kit.sku);
    const stocked = (
      await erp.db.query<{ sku: string }>(
        `SELECT DISTINCT b.sku FROM stock_balances b JOIN products p ON p.sku = b.sku
         WHERE p.kind = 'kit' AND (b.on_hand <> 0 OR b.reserved <> 0 OR b.in_transit <> 0 OR b.damaged <> 0)`,
      )
    ).map((row) => row.sku);
    return { nested, stocked };
  };

  beforeAll(async () => {
    erp = await createContextHarness((deps) => createErp(deps), { dialect, pgUrl, name: 'erp' });
    await ok(erp.api('PUT', '/locations/W1', { name: 'Warehouse 1', kind: 'warehouse' }));
  });
  afterAll(async () => {
    await erp?.close();
  });

  it('never accepts both halves of a cycle or of a nested kit', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const [d, e, a, b, c] = ['D', 'E', 'A', 'B', 'C'].map((name) => `${name}${round}`) as [
        string,
        string,
        string,
        string,
        string,
      ];
      for (const sku of [d, e, a, b, c]) await ok(put(sku));
      await Promise.all([kitOf(d, e), kitOf(e, d), kitOf(a, b), kitOf(b, c)]);
    }
    expect(await broken()).toEqual({ nested: [], stocked: [] });
  });

  it('never lets a kit hold stock when it races an adjustment or a count', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const [kit, component, counted, counterpart] = ['K', 'P', 'N', 'Q'].map(
        (name) => `S${name}${round}`,
      ) as [string, string, string, string];
      for (const sku of [kit, component, counted, counterpart]) await ok(put(sku));
      await Promise.all([
        kitOf(kit, component),
        erp.api('POST', '/inventory/adjustments', {
          id: `adj-${round}`,
          sku: kit,
          locationId: 'W1',
          delta: 5,
          reason: 'received',
          occurredAt: '2026-11-01T08:00:00Z',
        }),
        kitOf(counted, counterpart),
        erp.api('POST', '/inventory/counts', {
          id: `count-${round}`,
          locationId: 'W1',
          countedAt: '2026-11-01T08:30:00Z',
          lines: [{ sku: counted, quantity: 3 }],
        }),
      ]);
    }
    expect(await broken()).toEqual({ nested: [], stocked: [] });
    expect((await erp.api('GET', '/inventory/ledger-check')).body.ok).toBe(true);
  });
});
