import { describe, expect, it } from 'vitest';
import { isDomainError } from '@tillstream/kernel';
import { decideOrderListFilter, foldEmail, pageOf, STATUS_LIST } from './order-list.decide.js';

const codeOf = (act: () => unknown) => {
  try {
    act();
    return 'no error';
  } catch (error) {
    return isDomainError(error) ? error.code : 'not a domain error';
  }
};

describe('decideOrderListFilter', () => {
  it('given no filters, lists every order from the start', () => {
    expect(decideOrderListFilter({ limit: 50 })).toEqual({
      statuses: [],
      emailKey: null,
      from: null,
      to: null,
      after: null,
      limit: 50,
    });
  });

  it('given several statuses, asks for each once', () => {
    expect(decideOrderListFilter({ status: 'placed,shipped,placed', limit: 5 }).statuses).toEqual([
      'placed',
      'shipped',
    ]);
  });

  it('given an email, matches it with A–Z folded and nothing else', () => {
    expect(decideOrderListFilter({ email: 'Ann.Lee@Example.COM', limit: 5 }).emailKey).toBe(
      'ann.lee@example.com',
    );
    expect(foldEmail('ÉVA@Example.com')).toBe('Éva@example.com');
  });

  it.each([
    ['from before to', '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z', 'no error'],
    [
      'from equal to to (an empty period)',
      '2026-03-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
      'no error',
    ],
    ['from after to', '2026-03-02T00:00:00.000Z', '2026-03-01T00:00:00.000Z', 'order_period_reversed'],
    [
      'from after to by a millisecond',
      '2026-03-01T00:00:00.001Z',
      '2026-03-01T00:00:00.000Z',
      'order_period_reversed',
    ],
  ])('given %s → %s', (_case, from, to, code) => {
    expect(codeOf(() => decideOrderListFilter({ from, to, limit: 5 }))).toBe(code);
  });

  it.each([
    [
      'an upper bound past year 9999 as no bound at all',
      { to: '+010000-01-01T00:30:00.000Z' },
      ['9999-99', null],
    ],
    [
      'a lower bound past year 9999 after every order',
      { from: '+010000-01-01T00:30:00.000Z' },
      [null, '9999-99'],
    ],
    [
      'a bound before year 0 as it is',
      { from: '-000001-12-31T23:00:00.000Z' },
      [null, '-000001-12-31T23:00:00.000Z'],
    ],
  ])('keeps %s', (_case, bounds, [to, from]) => {
    const filter = decideOrderListFilter({ ...bounds, limit: 5 });
    expect([filter.to, filter.from]).toEqual([to, from]);
  });

  it('compares the ends as instants, not as text', () => {
    const [pastYear9999, year2026] = ['+010000-01-01T00:30:00.000Z', '2026-03-01T00:00:00.000Z'];
    expect(codeOf(() => decideOrderListFilter({ from: pastYear9999, to: year2026, limit: 5 }))).toBe(
      'order_period_reversed',
    );
    expect(codeOf(() => decideOrderListFilter({ from: year2026, to: pastYear9999, limit: 5 }))).toBe(
      'no error',
    );
  });

  it('refuses a reversed period as unprocessable, naming both ends', () => {
    try {
      decideOrderListFilter({ from: '2026-03-02T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', limit: 5 });
      expect.fail('accepted a reversed period');
    } catch (error) {
      expect(isDomainError(error) && [error.kind, error.extensions]).toEqual([
        'unprocessable',
        { from: '2026-03-02T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' },
      ]);
    }
  });
});

describe('STATUS_LIST', () => {
  it.each([
    ['placed', true],
    ['placed,allocated,partially_shipped', true],
    ['refunded,cancelled', true],
    ['', false],
    ['Placed', false],
    ['placed,', false],
    [',placed', false],
    ['placed,,shipped', false],
    ['placed shipped', false],
    ['lost', false],
  ])('%j is a status list: %s', (value, ok) => {
    expect(new RegExp(STATUS_LIST).test(value)).toBe(ok);
  });
});

describe('pageOf', () => {
  const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ id: `o${index}` }));

  it.each([
    ['fewer rows than the limit', 2, 3, ['o0', 'o1'], null],
    ['exactly the limit', 3, 3, ['o0', 'o1', 'o2'], null],
    ['one more than the limit', 4, 3, ['o0', 'o1', 'o2'], 'o2'],
    ['no rows', 0, 3, [], null],
  ])('given %s, shows the page and its next', (_case, count, limit, ids, next) => {
    const page = pageOf(rows(count), limit);
    expect([page.items.map((row) => row.id), page.next]).toEqual([ids, next]);
  });
});
