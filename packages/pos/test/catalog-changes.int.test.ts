import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessDialects, type ContextHarness } from '@tillstream/kernel/testing';
import { announceProduct, pgUrl, posApi, startPos } from './pos-rig.js';

interface CatalogAnswer {
  products: Array<{
    sku: string;
    name: string;
    price: { amount: number; currency: string };
    barcodes: string[];
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
        { sku: 'B-1', name: 'Product B-1', price: { amount: 650, currency: 'EUR' }, barcodes: [] },
        {
          sku: 'C-1',
          name: 'Product C-1',
          price: { amount: 100, currency: 'EUR' },
          barcodes: ['4006381333931'],
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
