import { Type } from 'typebox';

const GTIN_SHAPE = /^([0-9]{8}|[0-9]{12,14})$/;

/** A GTIN as printed under a barcode: EAN-8, UPC-A, EAN-13 or GTIN-14 (the check digit is checked apart). */
export const Gtin = Type.String({ pattern: GTIN_SHAPE.source });

/** Whether a code has the length and digits of a GTIN (a scan, rather than a SKU typed in). */
export const isGtinShaped = (code: string) => GTIN_SHAPE.test(code);

/**
 * A GTIN as one number: EAN-8, UPC-A (12 digits) and EAN-13 are GTIN-14s with leading zeros, and a scanner
 * may send any of the forms, so barcodes compare (and are unique) in this one.
 */
export const gtin14 = (code: string) => code.padStart(14, '0');

/** The check digit of a GTIN's other digits: weights 3 and 1 alternating from the right, mod 10. */
export function gtinCheckDigit(digits: string): number {
  const sum = [...digits]
    .reverse()
    .reduce((total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

/** Whether a code is a GTIN whose last digit is its check digit. */
export const hasGtinCheckDigit = (code: string) =>
  isGtinShaped(code) && gtinCheckDigit(code.slice(0, -1)) === Number(code.slice(-1));
