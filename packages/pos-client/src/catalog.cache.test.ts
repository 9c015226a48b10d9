import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PricingSnapshot } from '@tillstream/contracts';
import { diffSnapshots } from '@tillstream/pricing';
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
      // A POS from before deltas: the till falls back to the whole snapshot.
      if (path.startsWith('/pos/v1/pricing/snapshot/delta')) return answer(404, { code: 'route_not_found' });
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
  openCatalogCache({ storage, http, terminalId: 'T1', storeId: 'S1', reached: () => {} });

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

describe('a till holding a snapshot', () => {
  /** POS answering the delta read as scripted; the whole snapshot (v9) to a till that has to fall back. */
  function posAnswering(deltaAnswer: HttpResponse) {
    const paths: string[] = [];
    const http: HttpPort = {
      async request(_method, path) {
        paths.push(path);
        if (path === '/pos/v1/catalog') return answer(304);
        if (path.startsWith('/pos/v1/pricing/snapshot/delta')) return deltaAnswer;
        if (path === '/pos/v1/pricing/snapshot') return answer(200, snapshotOf(9), '"9"');
        return answer(200, { lastShiftSeq: 0 });
      },
    };
    return { http, paths };
  }
  const holdingV5 = async (http: HttpPort) => {
    const storage = sqliteStorage(join(dir, `till-${Math.random()}.sqlite`));
    await storage.commit({ state: { snapshot: snapshotOf(5) } });
    return { storage, cache: await open(storage, http) };
  };
  const snapshotPaths = (paths: string[]) => paths.filter((path) => path.includes('/pricing/'));

  it('applies what changed since its version, prices with it and keeps it across a restart', async () => {
    const pos = posAnswering(answer(200, diffSnapshots(snapshotOf(5), snapshotOf(8))));
    const { storage, cache } = await holdingV5(pos.http);
    expect((await cache.refresh()).snapshotVersion).toBe(8);
    expect(priceOne(cache)).toMatchObject({ total: 800, snapshotVersion: 8 });
    expect(snapshotPaths(pos.paths)).toEqual(['/pos/v1/pricing/snapshot/delta?since=5']);
    const restarted = await open(storage, { request: async () => answer(304) });
    expect(priceOne(restarted)).toMatchObject({ total: 800, snapshotVersion: 8 });
    await storage.close();
  });

  it.each([
    ['nothing newer (204)', answer(204), 5, ['delta']],
    ['POS answering 503', answer(503, { code: 'service_unavailable' }), 5, ['delta']],
    ['a version no longer kept (410)', answer(410, { code: 'snapshot_version_gone' }), 9, ['delta', 'whole']],
    [
      'a delta from another version',
      answer(200, diffSnapshots(snapshotOf(4), snapshotOf(8))),
      9,
      ['delta', 'whole'],
    ],
  ])('given %s, holds version %i after asking for %j', async (_label, deltaAnswer, version, asked) => {
    const pos = posAnswering(deltaAnswer);
    const { storage, cache } = await holdingV5(pos.http);
    expect((await cache.refresh()).snapshotVersion).toBe(version);
    expect(priceOne(cache)).toMatchObject({ total: version * 100 });
    const kinds = snapshotPaths(pos.paths).map((path) => (path.includes('/delta') ? 'delta' : 'whole'));
    expect(kinds).toEqual(asked);
    await storage.close();
  });
});

describe('a till holding a catalog revision', () => {
  const apple = (amount: number) => ({ sku: 'A', name: 'Apple', price: { amount, currency: 'EUR' } });
  const pear = { sku: 'P', name: 'Pear', price: { amount: 80, currency: 'EUR' } };
  /** POS answering the changes read as scripted; the whole catalog (revision 20) to a till that falls back. */
  function posAnswering(changesAnswer: HttpResponse) {
    const sent: Array<{ path: string; ifNoneMatch: string | null }> = [];
    const http: HttpPort = {
      async request(_method, path, options) {
        if (path.startsWith('/pos/v1/catalog')) {
          sent.push({ path, ifNoneMatch: options?.headers?.['if-none-match'] ?? null });
        }
        if (path.startsWith('/pos/v1/catalog/changes')) return changesAnswer;
        if (path === '/pos/v1/catalog')
          return answer(200, { products: [apple(300)], revision: 20 }, '"c1-9"');
        if (path.startsWith('/pos/v1/pricing/snapshot')) return answer(204);
        return answer(200, { lastShiftSeq: 0 });
      },
    };
    return { http, sent };
  }
  const holdingRevision7 = async (http: HttpPort) => {
    const storage = sqliteStorage(join(dir, `till-${Math.random()}.sqlite`));
    await storage.commit({ state: { catalog: { etag: '"c1-1"', products: [apple(100)], revision: 7 } } });
    return { storage, cache: await open(storage, http) };
  };

  it('merges the products changed since and keeps the new revision across a restart', async () => {
    const pos = posAnswering(answer(200, { products: [apple(120), pear], revision: 9 }));
    const { storage, cache } = await holdingRevision7(pos.http);
    expect((await cache.refresh()).catalogChanged).toBe(true);
    expect(cache.products()).toEqual([apple(120), pear]);
    expect(cache.bySku().get('A')).toEqual(apple(120));
    expect(pos.sent).toEqual([{ path: '/pos/v1/catalog/changes?since=7', ifNoneMatch: null }]);
    const restarted = await open(storage, posAnswering(answer(200, { products: [], revision: 9 })).http);
    expect(restarted.products()).toEqual([apple(120), pear]);
    expect((await restarted.refresh()).catalogChanged).toBe(false);
    await storage.close();
  });

  it.each([
    ['nothing changed', answer(200, { products: [], revision: 7 }), false, 100, ['changes']],
    ['POS answering 503', answer(503, { code: 'service_unavailable' }), false, 100, ['changes']],
    [
      'a revision POS does not know (410)',
      answer(410, { code: 'catalog_revision_unknown' }),
      true,
      300,
      ['changes', 'whole'],
    ],
    [
      'a POS without the route (404)',
      answer(404, { code: 'route_not_found' }),
      true,
      300,
      ['changes', 'whole'],
    ],
  ])(
    'given %s: changed %s, the apple at %i, after asking for %j',
    async (_label, changes, changed, amount, asked) => {
      const pos = posAnswering(changes);
      const { storage, cache } = await holdingRevision7(pos.http);
      expect((await cache.refresh()).catalogChanged).toBe(changed);
      expect(cache.bySku().get('A')?.price.amount).toBe(amount);
      expect(pos.sent.map((read) => (read.path.includes('/changes') ? 'changes' : 'whole'))).toEqual(asked);
      // Falling back, the whole catalog is asked for unconditionally: the ETag held may name it already.
      for (const read of pos.sent.filter((sent) => !sent.path.includes('/changes')))
        expect(read.ifNoneMatch).toBeNull();
      await storage.close();
    },
  );
});

