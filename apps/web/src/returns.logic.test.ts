import { describe, expect, it } from 'vitest';
import {
  checkNoReceiptReturn,
  checkReceiptReturn,
  noReceiptPolicyProblem,
  parseReceiptQuery,
  parseUnits,
  type ReturnPick,
} from './returns.logic.js';

const receipt = [
  { lineNo: 1, sku: 'MUG', sold: 3, returned: 1, lineTotal: 1000 },
  { lineNo: 2, sku: 'TEA', sold: 1, returned: 0, lineTotal: 350 },
];
const picks = (entries: Array<[number, string, ReturnPick['disposition']?]>) =>
  new Map(
    entries.map(([lineNo, quantity, disposition]) => [
      lineNo,
      { quantity, disposition: disposition ?? 'restock' },
    ]),
  );

describe('checkReceiptReturn', () => {
  it.each([
    { name: 'nothing picked', pick: picks([]), lines: 0, refund: 0, problems: [] as number[] },
    { name: 'an empty box is none', pick: picks([[1, ' ']]), lines: 0, refund: 0, problems: [] },
    // 1000 for 3 units, one already returned (refunded 333): the next one refunds 666 − 333.
    { name: 'one of what is left', pick: picks([[1, '1']]), lines: 1, refund: 333, problems: [] },
    // the last two units refund the rest of the line, so unit by unit it adds up to what was paid
    { name: 'all that is left', pick: picks([[1, '2']]), lines: 1, refund: 667, problems: [] },
    {
      name: 'two lines',
      pick: picks([
        [1, '1'],
        [2, '1', 'damaged'],
      ]),
      lines: 2,
      refund: 683,
      problems: [],
    },
    { name: 'more than left', pick: picks([[1, '3']]), lines: 0, refund: 0, problems: [1] },
    { name: 'not a number', pick: picks([[2, '1.5']]), lines: 0, refund: 0, problems: [2] },
    {
      name: 'one bad, one fine',
      pick: picks([
        [1, '9'],
        [2, '1'],
      ]),
      lines: 1,
      refund: 350,
      problems: [1],
    },
  ])('$name', ({ pick, lines, refund, problems }) => {
    const checked = checkReceiptReturn(receipt, pick);
    expect(checked.lines).toHaveLength(lines);
    expect(checked.refund).toBe(refund);
    expect([...checked.problems.keys()]).toEqual(problems);
  });

  it('refunds the tax added to a line in proportion, as the SDK does', () => {
    // 3 × 10.00 + 6.00 tax (tax-exclusive store): one unit refunds 10.00 + 2.00.
    const taxed = [{ lineNo: 1, sku: 'MUG', sold: 3, returned: 0, lineTotal: 3000, tax: 600 }];
    expect(checkReceiptReturn(taxed, picks([[1, '1']])).refund).toBe(1200);
  });

  it("leaves out the return's share of what the sale's card never paid, as the SDK and the server do", () => {
    // 1350 sold, 675 never paid by its gift card: half of each return's value goes unrefunded.
    const tea = checkReceiptReturn(receipt, picks([[2, '1']]), 675);
    expect(tea).toMatchObject({ refund: 175, uncollected: 175 });
    expect(checkReceiptReturn(receipt, picks([[2, '1']]))).toMatchObject({ refund: 350, uncollected: 0 });
  });

  it('names the receipt line and keeps the disposition', () => {
    const checked = checkReceiptReturn(receipt, picks([[2, '1', 'damaged']]));
    expect(checked.lines).toEqual([{ sku: 'TEA', quantity: 1, disposition: 'damaged', originalLineNo: 2 }]);
  });

  it('says how many are left when asked for more', () => {
    expect(checkReceiptReturn(receipt, picks([[1, '3']])).problems.get(1)).toBe(
      'Only 2 left to return: 3 sold, 1 already returned',
    );
    const spent = [{ ...receipt[1]!, returned: 1 }];
    expect(checkReceiptReturn(spent, picks([[2, '1']])).problems.get(2)).toMatch(/^Nothing left to return/);
  });
});

describe('checkNoReceiptReturn', () => {
  it('refunds today’s price per unit and wants a count on every line', () => {
    const checked = checkNoReceiptReturn([
      { sku: 'MUG', unitPrice: 450, pick: { quantity: '2', disposition: 'restock' } },
      { sku: 'TEA', unitPrice: 350, pick: { quantity: '0', disposition: 'damaged' } },
    ]);
    expect(checked.refund).toBe(900);
    expect(checked.lines).toEqual([{ sku: 'MUG', quantity: 2, disposition: 'restock' }]);
    expect([...checked.problems.keys()]).toEqual([2]);
  });
});

describe('parseUnits', () => {
  it.each([
    ['', 0],
    ['3', 3],
    [' 12 ', 12],
    ['-1', null],
    ['1.5', null],
    ['x', null],
    ['1234567', null],
  ])('%j → %j', (text, units) => expect(parseUnits(text)).toBe(units));
});

describe('parseReceiptQuery', () => {
  it.each([
    [
      '0190f3a2-7b1c-7d4e-8f00-123456789abc',
      { kind: 'saleId', saleId: '0190f3a2-7b1c-7d4e-8f00-123456789abc' },
    ],
    [
      '0190F3A2-7B1C-7D4E-8F00-123456789ABC',
      { kind: 'saleId', saleId: '0190f3a2-7b1c-7d4e-8f00-123456789abc' },
    ],
    ['T1-3-12', { kind: 'receiptNo', receiptNo: 'T1-3-12', terminalId: 'T1', shiftSeq: 3 }],
    [
      ' till-north-2-7 ',
      { kind: 'receiptNo', receiptNo: 'till-north-2-7', terminalId: 'till-north', shiftSeq: 2 },
    ],
    ['T1-3', null],
    ['', null],
  ])('%j', (text, parsed) => expect(parseReceiptQuery(text)).toEqual(parsed));
});

describe('noReceiptPolicyProblem', () => {
  const policy = { allowed: true, maxTotal: 5000, refundMethods: ['store_credit'] };
  it.each([
    ['within the policy', policy, 5000, 'store_credit', null],
    ['above the most it refunds', policy, 5001, 'store_credit', /at most/],
    ['in a method it does not allow', policy, 100, 'cash', /only be store credit/],
    [
      'in a store that takes nothing back',
      { ...policy, allowed: false },
      100,
      'store_credit',
      /nothing back/,
    ],
  ])('given a return %s', (_case, given, refund, method, expected) => {
    const problem = noReceiptPolicyProblem(given, refund, method, 'EUR');
    if (expected === null) expect(problem).toBeNull();
    else expect(problem).toMatch(expected);
  });
});
