import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PricingSnapshot } from '@tillstream/contracts';
import { openCatalogCache } from './catalog.cache.js';
import type { HttpPort, HttpResponse } from './http.port.js';
import { sqliteStorage } from './sqlite.storage.js';
import type { TerminalStorage } from './storage.port.js';

const dir = mkdtempSync(join(tmpdir(), 'pos-client-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Version n prices the one product at n euros, so a priced cart shows which snapshot priced it. */
const snapshotOf = (version: number): PricingSnapshot => ({
  version,
  createdAt: '2026-11-01T08:00:00.000Z',
  products: [
    { sku: 'A', price: { amount: 100 * version, currency: 'EUR' }, taxCategory: 'std', categories: [] },
  ],
  priceLists: [],
  promotions: [],
  taxRates: [],
});

const answer = (status: number, body: unknown = null, etag: string | null = null): HttpResponse => ({
  status,
  header: (name) => (name === 'etag' ? etag : null),
  body,
});

/**
 * POS behind a load balancer: each snapshot poll is answered by the next instance, which sends the version it
 * holds whatever the till asked with (as a POS from before it answered 304 to newer tills did). `asked` is each
 * poll's If-None-Match.
 */
function loadBalancedPos(holding: number[]) {
  const asked: Array<string | null> = [];
  const http: HttpPort = {
    async request(_method, path, options) {
      if (path === '/pos/v1/catalog') {
        const products = [{ sku: 'A', name: 'Apple', price: { amount: 100, currency: 'EUR' } }];
        return answer(200, { products }, '"c1-1"');
      }
      if (path === '/pos/v1/pricing/snapshot') {
        asked.push(options?.headers?.['if-none-match'] ?? null);
        const version = holding.shift()!;
        return answer(200, snapshotOf(version), `"${version}"`);
      }
      return answer(200, { lastShiftSeq: 0 });
    },
  };
  return { http, asked };
}

const open = (storage: TerminalStorage, http: HttpPort) =>
  openCatalogCache({ storage, http, terminalId: 'T1', reached: () => {} });

const priceOne = (cache: Awaited<ReturnType<typeof open>>) =>
  cache.price({
    lines: [{ sku: 'A', quantity: 1 }],
    currency: 'EUR',
    storeId: 'S1',
    at: '2026-11-01T10:00:00Z',
  });

describe('a till polling several POS instances for the pricing snapshot', () => {
  it('never goes back to an older version one instance still holds, across a restart too', async () => {
    const file = join(dir, 'till.sqlite');
    const { http, asked } = loadBalancedPos([6, 5, 7]);
    const storage = sqliteStorage(file);
    const cache = await open(storage, http);

    expect((await cache.refresh()).snapshotVersion).toBe(6);
    // The next instance still holds v5 and sends it: the till keeps v6 and prices with it.
    expect((await cache.refresh()).snapshotVersion).toBe(6);
    expect(priceOne(cache)).toMatchObject({ total: 600, snapshotVersion: 6 });

    // What the till stored is v6 too, so a restart without network prices as before.
    const reopened = sqliteStorage(file);
    const restarted = await open(reopened, { request: async () => answer(304) });
    expect(restarted.snapshotVersion()).toBe(6);
    expect(priceOne(restarted)).toMatchObject({ total: 600, snapshotVersion: 6 });
    await reopened.close();

    // A newer version is taken, and every poll asked with the newest version held.
    expect((await cache.refresh()).snapshotVersion).toBe(7);
    expect(asked).toEqual([null, '"6"', '"6"']);
    await storage.close();
  });
});
