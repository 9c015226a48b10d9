import { conflict, notFound, unprocessable, type Clock, type Db, type IdGenerator } from '@tillstream/kernel';
import { isAbandoned, skusIncreased, type Cart } from './cart.decide.js';
import type { CartPricing } from './cart.pricing.js';
import { cartStore } from './cart.store.js';

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
  const view = async (cart: Cart) => ({
    ...cart,
    quote: cart.status === 'expired' ? null : await pricing.quote(cart),
  });
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
     * Applies a pure change and saves it over the version it read. The new cart is quoted before it is saved,
     * so an unknown SKU is refused (422 `unknown_sku`) instead of failing at checkout, and so is more of a
     * product no longer (or not yet) for sale (422 `product_not_for_sale`); less of one, or removing it, is
     * always possible.
     */
    async change(id: string, decide: (cart: Cart, now: string) => Cart) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
        const cart = await load(id);
        const next = decide(cart, deps.clock.now().toISOString());
        if (next === cart) return view(cart);
        const unsold = await deps.notForSale(skusIncreased(cart, next));
        if (unsold.length > 0)
          throw unprocessable('product_not_for_sale', `${unsold.join(', ')} is not for sale`, {
            skus: unsold,
          });
        const quote = await pricing.quote(next);
        if (await db.transaction((tx) => cartStore.update(tx, next, cart.version))) return { ...next, quote };
      }
      throw conflict('checkout_in_progress', `Cart ${id} changed concurrently; retry`);
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
