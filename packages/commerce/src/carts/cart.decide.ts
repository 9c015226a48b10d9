import type { PickupPoint, QuoteShipping, ShippingAddress } from '@tillstream/contracts';
import { conflict, notFound, unprocessable } from '@tillstream/kernel';

export const MAX_CART_LINES = 100;
/** Units of one SKU a cart may hold, however many adds it took (what one request may set). */
export const MAX_LINE_QUANTITY = 10_000;

/** `expired`: left untouched past the cart expiry (abandoned); it refuses every change and checkout. */
export type CartStatus = 'open' | 'checking_out' | 'ordered' | 'expired';

export interface CartLine {
  sku: string;
  quantity: number;
}

/**
 * The delivery a shopper chose: the method, and where it goes (its country is the one priced). For a collection
 * (click and collect) the address is the collection point's with the collector's name and phone, and
 * `pickupLocationId` the location that holds and hands over the goods.
 */
export interface CartShipping {
  methodId: string;
  address: ShippingAddress;
  pickupLocationId?: string;
}

/** What a shopper sends to choose a delivery: an address for a method that delivers, a collector for a collection. */
export interface ShippingChoice {
  methodId: string;
  address?: ShippingAddress;
  collector?: { name: string; phone?: string };
}

export interface Cart {
  id: string;
  channel: string;
  currency: string;
  status: CartStatus;
  lines: CartLine[];
  couponCodes: string[];
  /** Null until the shopper chooses; it survives the cart emptying, so refilling it keeps the address. */
  shipping: CartShipping | null;
  version: number;
  updatedAt: string;
}

export type CartCommand =
  | { type: 'add'; sku: string; quantity: number }
  | { type: 'set'; sku: string; quantity: number }
  | { type: 'remove'; sku: string };

/**
 * Applies one shopper change to an open cart. Adding a SKU already in the cart adds to its line (one line per
 * SKU keeps quotes and holds simple); setting a quantity of 0 removes the line. Time is passed in.
 */
export function decideCart(cart: Cart, command: CartCommand, now: string): Cart {
  assertOpen(cart);
  const existing = cart.lines.find((line) => line.sku === command.sku);
  let lines: CartLine[];
  if (command.type === 'add') {
    lines = existing
      ? cart.lines.map((line) =>
          line.sku === command.sku ? { ...line, quantity: line.quantity + command.quantity } : line,
        )
      : [...cart.lines, { sku: command.sku, quantity: command.quantity }];
  } else {
    if (!existing) throw notFound('cart_line_not_found', `Cart ${cart.id} has no line for ${command.sku}`);
    const quantity = command.type === 'set' ? command.quantity : 0;
    lines =
      quantity === 0
        ? cart.lines.filter((line) => line.sku !== command.sku)
        : cart.lines.map((line) => (line.sku === command.sku ? { ...line, quantity } : line));
  }
  if (lines.some((line) => line.quantity > MAX_LINE_QUANTITY)) {
    throw unprocessable('cart_too_large', `A cart holds at most ${MAX_LINE_QUANTITY} units of one SKU`, {
      sku: command.sku,
      maxQuantity: MAX_LINE_QUANTITY,
    });
  }
  if (lines.length > MAX_CART_LINES) {
    throw unprocessable('cart_too_large', `A cart holds at most ${MAX_CART_LINES} SKUs`);
  }
  return { ...cart, lines, version: cart.version + 1, updatedAt: now };
}

export const MAX_COUPONS = 10;

/** Coupon codes compare case-insensitively, as the pricing engine compares them. */
const sameCode = (a: string) => {
  const wanted = a.toLowerCase();
  return (b: string) => b.toLowerCase() === wanted;
};

/**
 * Adds a coupon code once, however it is cased (`SPRING10` after `spring10` is the same coupon, and would
 * only take a place of the ten); whether it applies is the pricing engine's call, shown in the quote.
 */
export function applyCoupon(cart: Cart, code: string, now: string): Cart {
  assertOpen(cart);
  if (cart.couponCodes.some(sameCode(code))) return cart;
  if (cart.couponCodes.length >= MAX_COUPONS) {
    throw unprocessable('cart_too_large', `A cart holds at most ${MAX_COUPONS} coupons`);
  }
  return { ...cart, couponCodes: [...cart.couponCodes, code], version: cart.version + 1, updatedAt: now };
}

/**
 * Drops a coupon code, however it is cased: how a shopper whose checkout was refused with
 * `promotion_usage_exhausted` goes on without it. Absent, the cart is unchanged.
 */
export function removeCoupon(cart: Cart, code: string, now: string): Cart {
  assertOpen(cart);
  const isRemoved = sameCode(code);
  const couponCodes = cart.couponCodes.filter((entered) => !isRemoved(entered));
  if (couponCodes.length === cart.couponCodes.length) return cart;
  return { ...cart, couponCodes, version: cart.version + 1, updatedAt: now };
}

/**
 * Chooses (or replaces) the cart's delivery. Whether the method may deliver there is the pricing engine's
 * call, made by quoting the changed cart before it is saved. An empty cart has nothing to deliver and
 * nothing to quote the choice with: 422 `cart_empty`. The same choice again leaves the cart unchanged.
 */
