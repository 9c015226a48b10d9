import type { Migration } from '@tillstream/kernel';

/** The code points JavaScript's `\s` matches: what `sameInvoiceNumber` takes out of a number. */
const WHITESPACE = [
  9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232,
  8233, 8239, 8287, 12288, 65279,
];

/** `sameInvoiceNumber` in SQL: every such space taken out, then upper case (`charOf`: the dialect's CHAR()). */
const numberKey = (column: string, charOf: 'char' | 'chr') =>
  `UPPER(${WHITESPACE.reduce((sql, code) => `REPLACE(${sql}, ${charOf}(${code}), '')`, column)})`;

/**
 * Every number each supplier's invoices were entered under so far, purchase order invoices and bills alike, the
 * first to take it holding it. Bills kept their key; an order's invoice is keyed here as `sameInvoiceNumber`
 * keys it (both engines upper-case ASCII letters as JavaScript does; others as the database folds them).
 */
const claimsTakenSoFar = (charOf: 'char' | 'chr') => `
  INSERT INTO supplier_invoice_numbers
    (supplier_id, invoice_number_key, document, document_id, purchase_order_id, claimed_at)
  SELECT supplier_id, invoice_number_key, document, document_id, purchase_order_id, claimed_at
  FROM (
    SELECT claims.*, ROW_NUMBER() OVER (
      PARTITION BY supplier_id, invoice_number_key ORDER BY claimed_at, document, document_id) AS taken
    FROM (
      SELECT o.supplier_id, ${numberKey('i.supplier_invoice_number', charOf)} AS invoice_number_key,
        'invoice' AS document, i.id AS document_id, i.purchase_order_id, i.recorded_at AS claimed_at
      FROM purchase_order_invoices i JOIN purchase_orders o ON o.id = i.purchase_order_id
      WHERE i.supplier_invoice_number IS NOT NULL
      UNION ALL
      SELECT supplier_id, invoice_number_key, 'bill', id, NULL, recorded_at
      FROM supplier_bills WHERE total IS NOT NULL
    ) claims
  ) ranked
  WHERE taken = 1;`;

const TABLE = `
  CREATE TABLE supplier_invoice_numbers (
    supplier_id TEXT NOT NULL,
    invoice_number_key TEXT NOT NULL,
    document TEXT NOT NULL,
    document_id TEXT NOT NULL,
    purchase_order_id TEXT,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (supplier_id, invoice_number_key)
  );`;

/**
 * A supplier's invoice number is entered once, whether on a purchase order (inventory's invoices) or as a
 * bill: each is claimed here, under its supplier and `sameInvoiceNumber` key, in the transaction that records
 * the document, so the primary key refuses the same paper entered a second way even by two clerks at once.
 * Documents recorded before keep what they are, duplicates among them too (they are in the books, and may be
 * paid): the earliest recorded (ties: bills first, then by id) holds the number, the others hold none, and any
 * new document with that number is refused.
 */
export const supplierInvoiceNumbersMigration: Migration = {
  id: '032_finance_supplier_invoice_numbers',
  up: {
    sqlite: `${TABLE}${claimsTakenSoFar('char')}`,
    postgres: `${TABLE}${claimsTakenSoFar('chr')}`,
  },
};
