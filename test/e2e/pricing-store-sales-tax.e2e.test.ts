import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEventContract } from '@tillstream/contracts';
import { ENGINES } from '../support/engines.js';
import { eventually, type TestPlatform } from '../support/platform.js';
import { hubEvents } from '../support/fixtures.js';
import {
  mismatchesOf,
  postSale,
  putStoreTaxRate,
  seedPriced as seed,
  startPricingPlatform,
  storeSale,
} from '../support/pricing.js';
import { schemaAjv as ajv } from '../support/schemas.js';

/** ERP's price check of the tax a till states, added on top of its prices or inside them. */
describe.each(ENGINES)('store sales priced again on arrival: their tax (%s)', (engine) => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPricingPlatform(engine);
  });
  afterAll(async () => platform?.stop());

  it('a store sale with the wrong tax added on top raises tax_differs; the right tax raises nothing', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    await putStoreTaxRate(platform, storeId, { ratePpm: 80_000, inclusive: false });
    const line = { sku: skus.A, quantity: 1, unitPrice: 1000 };
    const right = storeSale(storeId, [{ ...line, tax: { ratePpm: 80_000, amount: 80 } }], {});
    const untaxed = storeSale(storeId, [line], {});
    const low = storeSale(storeId, [{ ...line, tax: { ratePpm: 10_000, amount: 10 } }], {});
    for (const sale of [right, untaxed, low]) await postSale(platform, sale);

    const found = await eventually(
      async () => {
        const [first] = await mismatchesOf(platform, untaxed.id);
        const [second] = await mismatchesOf(platform, low.id);
        return first && second ? [first, second] : null;
      },
      20_000,
      'ERP lists both sales taxed wrong',
    );
    const taxDiffers = (actualTotal: number, actualTax: { ratePpm: number; amount: number }) => ({
      reason: 'tax_differs',
      referenceSnapshotVersion: null,
      expectedTotal: 1080,
      actualTotal,
      lines: [
        {
          lineNo: 1,
          sku: skus.A,
          expectedUnitPrice: 1000,
          actualUnitPrice: 1000,
          expectedLineTotal: 1000,
          actualLineTotal: 1000,
          expectedTax: { ratePpm: 80_000, amount: 80 },
          actualTax,
        },
      ],
    });
    expect(found).toMatchObject([
      taxDiffers(1000, { ratePpm: 0, amount: 0 }),
      taxDiffers(1010, { ratePpm: 10_000, amount: 10 }),
    ]);
    expect(await mismatchesOf(platform, right.id)).toEqual([]);
    const event = await eventually(
      async () =>
        (await hubEvents(platform, 'erp.price.mismatch_detected')).find(
          (candidate) => candidate.data.saleId === low.id,
        ),
      20_000,
      'the hub lists the mismatch event',
    );
    expect(ajv.validate(findEventContract('erp.price.mismatch_detected')!.dataSchema, event.data)).toBe(true);
  });

  it('where prices include tax, a till stating another tax inside them, or adding one on top, raises tax_differs', async () => {
    const { storeId, skus } = await seed(platform, { A: 1000 });
    await putStoreTaxRate(platform, storeId, { ratePpm: 210_000, inclusive: true });
    // 10.00 at 21 % holds 1.74; at an old 19 %, 1.60.
    const line = { sku: skus.A, quantity: 1, unitPrice: 1000 };
    const right = storeSale(storeId, [{ ...line, includedTax: { ratePpm: 210_000, amount: 174 } }], {});
    const oldRate = storeSale(storeId, [{ ...line, includedTax: { ratePpm: 190_000, amount: 160 } }], {});
    const onTop = storeSale(storeId, [{ ...line, tax: { ratePpm: 210_000, amount: 210 } }], {});
    for (const sale of [right, oldRate, onTop]) await postSale(platform, sale);

    const found = await eventually(
      async () => {
        const [first] = await mismatchesOf(platform, oldRate.id);
        const [second] = await mismatchesOf(platform, onTop.id);
        return first && second ? [first, second] : null;
      },
      20_000,
      'ERP lists both sales taxed wrong',
    );
    const expectedIncludedTax = { ratePpm: 210_000, amount: 174 };
    expect(found).toMatchObject([
      {
        reason: 'tax_differs',
        expectedTotal: 1000,
        actualTotal: 1000,
        lines: [
          {
            lineNo: 1,
            expectedTax: { ratePpm: 0, amount: 0 },
            actualTax: { ratePpm: 0, amount: 0 },
            expectedIncludedTax,
            actualIncludedTax: { ratePpm: 190_000, amount: 160 },
          },
        ],
      },
      {
        reason: 'tax_differs',
        expectedTotal: 1000,
        actualTotal: 1210,
        lines: [{ lineNo: 1, actualTax: { ratePpm: 210_000, amount: 210 }, expectedIncludedTax }],
      },
    ]);
    expect(await mismatchesOf(platform, right.id)).toEqual([]);
  });
});
