import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import {
  FulfillmentCreatedV1,
  FulfillmentDeliveredV1,
  FulfillmentReadyForPickupV1,
  FulfillmentShippedV1,
  type ShippingAddress,
} from '@tillstream/contracts';
import {
  decideCollect,
  decideDeliver,
  decideReady,
  decideShip,
  planFulfilments,
  type Fulfilment,
  type OrderShipping,
} from './fulfilment.decide.js';
import {
  createdEventData,
  deliveredEventData,
  readyForPickupEventData,
  shippedEventData,
} from './fulfilment.event-data.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false }));
const validCreated = ajv.compile(FulfillmentCreatedV1.dataSchema);
const validShipped = ajv.compile(FulfillmentShippedV1.dataSchema);
const validDelivered = ajv.compile(FulfillmentDeliveredV1.dataSchema);
const validReady = ajv.compile(FulfillmentReadyForPickupV1.dataSchema);

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

const COLLECT = { id: 'collect-dam', name: 'Collect at Store Dam' };

const allocated = (shipping: OrderShipping | null): Fulfilment =>
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
      pickup: false,
    });
    expect(validCreated(data), JSON.stringify(validCreated.errors)).toBe(true);
  });

  it('given an order without delivery, then both are null, not missing, and it is no pickup', () => {
    const data = createdEventData(allocated(null), PLACED);
    expect(data).toMatchObject({ shipTo: null, shippingMethod: null, pickup: false });
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

describe('click and collect events', () => {
  const collection = allocated({ method: COLLECT, address: ADDRESS, pickup: true });
  const READY = '2026-11-30T12:00:00.000Z';

  it('given a collection, then created says it is a pickup', () => {
    const data = createdEventData(collection, PLACED);
    expect(data).toMatchObject({ pickup: true, shipTo: ADDRESS, shippingMethod: COLLECT });
    expect(validCreated(data), JSON.stringify(validCreated.errors)).toBe(true);
  });

  it('given it is made ready, then ready_for_pickup says where, and whether the whole order is ready', () => {
    const decision = decideReady([collection], collection.id, READY, { waiting: false, holdStatus: 'held' })!;
    const data = readyForPickupEventData(decision, READY);
    expect(data).toEqual({
      fulfilmentId: 'order-1:wh-a',
      orderId: 'order-1',
      reservationId: 'checkout:1',
      locationId: 'wh-a',
      version: 2,
      status: 'ready_for_pickup',
      lines: [{ sku: 'TEE', quantity: 2 }],
      occurredAt: READY,
      shipTo: ADDRESS,
      shippingMethod: COLLECT,
      pickup: true,
      orderReady: true,
    });
    expect(validReady(data), JSON.stringify(validReady.errors)).toBe(true);
  });

  it('given it is collected, then shipped says it is a pickup and delivered leaves the address out', () => {
    const { ship, deliver } = decideCollect([collection], collection.id, SHIPPED);
    const shipped = shippedEventData(ship!, SHIPPED);
    expect(shipped).toMatchObject({ status: 'shipped', version: 2, pickup: true, orderShipped: true });
    expect(validShipped(shipped), JSON.stringify(validShipped.errors)).toBe(true);
    const delivered = deliveredEventData(deliver!, SHIPPED);
    expect(delivered).toMatchObject({ status: 'delivered', version: 3, orderDelivered: true });
    expect(delivered).not.toHaveProperty('pickup');
    expect(validDelivered(delivered), JSON.stringify(validDelivered.errors)).toBe(true);
  });

  it('given a fulfilment that is not ready, then it refuses to call it ready', () => {
    const decision = { fulfilment: collection, orderReady: true };
    expect(() => readyForPickupEventData(decision, READY)).toThrow(/not ready_for_pickup/);
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
