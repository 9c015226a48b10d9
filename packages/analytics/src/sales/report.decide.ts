import { invalid } from '@tillstream/kernel';
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

/** The last row's key, as the opaque `next` of a page. */
export function encodeCursor(key: string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  if (
    !Array.isArray(key) ||
    key.length !== 4 ||
    !key.every((part) => typeof part === 'string' && !part.includes('\u0000'))
  )
    throw invalid('invalid_cursor', `${cursor} is not a cursor this report gave`);
  return key as string[];
}
