import { describe, expect, it } from 'vitest';
import { amountText } from './amount-text.js';
import { settleTenders } from './cart.js';
import { TerminalError } from './errors.js';

describe('amounts in error texts', () => {
  it('reads minor units in the currency’s own minor digits', () => {
    expect(amountText(1250, 'EUR')).toBe('€12.50');
    expect(amountText(1250, 'JPY')).toBe('¥1,250');
    expect(amountText(1250, 'KWD')).toMatch(/^KWD\s1\.250$/);
    // No currency, or one Intl does not know: the minor units as they are, never a crash.
    expect(amountText(1250, undefined)).toBe('1250');
    expect(amountText(1250, 'E1R')).toBe('1250');
  });

  it('tells the cashier what is still due as money, not minor units', () => {
    const short = () => settleTenders(1500, [{ method: 'card', amount: 1000 }], null, 'EUR');
    expect(short).toThrow(TerminalError);
    expect(short).toThrow('€5.00 is still due');
    expect(() => settleTenders(1500, [{ method: 'card', amount: 2000 }], null, 'EUR')).toThrow(
      'card pays €20.00 but only €15.00 is due',
    );
  });
});
