import { describe, expect, it } from 'vitest';
import type { Tx } from './port.js';
import { rowsPerTransaction } from './per-transaction.js';

describe('rowsPerTransaction', () => {
  const stored = new Map([
    ['A', { sku: 'A', n: 1 }],
    ['B', { sku: 'B', n: 2 }],
  ]);
  const setUp = () => {
    const asked: string[][] = [];
    const rowsOf = rowsPerTransaction(
      async (_tx, keys) => {
        asked.push([...keys]);
        return keys.flatMap((key) => stored.get(key) ?? []);
      },
      (row) => row.sku,
    );
    return { asked, rowsOf };
  };

  it('reads each key once per transaction, the missing ones of a call together', async () => {
    const { asked, rowsOf } = setUp();
    const tx = {} as Tx;
    expect((await rowsOf(tx, ['A', 'A'])).get('A')).toEqual({ sku: 'A', n: 1 });
    const both = await rowsOf(tx, ['A', 'B', 'C']);
    expect([...both.keys()].sort()).toEqual(['A', 'B']);
    // C was not found: asked again; a new transaction reads afresh.
    await rowsOf(tx, ['C', 'B']);
    await rowsOf({} as Tx, ['A']);
    expect(asked).toEqual([['A'], ['B', 'C'], ['C'], ['A']]);
  });
});
