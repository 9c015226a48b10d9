import { gtin14, hasGtinCheckDigit } from '@tillstream/contracts';
import { invalid, packCursor, unpackCursor } from '@tillstream/kernel';

/** The figures of a product that a list filters and sorts on. */
export interface Listed {
  sku: string;
  name: string;
  kind: string;
  /** The web price, in minor units. */
  price: number;
  inStock: boolean;
  /** Its GTINs as GTIN-14s, the one form a scan in any other form is compared in. */
  gtin14s: readonly string[];
}

export const SORTS = ['sku', '-sku', 'name', '-name', 'price', '-price'] as const;
export type Sort = (typeof SORTS)[number];

export interface ListRequest {
  q?: string;
  /** A GTIN as scanned or typed: EAN-8, UPC-A, EAN-13 or GTIN-14. */
  gtin?: string;
  inStock?: boolean;
  kind?: 'standard' | 'kit';
  minPrice?: number;
  maxPrice?: number;
  sort: Sort;
  limit: number;
  cursor?: string;
}

/** Where the previous page ended: the sort value and SKU of its last product. */
interface Position {
  value: string | number;
  sku: string;
}

export interface ListQuery extends Omit<ListRequest, 'cursor' | 'q'> {
  /** Lower-cased search text. */
  q?: string;
  /** The GTIN asked for, as a GTIN-14. */
  gtin?: string;
  after: Position | null;
  /** Equal for two queries exactly when they ask for the same page: the cache key of the page. */
  key: string;
}

const field = (sort: Sort) => (sort.startsWith('-') ? sort.slice(1) : sort) as 'sku' | 'name' | 'price';

/** The value a product sorts by; names case-insensitively, so "apple" and "Apple" sit together. */
export function sortValue(item: Listed, sort: Sort): string | number {
  const by = field(sort);
  return by === 'price' ? item.price : by === 'name' ? item.name.toLowerCase() : item.sku;
}

const order = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** A total order for each sort: the sort value (descending for `-field`), then SKU ascending. */
export function comparePositions(left: Position, right: Position, sort: Sort): number {
  const byValue = order(left.value, right.value);
  if (byValue !== 0) return sort.startsWith('-') ? -byValue : byValue;
  return order(left.sku, right.sku);
}

/**
 * The cursor is opaque to clients: the sort it was made for and the last position, base64url-encoded JSON.
 * Paging by position rather than offset keeps pages stable while products are added or change stock.
 */
export function encodeCursor(sort: Sort, position: Position): string {
  return packCursor([sort, position.value, position.sku]);
}

export function decodeCursor(cursor: string, sort: Sort): Position {
  const decoded = unpackCursor(cursor);
  const [madeFor, value, sku] = decoded ?? [];
  const valueType = field(sort) === 'price' ? 'number' : 'string';
  if (decoded?.length !== 3 || madeFor !== sort || typeof value !== valueType || typeof sku !== 'string')
    throw invalid('invalid_cursor', 'The cursor is not one this list handed out for this sort');
  return { value: value as string | number, sku };
}

/**
 * A GTIN asked for, as the GTIN-14 it compares in: UPC-A 036000291452 and EAN-13 0036000291452 are one number
 * (GS1), so either finds a product ERP was given the other for. A code that cannot be a GTIN (length, digits,
 * check digit) is refused rather than answered with an empty list, which would read as "not sold here".
 */
export function parseGtin(code: string): string {
  if (!hasGtinCheckDigit(code))
    throw invalid(
      'invalid_barcode',
      `${code} is not a GTIN: EAN-8, UPC-A, EAN-13 or GTIN-14 digits with a right check digit`,
      { barcodes: [code] },
    );
  return gtin14(code);
}

/**
 * Checks what the route schema cannot (the price range, the cursor, the GTIN) and normalizes the search text
 * and the GTIN. Fields are copied one by one: a rest/spread copy of the parsed query string took V8's slow
 * path, and with the key made by JSON.stringify cost a tenth of a cached page read.
 */
export function parseListRequest(request: ListRequest): ListQuery {
  const { q, gtin, inStock, kind, minPrice, maxPrice, sort, limit, cursor } = request;
  if (minPrice !== undefined && maxPrice !== undefined && minPrice > maxPrice)
    throw invalid('invalid_price_range', `minPrice ${minPrice} is above maxPrice ${maxPrice}`);
  const search = q?.trim().toLowerCase() || undefined;
  const scanned = gtin === undefined ? undefined : parseGtin(gtin);
  return {
    q: search,
    gtin: scanned,
    inStock,
    kind,
    minPrice,
    maxPrice,
    sort,
    limit,
    after: cursor === undefined ? null : decodeCursor(cursor, sort),
    // The search text goes last: it is the only part that may hold the separator.
    key: `${sort}|${limit}|${inStock}|${kind}|${minPrice}|${maxPrice}|${scanned ?? ''}|${cursor ?? ''}|${search ?? ''}`,
  };
}

/**
 * Whether a product passes every filter: a GTIN it carries, text in its SKU or name (case-insensitive), stock,
 * kind, price.
 */
export function matches(item: Listed, query: ListQuery): boolean {
  if (query.gtin !== undefined && !item.gtin14s.includes(query.gtin)) return false;
  if (query.inStock !== undefined && item.inStock !== query.inStock) return false;
  if (query.kind !== undefined && item.kind !== query.kind) return false;
  if (query.minPrice !== undefined && item.price < query.minPrice) return false;
  if (query.maxPrice !== undefined && item.price > query.maxPrice) return false;
  if (query.q !== undefined)
    return item.sku.toLowerCase().includes(query.q) || item.name.toLowerCase().includes(query.q);
  return true;
}

/** Sorts a list of products for one sort order (done once per change, not per request). */
export function sortListed<T extends Listed>(items: Iterable<T>, sort: Sort): T[] {
  const keyed = [...items].map((item) => ({
    item,
    position: { value: sortValue(item, sort), sku: item.sku },
  }));
  keyed.sort((left, right) => comparePositions(left.position, right.position, sort));
  return keyed.map((entry) => entry.item);
}

/**
 * One page of an already sorted list: the products after the cursor's position that pass the filters, and
 * the cursor of the next page (null on the last one). The start is found by binary search.
 */
export function selectPage<T extends Listed>(
  sorted: readonly T[],
  query: ListQuery,
): { items: T[]; next: string | null } {
  let start = 0;
  if (query.after) {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const item = sorted[middle]!;
      const position = { value: sortValue(item, query.sort), sku: item.sku };
      if (comparePositions(position, query.after, query.sort) <= 0) low = middle + 1;
      else high = middle;
    }
    start = low;
  }
  const items: T[] = [];
  let more = false;
  for (let index = start; index < sorted.length; index += 1) {
    const item = sorted[index]!;
    if (!matches(item, query)) continue;
    if (items.length === query.limit) {
      more = true;
      break;
    }
    items.push(item);
  }
  const last = items[items.length - 1];
  return {
    items,
    next:
      more && last ? encodeCursor(query.sort, { value: sortValue(last, query.sort), sku: last.sku }) : null,
  };
}
