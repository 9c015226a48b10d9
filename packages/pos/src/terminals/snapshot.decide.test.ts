import { describe, expect, it } from 'vitest';
import type { PricingSnapshot } from '@tillstream/contracts';
import { keptSnapshot, type SnapshotRead } from './snapshot.decide.js';

const version = (n: number) => ({ version: n }) as PricingSnapshot;

describe('the pricing snapshot POS keeps after a read from ERP', () => {
  it.each([
    ['nothing held, ERP sends v5', null, version(5), 5],
    ['nothing held, ERP has none', null, null, null],
    ['v5 held, ERP sends the newer v6', version(5), version(6), 6],
    ['v5 held, a lagging ERP instance sends the older v3', version(5), version(3), 5],
    ['v5 held, ERP sends v5 again (no If-None-Match match)', version(5), version(5), 5],
    ['v5 held, ERP answers 304', version(5), 'unchanged', 5],
    ['v5 held, a lagging ERP instance has none', version(5), null, 5],
  ] as const)('given %s: keeps the version shown', (_label, held, read: SnapshotRead, kept) => {
    expect(keptSnapshot(held, read)?.version ?? null).toBe(kept);
  });

  it('keeps the very object it held, not an equal-versioned copy', () => {
    const held = version(5);
    expect(keptSnapshot(held, version(5))).toBe(held);
  });
});
