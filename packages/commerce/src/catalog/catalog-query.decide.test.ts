import { describe, expect, it } from 'vitest';
import { gtin14 } from '@tillstream/contracts';
import {
  decodeCursor,
  encodeCursor,
  matches,
  parseListRequest,
  selectPage,
  sortListed,
  type ListRequest,
  type Listed,
  type Sort,
} from './catalog-query.decide.js';

/** The GTIN-14s of GTINs as ERP was given them, as the catalog cache keeps them. */
const as14 = (...gtins: string[]) => gtins.map(gtin14);

const products: Listed[] = [
  {
    sku: 'TEE-1',
    name: 'Blue tee',
    kind: 'standard',
    price: 1500,
    inStock: true,
    gtin14s: as14('4006381333931'),
  },
  { sku: 'TEE-2', name: 'apple tee', kind: 'standard', price: 900, inStock: false, gtin14s: [] },
  { sku: 'KIT-1', name: 'Tee trio', kind: 'kit', price: 3900, inStock: true, gtin14s: [] },
  { sku: 'MUG-1', name: 'Mug', kind: 'standard', price: 900, inStock: true, gtin14s: as14('036000291452') },
  {
    sku: 'CAP-1',
    name: 'Cap',
    kind: 'standard',
    price: 1200,
    inStock: true,
    gtin14s: as14('96385074', '10036000291459'),
  },
];

const query = (request: Partial<ListRequest> = {}) =>
  parseListRequest({ sort: 'sku', limit: 50, ...request });
const skusOf = (request: Partial<ListRequest>) => {
  const parsed = query(request);
  return selectPage(sortListed(products, parsed.sort), parsed).items.map((item) => item.sku);
};

describe('storefront list queries', () => {
  it.each<[string, Partial<ListRequest>, string[]]>([
    ['sorts by SKU', {}, ['CAP-1', 'KIT-1', 'MUG-1', 'TEE-1', 'TEE-2']],
    ['by SKU descending', { sort: '-sku' }, ['TEE-2', 'TEE-1', 'MUG-1', 'KIT-1', 'CAP-1']],
    ['by name, case-insensitively', { sort: 'name' }, ['TEE-2', 'TEE-1', 'CAP-1', 'MUG-1', 'KIT-1']],
    ['by price, ties by SKU', { sort: 'price' }, ['MUG-1', 'TEE-2', 'CAP-1', 'TEE-1', 'KIT-1']],
    ['by price descending, ties by SKU', { sort: '-price' }, ['KIT-1', 'TEE-1', 'CAP-1', 'MUG-1', 'TEE-2']],
    ['searches names and SKUs, any case', { q: 'TEE' }, ['KIT-1', 'TEE-1', 'TEE-2']],
    ['searches SKUs', { q: 'mug-' }, ['MUG-1']],
    ['filters what is in stock', { inStock: true }, ['CAP-1', 'KIT-1', 'MUG-1', 'TEE-1']],
    ['filters what is not', { inStock: false }, ['TEE-2']],
    ['filters by kind', { kind: 'kit' }, ['KIT-1']],
    [
      'filters by price range, bounds included',
      { minPrice: 900, maxPrice: 1200 },
      ['CAP-1', 'MUG-1', 'TEE-2'],
    ],
    ['combines filters', { q: 'tee', inStock: true, maxPrice: 2000 }, ['TEE-1']],
    ['blank search matches all', { q: '  ' }, ['CAP-1', 'KIT-1', 'MUG-1', 'TEE-1', 'TEE-2']],
  ])('%s', (_name, request, expected) => {
    expect(skusOf(request)).toEqual(expected);
  });

  it.each<Sort>(['sku', '-sku', 'name', '-name', 'price', '-price'])(
    'pages through everything exactly once sorted by %s',
    (sort) => {
      const sorted = sortListed(products, sort);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const result = selectPage(sorted, query({ sort, limit: 2, ...(cursor ? { cursor } : {}) }));
        seen.push(...result.items.map((item) => item.sku));
        if (!result.next) break;
        cursor = result.next;
      }
      expect(seen).toEqual(sorted.map((item) => item.sku));
    },
  );

  it('keeps its place when a product is added before the cursor', () => {
    const first = selectPage(sortListed(products, 'sku'), query({ limit: 2 }));
    expect(first.items.map((item) => item.sku)).toEqual(['CAP-1', 'KIT-1']);
    const grown = sortListed(
      [...products, { sku: 'BAG-1', name: 'Bag', kind: 'standard', price: 100, inStock: true, gtin14s: [] }],
      'sku',
    );
    const second = selectPage(grown, query({ limit: 2, cursor: first.next! }));
    expect(second.items.map((item) => item.sku)).toEqual(['MUG-1', 'TEE-1']);
  });

  it('the last page has no next cursor, and filtered pages skip what does not match', () => {
    const page = selectPage(sortListed(products, 'sku'), query({ inStock: false, limit: 1 }));
    expect(page).toMatchObject({ items: [{ sku: 'TEE-2' }], next: null });
  });

  it('round-trips a cursor for its sort only', () => {
    const cursor = encodeCursor('price', { value: 900, sku: 'MUG-1' });
    expect(decodeCursor(cursor, 'price')).toEqual({ value: 900, sku: 'MUG-1' });
    expect(() => decodeCursor(cursor, 'name')).toThrowError(
      expect.objectContaining({ code: 'invalid_cursor' }),
    );
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['JSON of another shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a price that is text', Buffer.from('["price","9","A"]').toString('base64url')],
  ])('refuses a cursor that is %s', (_name, cursor) => {
    expect(() => query({ sort: 'price', cursor })).toThrowError(
      expect.objectContaining({ code: 'invalid_cursor' }),
    );
  });

  it('refuses a price range upside down', () => {
    expect(() => query({ minPrice: 500, maxPrice: 100 })).toThrowError(
      expect.objectContaining({ code: 'invalid_price_range' }),
    );
  });

  it('matches on the normalized text', () => {
    expect(matches(products[0]!, query({ q: 'BLUE' }))).toBe(true);
    expect(matches(products[0]!, query({ q: 'red' }))).toBe(false);
  });

  it('keys a page by everything that shapes it, and only by that', () => {
    const cursor = encodeCursor('price', { value: 900, sku: 'MUG-1' });
    expect(query({ q: '  Tee ' }).key).toBe(query({ q: 'tee' }).key);
    expect(query({ q: '' }).key).toBe(query({}).key);
    const variants: Array<Partial<ListRequest>> = [
      {},
      { q: 'tee' },
      { inStock: true },
      { inStock: false },
      { kind: 'kit' },
      { minPrice: 100 },
      { gtin: '036000291452' },
      { gtin: '4006381333931' },
      { maxPrice: 100 },
      { sort: 'price' },
      { sort: 'price', cursor },
      { limit: 20 },
      // Free text holding the separator.
      { q: 'x|true' },
      { q: 'x', inStock: true },
    ];
    const keys = variants.map((request) => query(request).key);
    expect(new Set(keys).size).toBe(variants.length);
  });

  it('keys a GTIN by its number, whichever form was asked for', () => {
    expect(query({ gtin: '036000291452' }).key).toBe(query({ gtin: '0036000291452' }).key);
    expect(query({ gtin: '036000291452' }).gtin).toBe('00036000291452');
  });
});

