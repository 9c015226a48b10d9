import type { TaxRate, TaxRateBody } from '@tillstream/contracts';

/** A tax rate as stored: `locationId` null for the rate that applies everywhere. */
export function normalizeTaxRate(id: string, body: TaxRateBody): Omit<TaxRate, 'version'> {
  return { ...body, id, locationId: body.locationId ?? null };
}
