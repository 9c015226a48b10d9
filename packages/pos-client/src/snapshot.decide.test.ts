import { describe, expect, it } from 'vitest';
import type { PricingSnapshot } from '@tillstream/contracts';
import { keptSnapshot } from './snapshot.decide.js';

const version = (n: number) => ({ version: n }) as PricingSnapshot;

describe('the pricing snapshot a till keeps after POS sent one', () => {
  it.each([
    ['nothing held, POS sends v5', null, 5, 5],
    ['v5 held, POS sends the newer v6', version(5), 6, 6],
    ['v5 held, a POS instance behind the others sends the older v3', version(5), 3, 5],
    ['v5 held, POS sends v5 again', version(5), 5, 5],
  ] as const)('given %s: keeps the version shown', (_label, held, received, kept) => {
    expect(keptSnapshot(held, version(received)).version).toBe(kept);
  });

  it('keeps the very object it held for an equal version, so nothing is compiled or stored again', () => {
    const held = version(5);
    expect(keptSnapshot(held, version(5))).toBe(held);
  });
});
