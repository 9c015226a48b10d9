import { invalid, unpackCursor } from '@tillstream/kernel';
import type { SalesFigures } from './sales.decide.js';
import type { RateFigures } from './tax-rates.decide.js';

/**
 * A report row as the API shows it: the stored sums and what follows from them. `period` is the instant its
 * bucket starts, in the offset of the report's zone; `key` is the row's key in the store.
 */
export function salesRow(period: string, key: string[], figures: SalesFigures, taxByRate: RateFigures[]) {
  const [, channel = '', locationId = '', currency = ''] = key;
  return {
    period,
    channel,
    locationId: locationId === '' ? null : locationId,
    currency,
    ...figures,
    netAfterReturns: figures.net - figures.returns,
    averageBasket: averageBasket(figures.net, figures.transactions),
    taxByRate,
  };
}

/** Net per transaction, rounded half up to the minor unit; null for a bucket without sales. */
export function averageBasket(net: number, transactions: number): number | null {
  if (transactions === 0) return null;
  return Math.floor((2 * net + transactions) / (2 * transactions));
}

/**
 * The row key a page's `next` (the last row's key, packed) names. Its period must start one of the report's
 * buckets (`bucketStarts`): a forged one, or one of a report asked for another period or zone, would skip
 * rows in silence where the caller should hear 400.
 */
export function decodeCursor(cursor: string, bucketStarts: readonly string[]): string[] {
  const key = unpackCursor(cursor);
  if (
    !key ||
    key.length !== 4 ||
    !key.every((part) => typeof part === 'string') ||
    !bucketStarts.includes(key[0] as string)
  )
    throw invalid('invalid_cursor', `${cursor.slice(0, 100)} is not a cursor this report gave`);
  return key as string[];
}
