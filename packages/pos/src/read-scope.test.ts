import { describe, expect, it } from 'vitest';
import { canSee, quarantineFilter, salesFilter, type Reader } from './read-scope.js';

const till: Reader = { terminalId: 'N1', storeId: 'NORTH', manager: false };
const unboundTill: Reader = { terminalId: 'N1', storeId: null, manager: false };
const manager: Reader = { terminalId: null, storeId: 'NORTH', manager: true };
const admin: Reader = { terminalId: null, storeId: null, manager: true };
const reporting: Reader = { terminalId: null, storeId: null, manager: false };

describe('canSee', () => {
  it.each([
    ['a till, its own sale', till, { storeId: 'NORTH', terminalId: 'N1' }, true],
    ['a till, another till of its store', till, { storeId: 'NORTH', terminalId: 'N2' }, true],
    ["a till, another store's", till, { storeId: 'SOUTH', terminalId: 'S1' }, false],
    ['a till bound to no store, another till', unboundTill, { storeId: 'NORTH', terminalId: 'N2' }, false],
    ["a store's manager, another store's", manager, { storeId: 'SOUTH', terminalId: 'S1' }, false],
    ['the admin, any', admin, { storeId: 'SOUTH', terminalId: 'S1' }, true],
  ])('given %s', (_case, reader, document, expected) => {
    expect(canSee(reader, document)).toBe(expected);
  });
});

describe('salesFilter', () => {
  it.each([
    ['a till listing another till', till, { terminalId: 'N2' }, { terminalId: 'N1', storeId: 'NORTH' }],
    ['a till finding a receipt', till, { receiptNo: 'N2-1-1' }, { storeId: 'NORTH', receiptNo: 'N2-1-1' }],
    [
      'a till bound to no store finding a receipt',
      unboundTill,
      { receiptNo: 'N2-1-1' },
      { terminalId: 'N1', receiptNo: 'N2-1-1' },
    ],
    ['the admin finding a receipt', admin, { receiptNo: 'S1-1-1' }, { receiptNo: 'S1-1-1' }],
  ])('given %s', (_case, reader, query, expected) => {
    const filter = salesFilter(reader, query);
    expect(Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined))).toEqual(
      expected,
    );
  });

  it('refuses a listing that names nothing, for a key bound to no terminal', () => {
    expect(() => salesFilter(reporting, {})).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });
});

describe('quarantineFilter', () => {
  it.each([
    ['a till, whatever it names', till, { terminalId: 'S1' }, { terminalId: 'N1' }],
    ["a store's manager, without a store", manager, {}, { storeId: 'NORTH' }],
    ["a store's manager, its store", manager, { storeId: 'NORTH' }, { storeId: 'NORTH' }],
    ['the admin, a store', admin, { storeId: 'SOUTH' }, { storeId: 'SOUTH' }],
    ['a reporting key, a terminal', reporting, { terminalId: 'S1' }, { terminalId: 'S1' }],
  ])('given %s', (_case, reader, query, expected) => {
    const filter = quarantineFilter(reader, query);
    expect(Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined))).toEqual(
      expected,
    );
  });

  it.each([
    ['a till', till, 'NORTH'],
    ["a store's manager, another store", manager, 'SOUTH'],
    ['a key without pos:manage', reporting, 'NORTH'],
  ])('refuses store-wide to %s', (_case, reader, storeId) => {
    expect(() => quarantineFilter(reader, { storeId })).toThrow(
      expect.objectContaining({ code: 'store_scope_forbidden' }),
    );
  });
});
