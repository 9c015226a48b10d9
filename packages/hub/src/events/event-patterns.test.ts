import { describe, expect, it } from 'vitest';
import { matchesPattern, splitFilter, typeCondition, unknownPatterns } from './event-patterns.js';

describe('event type patterns', () => {
  it.each([
    ['erp.stock.changed', 'erp.stock.changed', true],
    ['erp.stock.changed', 'erp.stock.changed_x', false],
    ['erp.*', 'erp.stock.changed', true],
    ['erp.stock.*', 'erp.stock.exception_raised', true],
    ['erp.stock.*', 'erp.stocks.changed', false],
    ['erp.*', 'erpx.stock.changed', false],
    ['*', 'hub.webhook.disabled', true],
  ])('%s matches %s: %s', (pattern, type, expected) => {
    expect(matchesPattern(pattern, type)).toBe(expected);
  });

  it('names the patterns no known type matches', () => {
    const known = ['erp.stock.changed', 'pos.sale.completed'];
    expect(unknownPatterns(['erp.*', 'crm.*', 'pos.sale.complete', '*'], known)).toEqual([
      'crm.*',
      'pos.sale.complete',
    ]);
  });

  it('turns patterns into SQL with parameters, keeping _ and % in type names literal', () => {
    expect(typeCondition([], 3)).toEqual({ sql: 'TRUE', params: [] });
    expect(typeCondition(['erp.*', '*'], 3)).toEqual({ sql: 'TRUE', params: [] });
    expect(typeCondition(['erp.stock_x.*', 'pos.sale.completed'], 3)).toEqual({
      sql: "(type LIKE $3 ESCAPE '!' OR type = $4)",
      params: ['erp.stock!_x.%', 'pos.sale.completed'],
    });
    expect(splitFilter('a.b,a.b,c.*')).toEqual(['a.b', 'c.*']);
    expect(splitFilter(undefined)).toEqual([]);
  });
});
