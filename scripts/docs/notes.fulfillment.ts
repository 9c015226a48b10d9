import type { EventNotes } from './notes.js';

const ORDER_ID = '0195f9d0-2b30-7a11-9c2d-3e4f5a6b7c8d';
const fulfilment = {
  fulfilmentId: `${ORDER_ID}:wh-tilburg`,
  orderId: ORDER_ID,
  reservationId: 'checkout:0195f9d0-2a00-7c33-9d4e-5f6a7b8c9d0e',
  locationId: 'wh-tilburg',
  lines: [{ sku: 'TEE-BLK-M', quantity: 2 }],
};

/** Where the example's parcel goes: what `created` and `shipped` carry for an order placed with delivery. */
const destination = {
  shipTo: {
    name: 'Anna de Vries',
    line1: 'Prinsengracht 263',
    postalCode: '1016 GV',
    city: 'Amsterdam',
    country: 'NL',
    phone: '+31 20 555 0100',
  },
  shippingMethod: { id: 'standard', name: 'Standard delivery' },
  pickup: false,
};

const shared = {
  subject: 'fulfilment/{fulfilmentId}',
  partitionKey: 'order/{orderId}',
  partitionMeaning: 'The order: every fulfilment event of one order shares a key, so they keep their order.',
};

/** Notes of ERP's fulfilment events. */
export const FULFILLMENT_NOTES: Record<string, EventNotes> = {
  'erp.fulfillment.created@1': {
    ...shared,
    sequence: '{version}',
    sequenceMeaning: 'The fulfilment version, equal to `data.version`: always 1 when created.',
    example: {
      id: '0195f9d0-2c40-7d4e-8f50-61a2b3c4d5e7',
      time: '2026-03-07T12:04:11.512Z',
      causationid: '0195f9d0-2b3c-7d4e-8f50-61a2b3c4d5e6',
      data: {
        ...fulfilment,
        version: 1,
        status: 'allocated',
        occurredAt: '2026-03-07T12:04:11.510Z',
        ...destination,
      },
    },
  },
  'erp.fulfillment.shipped@1': {
    ...shared,
    sequence: '{version}',
    sequenceMeaning: 'The fulfilment version, equal to `data.version`: 2 when shipped.',
    example: {
      id: '0195fa41-7e00-7d4e-8f50-61a2b3c4d5e8',
      time: '2026-03-08T09:30:02.004Z',
      data: {
        ...fulfilment,
        version: 2,
        status: 'shipped',
        occurredAt: '2026-03-08T09:30:02.001Z',
        ...destination,
        orderShipped: true,
      },
    },
  },
  'erp.fulfillment.ready_for_pickup@1': {
    ...shared,
    sequence: '{version}',
    sequenceMeaning: 'The fulfilment version, equal to `data.version`: 2 when made ready.',
    example: {
      id: '0195fa20-3c00-7d4e-8f50-61a2b3c4d5ea',
      time: '2026-03-07T15:40:09.310Z',
      data: {
        ...fulfilment,
        fulfilmentId: `${ORDER_ID}:store-amsterdam`,
        locationId: 'store-amsterdam',
        version: 2,
        status: 'ready_for_pickup',
        occurredAt: '2026-03-07T15:40:09.307Z',
        shipTo: {
          name: 'Anna de Vries',
          line1: 'Kalverstraat 92',
          postalCode: '1012 PH',
          city: 'Amsterdam',
          country: 'NL',
          phone: '+31 20 555 0100',
        },
        shippingMethod: { id: 'collect-amsterdam', name: 'Collect in store: Amsterdam Kalverstraat' },
        pickup: true,
        orderReady: true,
      },
    },
  },
  'erp.fulfillment.delivered@1': {
    ...shared,
    sequence: '{version}',
    sequenceMeaning: 'The fulfilment version, equal to `data.version`: 3 when delivered.',
    example: {
      id: '0195fb10-1a00-7d4e-8f50-61a2b3c4d5e9',
      time: '2026-03-09T14:12:40.220Z',
      data: {
        ...fulfilment,
        version: 3,
        status: 'delivered',
        occurredAt: '2026-03-09T14:12:40.218Z',
        orderDelivered: true,
      },
    },
  },
  'erp.fulfillment.cancelled@1': {
    ...shared,
    sequence: '{version}',
    sequenceMeaning: 'The fulfilment version, equal to `data.version`: one past its last before the cancel.',
    example: {
      id: '0195fa02-51c0-7d4e-8f50-61a2b3c4d5eb',
      time: '2026-03-07T13:18:55.402Z',
      data: {
        ...fulfilment,
        version: 2,
        status: 'cancelled',
        occurredAt: '2026-03-07T13:18:55.398Z',
      },
    },
  },
  'erp.fulfillment.backordered@1': {
    subject: 'order/{orderId}/backorders',
    partitionKey: 'order/{orderId}',
    partitionMeaning: 'The order: it keeps its order with the order’s fulfilment events.',
    sequence: '{version}',
    sequenceMeaning:
      'The version of the order’s ERP reservation when this was true, equal to `data.version`: apply only newer.',
    example: {
      id: '0195f9d0-2c41-7d4e-8f50-61a2b3c4d5f0',
      time: '2026-03-07T12:04:11.514Z',
      causationid: '0195f9d0-2b3c-7d4e-8f50-61a2b3c4d5e6',
      data: {
        orderId: ORDER_ID,
        reservationId: fulfilment.reservationId,
        version: 2,
        lines: [{ lineNo: 1, sku: 'TEE-BLK-M', backordered: 3 }],
        occurredAt: '2026-03-07T12:04:11.510Z',
      },
    },
  },
};
