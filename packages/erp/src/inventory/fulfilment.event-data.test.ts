import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import {
  FulfillmentCreatedV1,
  FulfillmentDeliveredV1,
  FulfillmentShippedV1,
  type ShippingAddress,
} from '@tillstream/contracts';
import { decideDeliver, decideShip, planFulfilments, type Fulfilment } from './fulfilment.decide.js';
import { createdEventData, deliveredEventData, shippedEventData } from './fulfilment.event-data.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false }));
const validCreated = ajv.compile(FulfillmentCreatedV1.dataSchema);
const validShipped = ajv.compile(FulfillmentShippedV1.dataSchema);
const validDelivered = ajv.compile(FulfillmentDeliveredV1.dataSchema);

const PLACED = '2026-11-30T09:00:00.000Z';
const SHIPPED = '2026-11-30T15:00:00.000Z';
const DELIVERED = '2026-12-01T11:00:00.000Z';
const ADDRESS: ShippingAddress = {
  name: 'Anna de Vries',
  line1: 'Prinsengracht 263',
  line2: '2nd floor',
  postalCode: '1016 GV',
  city: 'Amsterdam',
  country: 'NL',
  phone: '+31 20 555 0100',
};
const EXPRESS = { id: 'express', name: 'Next-day delivery' };
const placement = { line: 0, sku: 'TEE', locationId: 'wh-a', quantity: 2 };

const allocated = (shipping: { method: typeof EXPRESS; address: ShippingAddress } | null): Fulfilment =>
  planFulfilments({ orderId: 'order-1', reservationId: 'checkout:1', shipping }, [placement], PLACED)[0]!;
const shippedOf = (fulfilment: Fulfilment) => decideShip([fulfilment], fulfilment.id, SHIPPED)!;

describe('createdEventData', () => {
  it('given an order with delivery, then the event says where the parcel goes and how, as the contract has it', () => {
    const data = createdEventData(allocated({ method: EXPRESS, address: ADDRESS }), PLACED);
    expect(data).toEqual({
      fulfilmentId: 'order-1:wh-a',
      orderId: 'order-1',
      reservationId: 'checkout:1',
      locationId: 'wh-a',
      version: 1,
      status: 'allocated',
      lines: [{ sku: 'TEE', quantity: 2 }],
      occurredAt: PLACED,
      shipTo: ADDRESS,
      shippingMethod: EXPRESS,
    });
    expect(validCreated(data), JSON.stringify(validCreated.errors)).toBe(true);
  });

  it('given an order without delivery, then both are null, not missing', () => {
    const data = createdEventData(allocated(null), PLACED);
    expect(data).toMatchObject({ shipTo: null, shippingMethod: null });
    expect(validCreated(data), JSON.stringify(validCreated.errors)).toBe(true);
  });

  it('given a fulfilment that is not allocated, then it refuses to call it created', () => {
    expect(() => createdEventData(shippedOf(allocated(null)).fulfilment, SHIPPED)).toThrow(/not allocated/);
  });
});

describe('shippedEventData', () => {
  it('given a shipped fulfilment, then the event repeats its destination with whether the order shipped', () => {
    const data = shippedEventData(shippedOf(allocated({ method: EXPRESS, address: ADDRESS })), SHIPPED);
    expect(data).toMatchObject({
      status: 'shipped',
      version: 2,
      occurredAt: SHIPPED,
      orderShipped: true,
      shipTo: ADDRESS,
      shippingMethod: EXPRESS,
    });
    expect(validShipped(data), JSON.stringify(validShipped.errors)).toBe(true);
  });

  it('given an order without delivery, then both are null', () => {
    const data = shippedEventData(shippedOf(allocated(null)), SHIPPED);
    expect(data).toMatchObject({ shipTo: null, shippingMethod: null });
    expect(validShipped(data), JSON.stringify(validShipped.errors)).toBe(true);
  });
});

describe('deliveredEventData', () => {
  it('given a delivered fulfilment, then the event closes it without repeating the address', () => {
    const shipped = shippedOf(allocated({ method: EXPRESS, address: ADDRESS })).fulfilment;
    const data = deliveredEventData(decideDeliver([shipped], shipped.id, DELIVERED)!, DELIVERED);
    expect(data).toMatchObject({ status: 'delivered', version: 3, orderDelivered: true });
    expect(data).not.toHaveProperty('shipTo');
    expect(data).not.toHaveProperty('shippingMethod');
    expect(validDelivered(data), JSON.stringify(validDelivered.errors)).toBe(true);
  });
});

describe('the fulfilment contracts’ destination', () => {
  const before = {
    fulfilmentId: 'order-0:wh-a',
    orderId: 'order-0',
    reservationId: 'checkout:0',
    locationId: 'wh-a',
    version: 1,
    status: 'allocated',
    lines: [{ sku: 'TEE', quantity: 1 }],
    occurredAt: PLACED,
  };

  it('given an event written before ERP carried a destination, then it is still valid', () => {
    expect(validCreated(before)).toBe(true);
    expect(validShipped({ ...before, version: 2, status: 'shipped', orderShipped: true })).toBe(true);
  });

  it.each([
    ['a lower-case country', { shipTo: { ...ADDRESS, country: 'nl' } }],
    ['an address without a city', { shipTo: { ...ADDRESS, city: undefined } }],
    ['an address with a member it does not list', { shipTo: { ...ADDRESS, floor: 2 } }],
    ['a method without its name', { shippingMethod: { id: 'express' } }],
  ])('refuses %s', (_case, change) => {
    const data = JSON.parse(
      JSON.stringify({ ...before, shipTo: ADDRESS, shippingMethod: EXPRESS, ...change }),
    );
    expect(validCreated(data)).toBe(false);
  });
});
