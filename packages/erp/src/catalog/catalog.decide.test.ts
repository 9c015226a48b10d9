import { describe, expect, it } from 'vitest';
import { gtin14, hasGtinCheckDigit } from '@tillstream/contracts';
import { decideLocation, decideProduct, type Product } from './catalog.decide.js';

const price = { amount: 1299, currency: 'EUR' };

describe('decideLocation', () => {
  it('creates version 1, and a PUT with the same content changes nothing', () => {
    const first = decideLocation(null, 'S1', { name: 'Main St', kind: 'store' });
    expect(first).toMatchObject({ created: true, changed: true, state: { version: 1 } });
    const again = decideLocation(first.state, 'S1', { name: 'Main St', kind: 'store' });
    expect(again).toMatchObject({ created: false, changed: false, state: { version: 1 } });
  });

  it('refuses to turn a store into a warehouse', () => {
    const store = decideLocation(null, 'S1', { name: 'Main St', kind: 'store' }).state;
    expect(() => decideLocation(store, 'S1', { name: 'Main St', kind: 'warehouse' })).toThrowError(
      expect.objectContaining({ code: 'location_kind_change' }),
    );
  });
});

describe('decideLocation with a time zone', () => {
  const store = { name: 'Dam Square', kind: 'store' } as const;

  it('keeps the zone as given, even one the time zone database spells the old way; again, nothing changes', () => {
    const first = decideLocation(null, 'AMS', { ...store, timeZone: 'Europe/Amsterdam' });
    expect(first.state).toEqual({ ...store, locationId: 'AMS', timeZone: 'Europe/Amsterdam', version: 1 });
    expect(decideLocation(null, 'KTM', { ...store, timeZone: 'Asia/Kathmandu' }).state.timeZone).toBe(
      'Asia/Kathmandu',
    );
    expect(decideLocation(first.state, 'AMS', { ...store, timeZone: 'Europe/Amsterdam' }).changed).toBe(
      false,
    );
  });

  it('makes a new version when the zone changes or is left out', () => {
    const first = decideLocation(null, 'AMS', { ...store, timeZone: 'Europe/Amsterdam' }).state;
    expect(decideLocation(first, 'AMS', { ...store, timeZone: 'Europe/London' }).state).toMatchObject({
      timeZone: 'Europe/London',
      version: 2,
    });
    const cleared = decideLocation(first, 'AMS', store);
    expect(cleared).toMatchObject({ changed: true, state: { version: 2 } });
    expect(cleared.state).not.toHaveProperty('timeZone');
  });

  it.each(['Nowhere/City', '+01:00', '-05:00'])('refuses %s as unknown_time_zone', (timeZone) => {
    expect(() => decideLocation(null, 'AMS', { ...store, timeZone })).toThrowError(
      expect.objectContaining({ code: 'unknown_time_zone', extensions: { timeZone } }),
    );
  });
});