describe('finding products by GTIN', () => {
  it.each<[string, string, string[]]>([
    ['a UPC-A as ERP holds it', '036000291452', ['MUG-1']],
    ['the same number scanned as EAN-13', '0036000291452', ['MUG-1']],
    ['the same number as GTIN-14', '00036000291452', ['MUG-1']],
    ['an EAN-13', '4006381333931', ['TEE-1']],
    ['an EAN-13 as GTIN-14', '04006381333931', ['TEE-1']],
    ['an EAN-8', '96385074', ['CAP-1']],
    ['an EAN-8 as GTIN-14', '00000096385074', ['CAP-1']],
    // Packaging indicator 1: a case of the mugs' number is another trade item, not the mug.
    ['a GTIN-14 of another packaging level', '10036000291459', ['CAP-1']],
    ['a GTIN no product carries', '5901234123457', []],
  ])('finds %s', (_name, gtin, expected) => {
    expect(skusOf({ gtin })).toEqual(expected);
  });

  it('combines with the other filters', () => {
    expect(skusOf({ gtin: '036000291452', inStock: true })).toEqual(['MUG-1']);
    expect(skusOf({ gtin: '036000291452', inStock: false })).toEqual([]);
    expect(skusOf({ gtin: '036000291452', q: 'tee' })).toEqual([]);
  });

  it.each([
    ['too short', '0360002914'],
    ['too long', '000036000291452'],
    ['of 9 digits (no GTIN length)', '963850742'],
    ['with a letter', '03600029145A'],
    ['with a space', '036000 291452'],
    ['with a wrong check digit', '036000291453'],
    ['an EAN-13 with a wrong check digit', '4006381333932'],
    ['empty', ''],
  ])('refuses a GTIN %s with invalid_barcode, naming it', (_name, gtin) => {
    expect(() => query({ gtin })).toThrowError(
      expect.objectContaining({ code: 'invalid_barcode', extensions: { barcodes: [gtin] } }),
    );
  });
});
