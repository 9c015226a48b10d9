/**
 * An amount in minor units as a cashier reads it, in the currency's own minor digits: 1250 EUR → "€12.50",
 * 1250 JPY → "¥1,250". Error texts name amounts so: "1500 is still due" means nothing at a till. Without a
 * currency Intl knows, the minor units as they are.
 */
export function amountText(amount: number, currency: string | undefined): string {
  if (currency === undefined) return String(amount);
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency });
    return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return String(amount);
  }
}
