import { canonicalJson, invalid, notFound, type DomainError } from '@tillstream/kernel';

/** How a definition changed; `null` when a PUT repeated what is stored (no new version, no event). */
export type Change = 'created' | 'updated' | 'deleted';

export interface Versioned {
  id: string;
  version: number;
}

/** A stored definition; a deleted one keeps its id and version so a re-creation continues the count. */
export interface Stored<T extends Versioned> {
  state: T;
  deleted: boolean;
}

export interface Decision<T extends Versioned> {
  state: T;
  change: Change | null;
}

/** A PUT: version 1 when new (or re-created after a delete), one more when the content changed, else nothing. */
export function decideUpsert<T extends Versioned>(
  current: Stored<T> | null,
  next: Omit<T, 'version'>,
): Decision<T> {
  const version = (current?.state.version ?? 0) + 1;
  const state = { ...next, version } as T;
  if (!current || current.deleted) return { state, change: 'created' };
  const same = canonicalJson({ ...current.state, version: 0 }) === canonicalJson({ ...state, version: 0 });
  return same ? { state: current.state, change: null } : { state, change: 'updated' };
}

/** A DELETE is a change like any other: it takes the next version and is published. */
export function decideDeletion<T extends Versioned>(
  current: Stored<T> | null,
  missing: () => DomainError,
): Decision<T> {
  if (!current || current.deleted) throw missing();
  return { state: { ...current.state, version: current.state.version + 1 }, change: 'deleted' };
}

export const validationFailed = (path: string, message: string) =>
  invalid('validation_failed', `${path} ${message}`, { errors: [{ in: 'body', path, message }] });

/** `endsAt` must come after `startsAt`: an empty window is a mistake, not a way to disable. */
export function checkWindow(definition: { startsAt?: string; endsAt?: string }): void {
  if (
    definition.startsAt !== undefined &&
    definition.endsAt !== undefined &&
    Date.parse(definition.endsAt) <= Date.parse(definition.startsAt)
  ) {
    throw validationFailed('/endsAt', 'must be after startsAt');
  }
}

export const priceListNotFound = (id: string) => notFound('price_list_not_found', `No price list ${id}`);
export const promotionNotFound = (id: string) => notFound('promotion_not_found', `No promotion ${id}`);
export const taxRateNotFound = (id: string) => notFound('tax_rate_not_found', `No tax rate ${id}`);
export const shippingMethodNotFound = (id: string) =>
  notFound('shipping_method_not_found', `No shipping method ${id}`);
