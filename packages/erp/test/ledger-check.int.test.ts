import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextHarness, harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { createErp } from '../src/index.js';

const pgUrl = process.env.TILLSTREAM_TEST_PG_URL;

/** The ledger check must catch a balance that no movement explains, not merely agree with a healthy one. */
describe.each(harnessDialects(pgUrl))('ERP ledger check on a tampered %s database', (dialect) => {
  let erp: ContextHarness;
  const ok = async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) => {
    const response = await erp.api(method, url, payload);
    if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status}`);
    return response.body;
  };
  const tamper = (sql: string) => erp.db.transaction((tx) => tx.execute(sql, ['T1', 'W1']));

  beforeAll(async () => {
    erp = await createContextHarness(createErp, { dialect, pgUrl, name: 'erp' });
    await ok('PUT', '/locations/W1', { name: 'Warehouse 1', kind: 'warehouse' });
    for (const sku of ['T1', 'T2']) {
      await ok('PUT', `/products/${sku}`, { name: sku, price: { amount: 100, currency: 'EUR' } });
      await ok('POST', '/inventory/adjustments', {
        id: `rcv-${sku}`,
        sku,
        locationId: 'W1',
        delta: 5,
        reason: 'received',
        occurredAt: '2026-11-01T08:00:00Z',
      });
    }
  });
  afterAll(async () => erp?.close());

  it('names the key whose balance is not the sum of its movements, and only that key', async () => {
    expect(await ok('GET', '/inventory/ledger-check')).toMatchObject({ ok: true, mismatches: [] });
    await tamper('UPDATE stock_balances SET on_hand = on_hand + 1 WHERE sku = $1 AND location_id = $2');
    const report = await ok('GET', '/inventory/ledger-check');
    expect(report.ok).toBe(false);
    expect(report.mismatches).toEqual([
      {
        sku: 'T1',
        locationId: 'W1',
        balance: { onHand: 6, reserved: 0, inTransit: 0, damaged: 0, version: 1 },
        ledger: { onHand: 5, reserved: 0, inTransit: 0, damaged: 0, movements: 1 },
      },
    ]);
    await tamper('UPDATE stock_balances SET on_hand = on_hand - 1 WHERE sku = $1 AND location_id = $2');
    expect((await ok('GET', '/inventory/ledger-check')).ok).toBe(true);
  });

  it('names a key whose reserved no held reservation accounts for', async () => {
    await tamper('UPDATE stock_balances SET reserved = 2 WHERE sku = $1 AND location_id = $2');
    const report = await ok('GET', '/inventory/ledger-check');
    expect(report.ok).toBe(false);
    expect(report.holdMismatches).toEqual([{ sku: 'T1', locationId: 'W1', reserved: 2, held: 0 }]);
    expect(report.mismatches).toEqual([expect.objectContaining({ sku: 'T1', locationId: 'W1' })]);
    await tamper('UPDATE stock_balances SET reserved = 0 WHERE sku = $1 AND location_id = $2');
    expect((await ok('GET', '/inventory/ledger-check')).ok).toBe(true);
  });
});
