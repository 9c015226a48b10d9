import { conflict, notFound, type Clock, type Db, type IdGenerator } from '@tillstream/kernel';
import { type Cart } from './cart.decide.js';
import type { CartPricing } from './cart.pricing.js';
import { cartStore } from './cart.store.js';

/** Attempts at an optimistic cart change before answering 409: shoppers rarely race on their own cart. */
const ATTEMPTS = 3;

export function createCartCommands(deps: { db: Db; clock: Clock; ids: IdGenerator; pricing: CartPricing }) {
  const { db, pricing } = deps;
  const view = async (cart: Cart) => ({ ...cart, quote: await pricing.quote(cart) });

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
      const cart = await cartStore.find(db, id);
      if (!cart) throw notFound('cart_not_found', `No cart ${id}`);
      return view(cart);
    },

    /**
     * Applies a pure change and saves it over the version it read. The new cart is quoted before it is saved,
     * so an unknown SKU is refused (422 `unknown_sku`) instead of failing at checkout.
     */
    async change(id: string, decide: (cart: Cart, now: string) => Cart) {
      for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
        const cart = await cartStore.find(db, id);
        if (!cart) throw notFound('cart_not_found', `No cart ${id}`);
        const next = decide(cart, deps.clock.now().toISOString());
        if (next === cart) return view(cart);
        const quote = await pricing.quote(next);
        if (await db.transaction((tx) => cartStore.update(tx, next, cart.version))) return { ...next, quote };
      }
      throw conflict('checkout_in_progress', `Cart ${id} changed concurrently; retry`);
    },
  };
}

export type CartCommands = ReturnType<typeof createCartCommands>;