export function chooseShipping(cart: Cart, choice: CartShipping, now: string): Cart {
  assertOpen(cart);
  if (cart.lines.length === 0)
    throw unprocessable('cart_empty', `Cart ${cart.id} has no lines to deliver; add one first`);
  if (cart.shipping && sameShipping(cart.shipping, choice)) return cart;
  return { ...cart, shipping: choice, version: cart.version + 1, updatedAt: now };
}

/**
 * The delivery a choice makes, given the method's collection point (null: the method delivers). A delivery
 * needs the shopper's address (422 `shipping_address_required`); a collection needs who collects (422
 * `shipping_collector_required`) and goes to the collection point; the other part given is 422
 * `shipping_choice_invalid` rather than silently dropped.
 */
export function shippingChoiceOf(choice: ShippingChoice, pickup: PickupPoint | null): CartShipping {
  const { methodId, address, collector } = choice;
  if (!pickup) {
    if (!address)
      throw unprocessable(
        'shipping_address_required',
        `Shipping method ${methodId} needs a delivery address`,
        {
          methodId,
        },
      );
    if (collector)
      throw unprocessable(
        'shipping_choice_invalid',
        `Shipping method ${methodId} delivers to the address: it takes no collector`,
        { methodId },
      );
    return { methodId, address };
  }
  if (!collector)
    throw unprocessable(
      'shipping_collector_required',
      `Shipping method ${methodId} is collected at ${pickup.locationId}: say who collects`,
      { methodId },
    );
  if (address)
    throw unprocessable(
      'shipping_choice_invalid',
      `Shipping method ${methodId} is collected at ${pickup.locationId}: it takes no delivery address`,
      { methodId },
    );
  return {
    methodId,
    address: {
      name: collector.name,
      ...pickup.address,
      ...(collector.phone === undefined ? {} : { phone: collector.phone }),
    },
    pickupLocationId: pickup.locationId,
  };
}

/**
 * Refuses a chosen delivery whose method ERP changed since between collection and delivery, or moved to another
 * collection point (422 `shipping_not_available`): the cart would be held at one store while the shopper was
 * told another, or go to a store's address by a carrier. The shopper chooses again.
 */
export function assertSameCollection(chosen: CartShipping | null, quoted: QuoteShipping | undefined): void {
  if (!chosen || !quoted) return;
  const now = quoted.pickup?.locationId;
  if (chosen.pickupLocationId === now) return;
  throw unprocessable(
    'shipping_not_available',
    `Shipping method ${chosen.methodId} ${now === undefined ? 'no longer collects' : `now collects at ${now}`}; choose again`,
    { methodId: chosen.methodId },
  );
}

/** Drops the cart's delivery; a cart without one is unchanged. */
export function clearShipping(cart: Cart, now: string): Cart {
  assertOpen(cart);
  if (!cart.shipping) return cart;
  return { ...cart, shipping: null, version: cart.version + 1, updatedAt: now };
}

const ADDRESS_FIELDS = [
  'name',
  'line1',
  'line2',
  'postalCode',
  'city',
  'region',
  'country',
  'phone',
] as const;

const sameShipping = (left: CartShipping, right: CartShipping) =>
  left.methodId === right.methodId &&
  left.pickupLocationId === right.pickupLocationId &&
  ADDRESS_FIELDS.every((field) => left.address[field] === right.address[field]);

/** Refuses any change to a cart that is not open: 409 `cart_expired` or `cart_closed`. */
export function assertOpen(cart: Cart): void {
  if (cart.status === 'expired') throw conflict('cart_expired', `Cart ${cart.id} expired; start a new cart`);
  if (cart.status !== 'open') throw conflict('cart_closed', `Cart ${cart.id} is ${cart.status}`);
}

/**
 * Whether a cart was abandoned: open (or stuck in a checkout whose process died) and untouched for
 * `expirySeconds`. A checkout in progress touches the cart when it claims it, so a live one never qualifies.
 */
export function isAbandoned(
  cart: Pick<Cart, 'status' | 'updatedAt'>,
  now: Date,
  expirySeconds: number,
): boolean {
  if (cart.status !== 'open' && cart.status !== 'checking_out') return false;
  return Date.parse(cart.updatedAt) <= now.getTime() - expirySeconds * 1000;
}

/**
 * What must be true before a cart may start checkout. `shippingOffered`: the chain delivers this cart (a
 * method is offered in its channel and currency), so an online order must say how it reaches the shopper;
 * a chain without shipping methods checks out without.
 */
export function assertCheckoutable(cart: Cart, shippingOffered = false): void {
  if (cart.status === 'expired') throw conflict('cart_expired', `Cart ${cart.id} expired; start a new cart`);
  if (cart.status === 'ordered') throw conflict('cart_closed', `Cart ${cart.id} was already ordered`);
  if (cart.lines.length === 0) throw unprocessable('cart_empty', `Cart ${cart.id} has no lines`);
  if (shippingOffered && !cart.shipping)
    throw unprocessable(
      'shipping_required',
      `Cart ${cart.id} has no delivery; choose one (PUT /carts/${cart.id}/shipping) before checkout`,
    );
}

/** The SKUs a change puts more of in the cart: those the storefront must still sell. */
export function skusIncreased(before: Cart, after: Cart): string[] {
  const had = new Map(before.lines.map((line) => [line.sku, line.quantity]));
  return after.lines.filter((line) => line.quantity > (had.get(line.sku) ?? 0)).map((line) => line.sku);
}
