import { describe, expect, it } from 'vitest';
import { buildView, type ProjectedProduct } from './catalog.view.js';

const tee: ProjectedProduct = {
  sku: 'TEE',
  name: 'Tee',
  kind: 'standard',
  price: { amount: 1500, currency: 'EUR' },
  backorderable: false,
  components: null,
  status: 'active',
  gtins: ['4006381333931'],
};
const base = { price: tee.price, compareAtPrice: null };

describe('product views', () => {
  it('serializes once, with the ETag also as the version', () => {
    const cached = buildView(tee, 3, base);
    expect(JSON.parse(cached.json)).toEqual({ ...cached.view });
    expect(cached.etag).toBe(`"${cached.view.version}"`);
    expect(cached.view).toMatchObject({ available: 3, inStock: true, compareAtPrice: null });
  });

  it.each([
    ['availability', () => buildView(tee, 4, base)],
    [
      'price',
      () => buildView(tee, 3, { price: { amount: 1200, currency: 'EUR' }, compareAtPrice: tee.price }),
    ],
    ['name', () => buildView({ ...tee, name: 'Tee 2' }, 3, base)],
    ['backorderability', () => buildView({ ...tee, backorderable: true }, 3, base)],
    ['GTINs', () => buildView({ ...tee, gtins: ['4006381333931', '036000291452'] }, 3, base)],
    ['GTINs cleared', () => buildView({ ...tee, gtins: [] }, 3, base)],
  ])('changes its ETag with the %s, and only then', (_name, changed) => {
    const before = buildView(tee, 3, base);
    expect(buildView(tee, 3, base).etag).toBe(before.etag);
    expect(changed().etag).not.toBe(before.etag);
  });

  it('shows a kit its components', () => {
    const kit = { ...tee, kind: 'kit' as const, components: [{ sku: 'A', quantity: 2 }] };
    expect(buildView(kit, 0, base).view.components).toEqual([{ sku: 'A', quantity: 2 }]);
    expect(buildView(tee, 0, base).view).not.toHaveProperty('components');
  });

  it('shows the GTINs as ERP holds them, and an empty list when there are none', () => {
    expect(buildView(tee, 0, base).view.gtins).toEqual(['4006381333931']);
    expect(JSON.parse(buildView({ ...tee, gtins: [] }, 0, base).json).gtins).toEqual([]);
  });
});