describe('finding what a till scans', () => {
  it('finds a product by any GTIN form of its barcode first, else by the SKU typed, else by name', async () => {
    const storage = sqliteStorage(join(dir, 'scan.sqlite'));
    const products = [
      { sku: 'CAN-1', name: 'Cola can', price: { amount: 150, currency: 'EUR' }, barcodes: ['036000291452'] },
      // A SKU that looks like the can's barcode: the scan still finds the can.
      { sku: '0036000291452', name: 'Look-alike', price: { amount: 1, currency: 'EUR' } },
      { sku: 'TEA-1', name: 'Tea', price: { amount: 300, currency: 'EUR' }, barcodes: ['96385074'] },
    ];
    const cache = await open(storage, {
      async request(_method, path) {
        if (path === '/pos/v1/catalog') return answer(200, { products }, '"c1"');
        return answer(404, { code: 'route_not_found' });
      },
    });
    await cache.refresh().catch(() => undefined);
    const first = (query: string) => cache.search(query, 1)[0]?.sku;
    // UPC-A, the same GTIN as EAN-13 and as GTIN-14.
    expect(['036000291452', '0036000291452', '00036000291452'].map(first)).toEqual([
      'CAN-1',
      'CAN-1',
      'CAN-1',
    ]);
    expect(first('96385074')).toBe('TEA-1');
    expect(first('TEA-1')).toBe('TEA-1');
    expect(first('tea')).toBe('TEA-1');
    expect(first('12345678')).toBeUndefined();
    // What Enter adds: only the product the code names, never the first of those whose name contains it.
    expect(
      ['00036000291452', ' TEA-1 ', 'tea', 'TEA', ''].map((code) => cache.lookup(code)?.sku ?? null),
    ).toEqual(['CAN-1', 'TEA-1', null, null, null]);
    await storage.close();
  });

  it('offers only active products when browsing or searching, but finds any product scanned or typed', async () => {
    const storage = sqliteStorage(join(dir, 'status.sqlite'));
    const products = [
      { sku: 'TEA-1', name: 'Tea', price: { amount: 300, currency: 'EUR' }, status: 'active' },
      { sku: 'TEA-2', name: 'Tea, old blend', price: { amount: 250, currency: 'EUR' }, status: 'archived' },
      { sku: 'TEA-3', name: 'Tea, next season', price: { amount: 350, currency: 'EUR' }, status: 'draft' },
      // From a POS older than statuses: for sale.
      { sku: 'TEA-4', name: 'Tea, green', price: { amount: 320, currency: 'EUR' }, barcodes: ['96385074'] },
      {
        sku: 'CUP-2',
        name: 'Cup',
        price: { amount: 900, currency: 'EUR' },
        barcodes: ['036000291452'],
        status: 'archived',
      },
    ];
    const cache = await open(storage, {
      async request(_method, path) {
        if (path === '/pos/v1/catalog') return answer(200, { products }, '"c1"');
        return answer(404, { code: 'route_not_found' });
      },
    });
    await cache.refresh().catch(() => undefined);
    const skus = (query: string) => cache.search(query).map((product) => product.sku);
    expect(skus('')).toEqual(['TEA-1', 'TEA-4']);
    expect(skus('tea')).toEqual(['TEA-1', 'TEA-4']);
    // Scanned or typed exactly, a discontinued product is still found: to sell off what is left, or take it back.
    expect(skus('036000291452')).toEqual(['CUP-2']);
    expect(skus('TEA-2')).toEqual(['TEA-2']);
    await storage.close();
  });
});
