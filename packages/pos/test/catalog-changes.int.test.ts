import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceLocation, announceProduct, pgUrl, posApi, startPos } from './pos-rig.js';

interface CatalogAnswer {
  products: Array<{
    sku: string;
    name: string;
    price: { amount: number; currency: string };
    barcodes: string[];
    status: 'draft' | 'active' | 'archived';
  }>;
  revision: number;
}

describe.each(harnessDialects(pgUrl))(
  'a till asks for the catalog changed since its revision on %s',
  (dialect) => {
    let pos: ContextHarness;
    const call = posApi(() => pos);
    const changesSince = async (since: number) => {
      const answer = await call('GET', `/catalog/changes?since=${since}`);
      expect(answer.status).toBe(200);
      return answer.body as CatalogAnswer;
    };

    beforeAll(async () => {
      pos = await startPos(dialect);
      for (const sku of ['b-2', 'B-1', 'A-9']) await announceProduct(pos, sku, 500);
    });
    afterAll(async () => pos?.close());

    it('sends only the products changed since, and nothing more once it holds the latest revision', async () => {
      const whole = (await call('GET', '/catalog')).body as CatalogAnswer;
      // Code-unit order on every engine: upper case before lower.
      expect(whole.products.map((product) => product.sku)).toEqual(['A-9', 'B-1', 'b-2']);
      expect(whole.revision).toBeGreaterThanOrEqual(3);

      await announceProduct(pos, 'B-1', 650, 2);
      // Its barcode travels to the tills, so a scan finds it offline.
      await announceProduct(pos, 'C-1', 100, 1, { barcodes: ['4006381333931'] });
      const changes = await changesSince(whole.revision);
      expect(changes.products).toEqual([
        // Events from before statuses carry none: every product then was for sale.
        {
          sku: 'B-1',
          name: 'Product B-1',
          price: { amount: 650, currency: 'EUR' },
          barcodes: [],
          status: 'active',
        },
        {
          sku: 'C-1',
          name: 'Product C-1',
          price: { amount: 100, currency: 'EUR' },
          barcodes: ['4006381333931'],
          status: 'active',
        },
      ]);
      expect(changes.revision).toBeGreaterThan(whole.revision);
      expect(await changesSince(changes.revision)).toEqual({ products: [], revision: changes.revision });
    });

    it('does not send a product again for an older version it did not apply', async () => {
      const { revision } = (await call('GET', '/catalog')).body as CatalogAnswer;
      await announceProduct(pos, 'B-1', 1, 1);
      expect((await changesSince(revision)).products).toEqual([]);
    });

    it('answers a revision newer than POS has with 410 catalog_revision_unknown, and a malformed one with 400', async () => {
      const { revision } = (await call('GET', '/catalog')).body as CatalogAnswer;
      expect(await call('GET', `/catalog/changes?since=${revision + 100}`)).toMatchObject({
        status: 410,
        body: { code: 'catalog_revision_unknown' },
      });
      for (const since of ['-1', 'x', '1.5', '']) {
        expect(await call('GET', `/catalog/changes?since=${since}`)).toMatchObject({
          status: 400,
          body: { code: 'validation_failed' },
        });
      }
    });
  },
);

describe.each(harnessDialects(pgUrl))(
  'a till learns from the catalog which products ERP archived on %s',
  (dialect) => {
    let pos: ContextHarness;
    const call = posApi(() => pos);
    const readCatalog = async (ifNoneMatch?: string) => {
      const answer = await pos.app.inject({
        method: 'GET',
        url: '/pos/v1/catalog',
        headers: {
          authorization: `Bearer ${pos.adminKey}`,
          ...(ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch }),
        },
      });
      return { status: answer.statusCode, etag: answer.headers.etag as string, body: answer.json() };
    };
    const statusIn = (answer: CatalogAnswer, sku: string) =>
      answer.products.find((product) => product.sku === sku)?.status;
    const changesSince = async (since: number) =>
      (await call('GET', `/catalog/changes?since=${since}`)).body as CatalogAnswer;

    beforeAll(async () => {
      pos = await startPos(dialect);
      await announceLocation(pos, 'S1');
      await announceProduct(pos, 'OLD-1', 500, 1, { status: 'active' });
      await announceProduct(pos, 'NEW-1', 700, 1, { status: 'draft' });
    });
    afterAll(async () => pos?.close());

    it('sends an archived product with its status, in the catalog and its changes, under a new ETag', async () => {
      const before = await readCatalog();
      expect(statusIn(before.body, 'OLD-1')).toBe('active');
      expect(statusIn(before.body, 'NEW-1')).toBe('draft');

      // Only the status changed: ERP still publishes it one version up.
      await announceProduct(pos, 'OLD-1', 500, 2, { status: 'archived' });
      const after = await readCatalog(before.etag);
      expect(after.status).toBe(200);
      expect(after.etag).not.toBe(before.etag);
      expect(statusIn(after.body, 'OLD-1')).toBe('archived');
      const changes = await changesSince(before.body.revision);
      expect(changes.products).toEqual([
        {
          sku: 'OLD-1',
          name: 'Product OLD-1',
          price: { amount: 500, currency: 'EUR' },
          barcodes: [],
          status: 'archived',
        },
      ]);

      // A late redelivery of the older version changes nothing, and is not sent again.
      await announceProduct(pos, 'OLD-1', 500, 1, { status: 'active' });
      expect((await changesSince(changes.revision)).products).toEqual([]);
      expect((await readCatalog(after.etag)).status).toBe(304);

      await announceProduct(pos, 'OLD-1', 500, 3, { status: 'active' });
      const reactivated = await changesSince(changes.revision);
      expect(reactivated.products.map((product) => [product.sku, product.status])).toEqual([
        ['OLD-1', 'active'],
      ]);
      const latest = await readCatalog(after.etag);
      expect(latest.status).toBe(200);
      expect(statusIn(latest.body, 'OLD-1')).toBe('active');
    });

    it('still accepts a sale of an archived product, posted online or synced from offline', async () => {
      await announceProduct(pos, 'GONE-1', 400, 1, { status: 'active' });
      await announceProduct(pos, 'GONE-1', 400, 2, { status: 'archived' });
      const sale = (terminalId: string) => ({
        id: uuidv7(),
        storeId: 'S1',
        terminalId,
        occurredAt: '2026-11-01T10:00:00Z',
        currency: 'EUR',
        lines: [{ sku: 'GONE-1', quantity: 1, unitPrice: 400 }],
        payments: [{ method: 'cash', amount: 400 }],
      });

      const online = sale(`T-online-${dialect}`);
      expect((await call('POST', '/sales', online)).status).toBe(201);
      const offline = sale(`T-offline-${dialect}`);
      const synced = await call('POST', '/sync', {
        terminalId: offline.terminalId,
        transactions: [{ type: 'sale', ...offline }],
      });
      expect(synced.body.results).toMatchObject([{ id: offline.id, status: 'accepted' }]);

      const completed = (await pos.published())
        .filter((event) => event.type === 'pos.sale.completed')
        .map((event) => (event.data as { saleId: string }).saleId);
      expect(completed).toEqual(expect.arrayContaining([online.id, offline.id]));
    });
  },
);
