import type { ErrorEntry } from './entry.js';

/** Errors of locations, products, stock adjustments and store sales (the first flow, POS → ERP → eCommerce). */
export const SALES_AND_STOCK_ERRORS = {
  location_not_found: {
    kind: 'not_found',
    title: 'Unknown location',
    description: 'No location has this id.',
  },
  product_not_found: { kind: 'not_found', title: 'Unknown product', description: 'No product has this SKU.' },
  invalid_cursor: {
    kind: 'invalid',
    title: 'Invalid page cursor',
    description:
      'The page cursor (`after`, or `cursor` where a list names it so) is not one this API handed out: it names ' +
      'nothing, or was made for another sort. Start again without it.',
  },
  invalid_price_range: {
    kind: 'invalid',
    title: 'Invalid price range',
    description: '`minPrice` is greater than `maxPrice`.',
  },
  unknown_sku: {
    kind: 'unprocessable',
    title: 'Unknown SKU in request',
    description: 'A line names a SKU the catalog does not know; `skus` lists them.',
  },
  invalid_barcode: {
    kind: 'invalid',
    title: 'Not a valid barcode',
    description:
      'A barcode is not a GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) with a right check digit, or the product lists ' +
      'the same GTIN twice (UPC-A and EAN-13 forms included); `barcodes` lists them.',
  },
  barcode_in_use: {
    kind: 'conflict',
    title: 'Barcode of another product',
    description:
      'The barcode (`barcode`) is already another product’s (`sku`): a scan must find one product. Take it off ' +
      'that product first.',
  },
  product_not_for_sale: {
    kind: 'unprocessable',
    title: 'Product not for sale online',
    description:
      'A cart line or an online reservation names a `draft` or `archived` product; `skus` lists them. Remove ' +
      'them from the cart (a paid order keeps its goods; stores may still sell off what they hold).',
  },
  unknown_location: {
    kind: 'unprocessable',
    title: 'Unknown location in request',
    description: 'The request names a location that does not exist.',
  },
  location_kind_mismatch: {
    kind: 'unprocessable',
    title: 'Wrong kind of location',
    description: 'A store was required (e.g. a sale at a warehouse).',
  },
  location_kind_change: {
    kind: 'conflict',
    title: 'Location kind cannot change',
    description: 'A location keeps its kind once created.',
  },
  adjustment_id_conflict: {
    kind: 'conflict',
    title: 'Adjustment id reused',
    description: 'An adjustment with this id exists with different content.',
  },
  payment_mismatch: {
    kind: 'unprocessable',
    title: 'Payments do not cover the total',
    description:
      'The sum of payments must equal the sale total (plus its `cashRounding`, when it states one).',
  },
  duplicate_line: {
    kind: 'invalid',
    title: 'Duplicate line',
    description:
      'The same SKU appears on two lines where one is expected (on a supplier payment: the same invoice, `invoiceIds`).',
  },
  kit_cycle: {
    kind: 'invalid',
    title: 'Kit cycle',
    description: 'A kit cannot contain itself, directly or through another kit.',
  },
  adjustment_below_zero: {
    kind: 'conflict',
    title: 'Adjustment would make stock negative',
    description:
      'A deliberate adjustment may not take on-hand below zero (only store sales, which are physical fact, may).',
  },
  unit_cost_not_applicable: {
    kind: 'unprocessable',
    title: 'Unit cost on an adjustment that receives nothing',
    description:
      'A `unitCost` values goods received: give it only with reason `received` and a positive delta. Other ' +
      'adjustments move units at the SKU’s moving average cost.',
  },
  terminal_store_mismatch: {
    kind: 'conflict',
    title: 'Terminal belongs to another store',
    description: 'A terminal is registered to one store; post its sales with that store id.',
  },
  sale_not_found: { kind: 'not_found', title: 'Unknown sale', description: 'No sale has this id.' },
  id_conflict: {
    kind: 'conflict',
    title: 'Id already used with another body',
    description:
      'A document (sale, reservation, transfer, purchase order, receipt, count, return) with this id exists ' +
      'with different content; a retry must resend the same body.',
  },
} as const satisfies Record<string, ErrorEntry>;