describe('decideLocation with cash rounding', () => {
  const store = { name: 'Dam Square', kind: 'store' } as const;

  it('keeps a store’s increment, makes a new version when it changes or is left out, none when it is the same', () => {
    const first = decideLocation(null, 'AMS', { ...store, cashRoundingIncrement: 5 });
    expect(first.state).toEqual({ ...store, locationId: 'AMS', cashRoundingIncrement: 5, version: 1 });
    expect(decideLocation(first.state, 'AMS', { ...store, cashRoundingIncrement: 5 }).changed).toBe(false);
    expect(decideLocation(first.state, 'AMS', { ...store, cashRoundingIncrement: 10 }).state).toMatchObject({
      cashRoundingIncrement: 10,
      version: 2,
    });
    const cleared = decideLocation(first.state, 'AMS', store);
    expect(cleared).toMatchObject({ changed: true, state: { version: 2 } });
    expect(cleared.state).not.toHaveProperty('cashRoundingIncrement');
  });

  it('refuses it on a warehouse, which takes no cash', () => {
    expect(() =>
      decideLocation(null, 'WH', { name: 'DC', kind: 'warehouse', cashRoundingIncrement: 5 }),
    ).toThrowError(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('decideProduct', () => {
  it('starts a product active, and keeps its status over a PUT that does not name one', () => {
    const first = decideProduct(null, 'A', { name: 'Tee', price });
    expect(first.state.status).toBe('active');
    const archived = decideProduct(first.state, 'A', { name: 'Tee', price, status: 'archived' });
    expect(archived).toMatchObject({ changed: true, state: { status: 'archived', version: 2 } });
    // A price update from an integration that knows nothing of status leaves the product archived.
    const repriced = decideProduct(archived.state, 'A', { name: 'Tee', price: { ...price, amount: 999 } });
    expect(repriced.state).toMatchObject({ status: 'archived', version: 3 });
    expect(decideProduct(null, 'B', { name: 'Mug', price, status: 'draft' }).state.status).toBe('draft');
  });

  it('bumps the version only when something changed', () => {
    const first = decideProduct(null, 'A', { name: 'Tee', price });
    expect(first.state).toMatchObject({ kind: 'standard', backorderable: false, version: 1 });
    expect(decideProduct(first.state, 'A', { name: 'Tee', price }).changed).toBe(false);
    const repriced = decideProduct(first.state, 'A', {
      name: 'Tee',
      price: { amount: 999, currency: 'EUR' },
    });
    expect(repriced).toMatchObject({ changed: true, state: { version: 2 } });
  });

  it.each([
    {
      name: 'kit without components',
      sku: 'K',
      command: { kind: 'kit' as const },
      code: 'validation_failed',
    },
    {
      name: 'standard with components',
      sku: 'A',
      command: { components: [{ sku: 'B', quantity: 1 }] },
      code: 'validation_failed',
    },
    {
      name: 'kit containing itself',
      sku: 'K',
      command: { kind: 'kit' as const, components: [{ sku: 'K', quantity: 1 }] },
      code: 'kit_cycle',
    },
  ])('refuses a $name', ({ sku, command, code }) => {
    expect(() => decideProduct(null as Product | null, sku, { name: 'x', price, ...command })).toThrowError(
      expect.objectContaining({ code }),
    );
  });
});

describe('barcodes', () => {
  it('takes GTINs whose check digit is right, in any length a GTIN has', () => {
    for (const code of ['96385074', '036000291452', '4006381333931', '10036000291459'])
      expect(hasGtinCheckDigit(code)).toBe(true);
    for (const code of ['96385075', '036000291453', '4006381333932', '1234567', '123456789', 'ABCDEFGH'])
      expect(hasGtinCheckDigit(code)).toBe(false);
    expect(gtin14('036000291452')).toBe(gtin14('0036000291452'));
  });

  it('keeps a product’s barcodes over a PUT that names none, and clears them with an empty list', () => {
    const first = decideProduct(null, 'A', { name: 'Tee', price, barcodes: ['4006381333931'] }).state;
    expect(first.barcodes).toEqual(['4006381333931']);
    expect(decideProduct(first, 'A', { name: 'Tee', price }).changed).toBe(false);
    expect(decideProduct(first, 'A', { name: 'Tee', price, barcodes: [] }).state).toMatchObject({
      barcodes: [],
      version: 2,
    });
  });

  it.each([
    ['a wrong check digit', ['4006381333932'], ['4006381333932']],
    ['the same GTIN in two forms', ['036000291452', '0036000291452'], ['0036000291452']],
  ])('refuses %s as invalid_barcode, naming them', (_what, barcodes, named) => {
    expect(() => decideProduct(null, 'A', { name: 'Tee', price, barcodes })).toThrowError(
      expect.objectContaining({ code: 'invalid_barcode', extensions: { barcodes: named } }),
    );
  });
});
