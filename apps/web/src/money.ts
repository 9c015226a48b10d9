import { MAX_AMOUNT } from '@tillstream/pos-client/browser';

/** Minor units to a display amount, e.g. 1250 EUR → "€12.50". */
export function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency }).format(amount / 100);
}

/**
 * What the cashier typed ("12.5", "12,50") to minor units; null if it is not an amount, or more than the
 * server takes (a till that queued it would see it refused for good when it syncs).
 */
export function parseAmount(text: string): number | null {
  const normalized = text.trim().replace(',', '.');
  if (!/^\d{1,9}(\.\d{0,2})?$/.test(normalized)) return null;
  const amount = Math.round(Number(normalized) * 100);
  return amount <= MAX_AMOUNT ? amount : null;
}

/** A difference with its sign, e.g. cash rounding: 2 → "+€0.02", −2 → "−€0.02". */
export function signedMoney(amount: number, currency: string): string {
  return `${amount > 0 ? '+' : amount < 0 ? '−' : ''}${money(Math.abs(amount), currency)}`;
}
