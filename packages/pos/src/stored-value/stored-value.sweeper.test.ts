import { describe, expect, it } from 'vitest';
import { createLogger, manualClock } from '@tillstream/kernel';
import { createStoredValueSweeper } from './stored-value.sweeper.js';

describe('the gift card sweeper', () => {
  it('gives back holds and lapses cards at one instant, however long the holds take', async () => {
    const clock = manualClock('2026-12-01T00:00:00Z');
    const seen: Array<[string, string]> = [];
    const sweeper = createStoredValueSweeper({
      expireHolds: async (_limit, now) => {
        seen.push(['holds', now.toISOString()]);
        // Time moves on while the holds are given back: the lapse must not see a later instant.
        clock.advance(30 * 86_400_000);
        return { found: 0, expired: 0 };
      },
      lapseCards: async (_limit, now) => {
        seen.push(['lapses', now.toISOString()]);
        return { found: 0, expired: 0 };
      },
      clock,
      intervalMs: 60_000,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    await sweeper.sweep();
    expect(seen).toEqual([
      ['holds', '2026-12-01T00:00:00.000Z'],
      ['lapses', '2026-12-01T00:00:00.000Z'],
    ]);
  });

  it('drains a kind while full batches make progress, then goes on to the next', async () => {
    const batches = [100, 100, 3];
    const lapsedAt: number[] = [];
    const sweeper = createStoredValueSweeper({
      expireHolds: async () => {
        const found = batches.shift() ?? 0;
        return { found, expired: found };
      },
      lapseCards: async () => {
        lapsedAt.push(batches.length);
        return { found: 0, expired: 0 };
      },
      clock: manualClock('2026-12-01T00:00:00Z'),
      intervalMs: 60_000,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    expect(await sweeper.sweep()).toBe(203);
    expect(lapsedAt).toEqual([0]);
  });
});
