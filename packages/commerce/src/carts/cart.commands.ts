import {
  conflict,
  isDomainError,
  notFound,
  unprocessable,
  type Clock,
  type Db,
  type IdGenerator,
} from '@tillstream/kernel';
import {
  assertOpen,
  chooseShipping,
  isAbandoned,
  shippingChoiceOf,
  skusIncreased,
  type Cart,
  type ShippingChoice,
} from './cart.decide.js';
import type { CartPricing } from './cart.pricing.js';
import type { Destination } from '@tillstream/pricing';
import { cartStore } from './cart.store.js';

/** The engine's refusals of a chosen delivery: a cart's view shows them rather than failing. */
const SHIPPING_REFUSALS: ReadonlySet<string> = new Set(['shipping_method_unknown', 'shipping_not_available']);

/** Attempts at an optimistic cart change before answering 409: shoppers rarely race on their own cart. */
const ATTEMPTS = 3;

export function createCartCommands(deps: {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  pricing: CartPricing;
  /** A cart untouched this long is abandoned: it expires and refuses changes and checkout. */
  expirySeconds: number;
  /** Of these SKUs, those ERP says are not for sale (draft or archived). */
  notForSale: (skus: readonly string[]) => Promise<string[]>;
}) {
  const { db, pricing } = deps;
  /**
   * The cart with its live quote. A chosen delivery the engine no longer accepts (ERP withdrew the method
   * since) must not lock the shopper out of their cart: the quote leaves it out and `shippingRefused` names
   * the engine's code, so the storefront asks for a new choice; checkout refuses it with that code.
   */
  const priced = async (cart: Cart) => {
    if (cart.status === 'expired') return { quote: null, shippingRefused: null };
    try {
      return { quote: await pricing.quote(cart), shippingRefused: null };
    } catch (error) {
      if (!cart.shipping || !isDomainError(error) || !SHIPPING_REFUSALS.has(error.code)) throw error;
      return {
        quote: await pricing.quote({ ...cart, shipping: null }),
        shippingRefused: { code: error.code },
      };
    }
  };
  const view = async (cart: Cart) => ({ ...cart, ...(await priced(cart)) });
  /** The stored cart, expired on the spot when the sweeper has not reached it yet. */
  const load = async (id: string): Promise<Cart> => {
    const cart = await cartStore.find(db, id);
    if (!cart) throw notFound('cart_not_found', `No cart ${id}`);
    return expireIfAbandoned(db, cart, deps.clock.now(), deps.expirySeconds);
  };

  return {
    async create(input: { channel?: string; currency?: string }) {
      const cart: Cart = {
        id: deps.ids.next(),
        channel: input.channel ?? 'web',
        currency: input.currency ?? 'EUR',
        status: 'open',
        lines: [],
        couponCodes: [],
        shipping: null,
        version: 1,
        updatedAt: deps.clock.now().toISOString(),
      };
      await db.transaction((tx) => cartStore.insert(tx, cart));
      return view(cart);
    },

    async find(id: string) {
      return view(await load(id));
    },

    /**
     * The delivery methods that can take the cart to `destination`, priced for its goods, cheapest first. Any
     * cart but an expired one (409 `cart_expired`): a shopper may look while checking out.
     */
    async shippingOptions(id: string, destination: Destination) {
      const cart = await load(id);
      if (cart.status === 'expired')
        throw conflict('cart_expired', `Cart ${cart.id} expired; start a new cart`);
      return {
        ...destination,
        currency: cart.currency,
        options: await pricing.shippingOptions(cart, destination),
      };
    },

    /**
     * Chooses the cart's delivery: a collection method (click and collect) takes who collects and goes to its
     * collection point, any other the shopper's address (`shippingChoiceOf`); the engine then quotes the cart
     * with it before it is saved (`change`).
     */
    async chooseShipping(id: string, choice: ShippingChoice) {
      const cart = await load(id);
      assertOpen(cart);
      const shipping = shippingChoiceOf(choice, await pricing.pickupPoint(cart, choice.methodId));
      return this.change(id, (current, now) => chooseShipping(current, shipping, now), {
        deliveryChosen: true,
      });
    },

    /**
     * Applies a pure change and saves it over the version it read. The new cart is quoted before it is saved,
     * so an unknown SKU is refused (422 `unknown_sku`) instead of failing at checkout, and so is more of a
     * product no longer (or not yet) for sale (422 `product_not_for_sale`); less of one, or removing it, is
     * always possible. `deliveryChosen`: the change chooses the delivery, so the engine's refusal of it is
     * the answer (422 `shipping_method_unknown` / `shipping_not_available`) and nothing is saved; any other
     * change goes through with a delivery ERP withdrew since, shown as `shippingRefused`.
     */
    async change(
      id: string,
      decide: (cart: Cart, now: string) => Cart,
      options: { deliveryChosen?: boolean } = {},
    ) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
        const cart = await load(id);
        const next = decide(cart, deps.clock.now().toISOString());
        if (next === cart) return view(cart);
        const unsold = await deps.notForSale(skusIncreased(cart, next));
        if (unsold.length > 0)
          throw unprocessable('product_not_for_sale', `${unsold.join(', ')} is not for sale`, {
            skus: unsold,
          });
        const quoted = options.deliveryChosen
          ? { quote: await pricing.quote(next), shippingRefused: null }
          : await priced(next);
        if (await db.transaction((tx) => cartStore.update(tx, next, cart.version)))
          return { ...next, ...quoted };
      }
      throw conflict('checkout_in_progress', `Cart ${id} changed concurrently; retry`, {
        retryAfterSeconds: 1,
      });
    },
  };
}

export type CartCommands = ReturnType<typeof createCartCommands>;

/**
 * Expires an abandoned cart at once (the same conditional update the sweeper makes), so a shopper never
 * changes or checks out a cart past its expiry just because the sweeper has not run yet.
 */
export async function expireIfAbandoned(db: Db, cart: Cart, now: Date, expirySeconds: number): Promise<Cart> {
  if (!isAbandoned(cart, now, expirySeconds)) return cart;
  const before = new Date(now.getTime() - expirySeconds * 1000).toISOString();
  await db.transaction((tx) => cartStore.expireAbandoned(tx, [cart.id], before, now.toISOString()));
  return (await cartStore.find(db, cart.id)) ?? cart;
}
