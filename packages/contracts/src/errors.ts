/**
 * The error catalogue: every stable `code` an API can answer with, its kind and a title. Clients branch on
 * `code`; titles are for people. A test checks that every code thrown in the source is listed here.
 *
 * The codes live in `errors/`, one file per area; the catalogue keeps their order (the docs list them so).
 */
import { REQUEST_ERRORS } from './errors/requests.js';
import { SALES_AND_STOCK_ERRORS } from './errors/sales-and-stock.js';
import { PRICING_ERRORS } from './errors/pricing.js';
import { INVENTORY_ERRORS } from './errors/inventory.js';
import { PURCHASING_ERRORS } from './errors/purchasing.js';
import { PAYABLES_ERRORS } from './errors/payables.js';
import { POS_ERRORS } from './errors/pos.js';
import { WEBHOOK_ERRORS } from './errors/webhooks.js';
import { STOREFRONT_ERRORS } from './errors/storefront.js';
import { ANALYTICS_ERRORS } from './errors/analytics.js';
import type { ErrorEntry } from './errors/entry.js';

export type { ErrorEntry, ErrorKind } from './errors/entry.js';

export const ERROR_CATALOG = {
  ...REQUEST_ERRORS,
  ...SALES_AND_STOCK_ERRORS,
  ...PRICING_ERRORS,
  ...INVENTORY_ERRORS,
  ...PURCHASING_ERRORS,
  ...PAYABLES_ERRORS,
  ...POS_ERRORS,
  ...WEBHOOK_ERRORS,
  ...STOREFRONT_ERRORS,
  ...ANALYTICS_ERRORS,
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
