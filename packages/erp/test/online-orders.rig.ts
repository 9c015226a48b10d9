import { expect } from 'vitest';
import {
  OrderPlacedV1,
  type EventContract,
  type OrderPlacedV1Data,
  type ShippingAddress,
} from '@tillstream/contracts';
import { foreignEvent, uniqueName } from '@tillstream/kernel/testing';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { startedErp } from './started-erp.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false }));
/** The order event as commerce publishes it; checked against the published schema so a test sends a real one. */
const validPlacedOrder = ajv.compile(OrderPlacedV1.dataSchema);

/** The collection point's address with the collector's name and phone, as commerce puts it on the order. */
export const AT_S1: ShippingAddress = {
  name: 'Anna de Vries',
  line1: 'Kalverstraat 1',
  postalCode: '1012 NX',
  city: 'Amsterdam',
  country: 'NL',
  phone: '+31 20 555 0100',
};
export const TAX = { ratePpm: 210_000, inclusive: true, amount: 0 };

/** Click and collect at `store`, free, as commerce puts it on a placed order. */
export const collectAt = (store: string): NonNullable<OrderPlacedV1Data['shipping']> => ({
  methodId: 'collect-s1',
  name: 'Collect at Store 1',
  amount: 0,
  tax: TAX,
  address: AT_S1,
  pickup: { locationId: store },
});

/**
 * Online orders as ERP meets them, for tests of their fulfilments: products at 25.00, a checkout hold followed
 * by the `commerce.order.placed` commerce would publish, and reads of the order's fulfilments and events.
 */
export function onlineOrderRig({ erp, ok }: Pick<ReturnType<typeof startedErp>, 'erp' | 'ok'>) {
  const rig = {
    async product(prefix: string, backorderable = false) {
      const sku = uniqueName(prefix);
      await ok('PUT', `/products/${sku}`, {
        name: sku,
        price: { amount: 2500, currency: 'EUR' },
        backorderable,
      });
      return sku;
    },

    /**
     * A checkout hold of `quantity` and the placed order that follows it, with `shipping` when given; `holdAt`
     * holds the line there and only there, as checkout does for a collection.
     */
    async placeOrder(
      sku: string,
      quantity: number,
      options: { shipping?: OrderPlacedV1Data['shipping']; holdAt?: string } = {},
    ) {
      const { shipping, holdAt } = options;
      const orderId = uniqueName('order');
      const reservationId = `checkout:${orderId}`;
      await ok('POST', '/reservations', {
        id: reservationId,
        channel: 'web',
        lines: [{ sku, quantity, ...(holdAt === undefined ? {} : { locationId: holdAt }) }],
        expiresInSeconds: 900,
      });
      const goods = 2500 * quantity;
      const data: OrderPlacedV1Data = {
        orderId,
        cartId: uniqueName('cart'),
        reservationId,
        channel: 'web',
        email: 'anna@example.com',
        currency: 'EUR',
        lines: [{ lineNo: 1, sku, quantity, unitPrice: 2500, lineTotal: goods }],
        ...(shipping ? { shipping } : {}),
        total: goods + (shipping?.amount ?? 0),
        payment: { method: 'test', reference: uniqueName('pay') },
        placedAt: erp().clock.now().toISOString(),
      };
      expect(validPlacedOrder(data), JSON.stringify(validPlacedOrder.errors)).toBe(true);
      await erp().deliver(
        'commerce',
        foreignEvent('commerce', OrderPlacedV1.type, `order/${orderId}`, 1, data),
      );
      return { orderId, reservationId };
    },

    /** An order collected at `store`, every line held there as checkout does; with its one fulfilment's id. */
    async placeCollection(sku: string, quantity: number, store = 'S1') {
      const placed = await rig.placeOrder(sku, quantity, { shipping: collectAt(store), holdAt: store });
      return { ...placed, fulfilmentId: `${placed.orderId}:${store}` };
    },

    fulfilmentsOf: async (orderId: string) =>
      (await ok('GET', `/fulfillments?orderId=${orderId}`)).fulfillments as any[],

    /** The order's events of a contract as ERP wrote them, each checked against the contract's schema. */
    async eventsOf(contract: EventContract, orderId: string) {
      const valid = ajv.compile(contract.dataSchema);
      const data = (await erp().published())
        .filter((event) => event.type === contract.type && (event.data as any).orderId === orderId)
        .map((event) => event.data as any);
      for (const one of data) expect(valid(one), JSON.stringify(valid.errors)).toBe(true);
      return data;
    },
  };
  return rig;
}
