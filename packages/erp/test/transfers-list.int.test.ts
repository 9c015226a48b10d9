import { beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '@tillstream/kernel';
import { harnessDialects, uniqueName } from '@tillstream/kernel/testing';
import { pgUrl, purchaseOrderRig } from './purchase-orders.rig.js';

type Line = { sku: string; quantity: number };

describe.each(harnessDialects(pgUrl))('ERP lists transfers on a real %s database', (dialect) => {
  const { erp, call, ok, product } = purchaseOrderRig(dialect);

  /** Locations of this test alone, so what a location filter finds is what the test made. */
  const places = async (...kinds: Array<'store' | 'warehouse'>) => {
    const ids: string[] = [];
    for (const kind of kinds) {
      const id = uniqueName(kind === 'store' ? 'S' : 'W');
      await ok('PUT', `/locations/${id}`, { name: id, kind });
      ids.push(id);
    }
    return ids;
  };
  const stock = (sku: string, locationId: string, delta: number) =>
    ok('POST', '/inventory/adjustments', {
      id: uniqueName('adj'),
      sku,
      locationId,
      delta,
      reason: 'received',
      occurredAt: '2026-11-01T08:00:00Z',
    });
  const draft = async (sourceId: string, destinationId: string, lines: Line[], id = uniqueName('tr')) => {
    await ok('POST', '/transfers', { id, sourceId, destinationId, lines });
    return id;
  };
  const ship = (id: string) => ok('POST', `/transfers/${id}/ship`);
  const receive = (id: string, lines: Line[], close = false) =>
    ok('POST', `/transfers/${id}/receipts`, { id: uniqueName('rcpt'), lines, close });
  const list = async (query: string) => {
    const page = await ok('GET', `/transfers?${query}`);
    return page.transfers.map((transfer: { id: string }) => transfer.id);
  };

  it('filters by source, destination, status and SKU, each transfer as GET /transfers/{id} shows it', async () => {
    const [warehouse, store, other] = await places('warehouse', 'store', 'store');
    const [tee, cap] = [await product(), await product()];
    await stock(tee, warehouse!, 100);
    await stock(cap, warehouse!, 100);
    await stock(tee, store!, 100);
    const drafted = await draft(warehouse!, store!, [{ sku: tee, quantity: 1 }], uniqueName('a'));
    const shipped = await draft(warehouse!, store!, [{ sku: cap, quantity: 2 }], uniqueName('b'));
    await ship(shipped);
    const partly = await draft(warehouse!, other!, [{ sku: tee, quantity: 5 }], uniqueName('c'));
    await ship(partly);
    await receive(partly, [{ sku: tee, quantity: 2 }]);
    const back = await draft(store!, warehouse!, [{ sku: tee, quantity: 3 }], uniqueName('d'));
    await ship(back);
    await receive(back, [{ sku: tee, quantity: 3 }]);

    expect(await list(`fromLocationId=${warehouse}`)).toEqual([drafted, shipped, partly]);
    expect(await list(`toLocationId=${store}`)).toEqual([drafted, shipped]);
    expect(await list(`fromLocationId=${store}`)).toEqual([back]);
    expect(await list(`toLocationId=${store}&status=in_transit`)).toEqual([shipped]);
    expect(await list(`fromLocationId=${warehouse}&status=draft`)).toEqual([drafted]);
    expect(await list(`fromLocationId=${warehouse}&status=partially_received`)).toEqual([partly]);
    expect(await list(`toLocationId=${warehouse}&status=received`)).toEqual([back]);
    expect(await list(`sku=${cap}`)).toEqual([shipped]);
    expect(await list(`sku=${tee}&toLocationId=${other}`)).toEqual([partly]);
    expect(await list(`toLocationId=${uniqueName('nowhere')}`)).toEqual([]);

    const page = await ok('GET', `/transfers?fromLocationId=${warehouse}`);
    expect(page.next).toBeNull();
    for (const transfer of page.transfers)
      expect(transfer).toEqual(await ok('GET', `/transfers/${transfer.id}`));
    expect(page.transfers[2]).toMatchObject({
      status: 'partially_received',
      lines: [{ sku: tee, quantity: 5, received: 2 }],
    });
  });

  it('finds a transfer by a SKU that arrived without being on it', async () => {
    const [warehouse, store] = await places('warehouse', 'store');
    const [tee, extra] = [await product(), await product()];
    await stock(tee, warehouse!, 10);
    const id = await draft(warehouse!, store!, [{ sku: tee, quantity: 4 }]);
    await ship(id);
    expect(await list(`sku=${extra}`)).toEqual([]);
    await receive(id, [{ sku: extra, quantity: 1 }]);
    expect(await list(`sku=${extra}`)).toEqual([id]);
  });

  it('lists what has been in transit since before an instant: shipped, not closed', async () => {
    const [warehouse, store] = await places('warehouse', 'store');
    const sku = await product();
    await stock(sku, warehouse!, 100);
    const prefix = uniqueName('transit');
    const shipAt = async (suffix: string, at: string) => {
      erp().clock.set(at);
      const id = await draft(warehouse!, store!, [{ sku, quantity: 2 }], `${prefix}-${suffix}`);
      await ship(id);
      return id;
    };
    const early = await shipAt('a', '2026-11-03T08:00:00.000Z');
    const earlyPartly = await shipAt('b', '2026-11-03T09:00:00.000Z');
    const earlyReceived = await shipAt('c', '2026-11-03T10:00:00.000Z');
    const late = await shipAt('d', '2026-11-05T08:00:00.000Z');
    await receive(earlyPartly, [{ sku, quantity: 1 }]);
    await receive(earlyReceived, [{ sku, quantity: 2 }]);
    await draft(warehouse!, store!, [{ sku, quantity: 1 }]);

    const since = (at: string) => list(`toLocationId=${store}&shippedBefore=${encodeURIComponent(at)}`);
    // Strictly before the instant, offsets honoured; a draft (never shipped) and a received one are not listed.
    expect(await since('2026-11-03T10:00:00+02:00')).toEqual([]);
    expect(await since('2026-11-03T11:00:00.001+02:00')).toEqual([early, earlyPartly]);
    expect(await since('2026-11-05T08:00:00.000Z')).toEqual([early, earlyPartly]);
    expect(await since('2026-11-05T08:00:00.001Z')).toEqual([early, earlyPartly, late]);
    expect(await list(`toLocationId=${store}&status=received&shippedBefore=2026-11-06T00:00:00Z`)).toEqual(
      [],
    );
  });

  it('pages in id order through more than one page, neither skipping nor repeating under inserts', async () => {
    const [warehouse, store] = await places('warehouse', 'store');
    const sku = await product();
    const prefix = uniqueName('page');
    const ids = ['m', 'c', 'q', 'f', 'x', 'a', 'j'].map((suffix) => `${prefix}-${suffix}`);
    for (const id of ids) await draft(warehouse!, store!, [{ sku, quantity: 1 }], id);

    const seen: string[] = [];
    let after = '';
    let pages = 0;
    for (;;) {
      const page = await ok('GET', `/transfers?toLocationId=${store}&limit=3&after=${after}`);
      seen.push(...page.transfers.map((transfer: { id: string }) => transfer.id));
      pages += 1;
      if (pages === 1) {
        // Made while the list is read: one sorts before the cursor (it is new, nothing existing moves),
        // one after it (this listing will reach it).
        await draft(warehouse!, store!, [{ sku, quantity: 1 }], `${prefix}-b`);
        await draft(warehouse!, store!, [{ sku, quantity: 1 }], `${prefix}-k`);
      }
      if (page.next === null) break;
      after = page.next;
    }
    const expected = [...ids, `${prefix}-k`].sort();
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
    // Exactly one page's worth: no next page to ask for.
    const exact = await ok('GET', `/transfers?toLocationId=${store}&limit=9`);
    expect(exact.transfers.map((transfer: { id: string }) => transfer.id)).toEqual(
      [...expected, `${prefix}-b`].sort(),
    );
    expect(exact.next).toBeNull();
  });

  describe('refuses bad input with its code', () => {
    let transferId: string;
    beforeAll(async () => {
      const [warehouse, store] = await places('warehouse', 'store');
      transferId = await draft(warehouse!, store!, [{ sku: await product(), quantity: 1 }]);
    });

    it.each([
      ['an unknown status', 'status=lost', 'validation_failed'],
      ['a status that is a purchase order status', 'status=ordered', 'validation_failed'],
      ['a limit of 0', 'limit=0', 'validation_failed'],
      ['a limit above 500', 'limit=501', 'validation_failed'],
      ['a limit that is no number', 'limit=ten', 'validation_failed'],
      ['a fractional limit', 'limit=2.5', 'validation_failed'],
      ['a cursor naming no transfer', 'after=NO-SUCH-TRANSFER', 'invalid_cursor'],
      ['a cursor that could name none', 'after=%20bad%20', 'invalid_cursor'],
      ['a cursor too long', `after=${'x'.repeat(101)}`, 'validation_failed'],
      ['an unknown parameter', 'destinationId=S1', 'validation_failed'],
      ['a location id that cannot be one', 'toLocationId=a%20b', 'validation_failed'],
      ['a SKU that cannot be one', 'sku=-x', 'validation_failed'],
      ['an instant that is none', 'shippedBefore=yesterday', 'validation_failed'],
    ])('400 for %s', async (_name, query, code) => {
      expect(await call('GET', `/transfers?${query}`)).toMatchObject({ status: 400, body: { code } });
    });

    it('takes a cursor that names a transfer, whatever the filters', async () => {
      expect((await call('GET', `/transfers?after=${transferId}&status=received`)).status).toBe(200);
    });

    it('needs erp:read, and erp:read is enough', async () => {
      const get = async (scopes: Scope[]) => {
        const { secret } = await erp().apiKeys.create({ name: uniqueName('key'), scopes });
        const response = await erp().app.inject({
          method: 'GET',
          url: '/erp/v1/transfers',
          headers: { authorization: `Bearer ${secret}` },
        });
        return { status: response.statusCode, code: response.json().code };
      };
      expect(await get(['erp:read'])).toEqual({ status: 200, code: undefined });
      expect(await get(['pos:read'])).toEqual({ status: 403, code: 'insufficient_scope' });
    });
  });
});
