import { describe, expect, it } from 'vitest';
import { mergeCatalogChanges } from './catalog.merge.js';

const item = (sku: string, amount = 100) => ({ sku, name: sku, price: { amount, currency: 'EUR' } });

describe('merging catalog changes into the catalog a till holds', () => {
  it('replaces a changed product where it stands and leaves the rest as they were', () => {
    const held = [item('A'), item('B'), item('C')];
    const merged = mergeCatalogChanges(held, [item('B', 250)]);
    expect(merged).toEqual([item('A'), item('B', 250), item('C')]);
    expect(merged[0]).toBe(held[0]);
  });

  it('puts new products in SKU order by code unit, as POS sends the whole catalog', () => {
    const merged = mergeCatalogChanges([item('B'), item('b')], [item('a', 5), item('9'), item('B', 7)]);
    expect(merged.map((product) => product.sku)).toEqual(['9', 'B', 'a', 'b']);
    expect(merged[1]).toEqual(item('B', 7));
  });

  it('changes nothing for no changes', () => {
    const held = [item('A')];
    expect(mergeCatalogChanges(held, [])).toEqual(held);
  });
});
