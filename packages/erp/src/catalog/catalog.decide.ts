import { gtin14, hasGtinCheckDigit } from '@tillstream/contracts';
import { conflict, invalid } from '@tillstream/kernel';

export type LocationKind = 'store' | 'warehouse';

export interface Location {
  locationId: string;
  name: string;
  kind: LocationKind;
  /** The IANA zone the location's clocks keep (`Europe/Amsterdam`): a store's day in reports. None: unset. */
  timeZone?: string;
  /**
   * A store's cash rounding: what is paid in cash is rounded to this many minor units (5: the Dutch 5 cents).
   * None: cash pays to the minor unit. POS learns it from `erp.location.upserted` and checks sales by it.
   */
  cashRoundingIncrement?: number;
  version: number;
}

export interface KitComponent {
  sku: string;
  quantity: number;
}

export interface Product {
  sku: string;
  name: string;
  price: { amount: number; currency: string };
  kind: 'standard' | 'kit';
  components: KitComponent[];
  backorderable: boolean;
  /** Only an `active` product is sold online; stores may sell off what they hold of the others. */
  status: ProductStatus;
  /** The GTINs printed on it (a till resolves a scan with them), as given; unique across products. */
  barcodes: string[];
  version: number;
}

export type ProductStatus = 'draft' | 'active' | 'archived';

export type PutLocation = Omit<Location, 'version' | 'locationId'>;
export type PutProduct = Omit<
  Product,
  'version' | 'sku' | 'kind' | 'components' | 'backorderable' | 'status' | 'barcodes'
> &
  Partial<Pick<Product, 'kind' | 'components' | 'backorderable' | 'status' | 'barcodes'>>;

/** The outcome of a PUT: the new state, and whether anything changed (no change: no new version, no event). */
export interface Upsert<T> {
  state: T;
  created: boolean;
  changed: boolean;
}

export function decideLocation(
  current: Location | null,
  locationId: string,
  command: PutLocation,
): Upsert<Location> {
  if (current && current.kind !== command.kind) {
    throw conflict('location_kind_change', `Location ${locationId} is a ${current.kind} and stays one`);
  }
  const timeZone = command.timeZone === undefined ? undefined : ianaTimeZone(command.timeZone);
  const increment = command.cashRoundingIncrement;
  if (increment !== undefined && command.kind !== 'store')
    throw invalid('validation_failed', 'Only a store takes cash: a warehouse has no cash rounding', {
      errors: [{ in: 'body', path: '/cashRoundingIncrement', message: 'only a store takes cash' }],
    });
  const next: Location = {
    locationId,
    name: command.name,
    kind: command.kind,
    ...(timeZone ? { timeZone } : {}),
    ...(increment !== undefined ? { cashRoundingIncrement: increment } : {}),
    version: (current?.version ?? 0) + 1,
  };
  const changed =
    !current ||
    current.name !== command.name ||
    current.timeZone !== timeZone ||
    current.cashRoundingIncrement !== increment;
  return { state: changed ? next : current, created: !current, changed };
}

/**
 * An IANA time zone's name, kept as given: the platform's time zone database (ICU) answers with older spellings
 * of some (`Asia/Katmandu` for `Asia/Kathmandu`), so it only checks. `unknown_time_zone` if it has no such zone;
 * a fixed offset (`+01:00`) is refused too: it is no place, and says nothing of daylight saving time.
 */
export function ianaTimeZone(name: string): string {
  const unknown = () =>
    invalid('unknown_time_zone', `${name} is not a time zone of the IANA database`, { timeZone: name });
  if (/^[+-]/.test(name)) throw unknown();
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    throw unknown();
  }
  return name;
}

/**
 * A kit has no stock of its own; its components must be distinct standard products (checked by the caller
 * against the catalog), never the kit itself. A PUT without `status` keeps the product's (a new one is
 * `active`): an integration that only updates prices must not bring an archived product back to sale. So
 * does one without `barcodes` (`[]` clears them).
 */
export function decideProduct(current: Product | null, sku: string, command: PutProduct): Upsert<Product> {
  const kind = command.kind ?? 'standard';
  const components = kind === 'kit' ? (command.components ?? []) : [];
  if (kind === 'kit' && components.length === 0) {
    throw invalid('validation_failed', 'A kit needs at least one component', {
      errors: [{ in: 'body', path: '/components', message: 'must not be empty' }],
    });
  }
  if (kind === 'standard' && (command.components?.length ?? 0) > 0) {
    throw invalid('validation_failed', 'Only a kit has components', {
      errors: [{ in: 'body', path: '/components', message: 'only for kind kit' }],
    });
  }
  const componentSkus = components.map((component) => component.sku);
  if (componentSkus.includes(sku)) throw invalid('kit_cycle', `Kit ${sku} cannot contain itself`);
  if (new Set(componentSkus).size !== componentSkus.length)
    throw invalid('duplicate_line', 'A component is listed twice');
  const next: Product = {
    sku,
    name: command.name,
    price: { amount: command.price.amount, currency: command.price.currency },
    kind,
    components,
    backorderable: command.backorderable ?? false,
    status: command.status ?? current?.status ?? 'active',
    barcodes: command.barcodes === undefined ? (current?.barcodes ?? []) : checkedBarcodes(command.barcodes),
    version: (current?.version ?? 0) + 1,
  };
  const changed =
    !current || JSON.stringify({ ...current, version: 0 }) !== JSON.stringify({ ...next, version: 0 });
  return { state: changed ? next : current, created: !current, changed };
}

/** Lines of products not for sale online (draft or archived), for a channel's reservation to refuse. */
export function notForSale(products: ReadonlyMap<string, Pick<Product, 'status'>>): string[] {
  return [...products].filter(([, product]) => product.status !== 'active').map(([sku]) => sku);
}

/** The barcodes as given, each a GTIN with a right check digit and none the same GTIN as another. */
function checkedBarcodes(barcodes: readonly string[]): string[] {
  const wrong = barcodes.filter((code) => !hasGtinCheckDigit(code));
  if (wrong.length > 0)
    throw invalid('invalid_barcode', `${wrong.join(', ')} is not a GTIN: its check digit is wrong`, {
      barcodes: wrong,
    });
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const code of barcodes) {
    if (seen.has(gtin14(code))) twice.push(code);
    seen.add(gtin14(code));
  }
  if (twice.length > 0)
    throw invalid('invalid_barcode', `${twice.join(', ')} is listed twice (as the same GTIN)`, {
      barcodes: twice,
    });
  return [...barcodes];
}
