/** Money is an integer amount of minor units (cents) plus an ISO 4217 currency code; never floats of major units. */
export interface Money {
  amount: number;
  currency: string;
}

export const CURRENCY_PATTERN = '^[A-Z]{3}$';

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount))
    throw new RangeError(`amount must be an integer of minor units: ${amount}`);
  return { amount, currency };
}

export function sumAmounts(amounts: readonly number[]): number {
  return amounts.reduce((total, amount) => total + amount, 0);
}
