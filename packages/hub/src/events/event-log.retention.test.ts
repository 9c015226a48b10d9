import { describe, expect, it } from 'vitest';
import { prunableThrough } from './event-log.retention.js';

const CUTOFF = '2026-12-01T00:00:00.000Z';
const event = (position: number, indexedAt: string) => ({ position, indexedAt });
const OLD = '2026-11-01T00:00:00.000Z';
const NEW = '2026-12-01T00:00:00.001Z';

describe('how far the hub log may be pruned', () => {
  it('takes the run of oldest events indexed before the cutoff', () => {
    const oldest = [event(1, OLD), event(2, OLD), event(5, OLD), event(6, NEW), event(7, OLD)];
    expect(prunableThrough(oldest, CUTOFF, 100)).toEqual(event(5, OLD));
  });

  it('stops short of what must stay: the newest event, or one an open delivery holds', () => {
    const oldest = [event(1, OLD), event(2, OLD), event(3, OLD)];
    expect(prunableThrough(oldest, CUTOFF, 3)).toEqual(event(2, OLD));
    expect(prunableThrough(oldest, CUTOFF, 2)).toEqual(event(1, OLD));
  });

  it('prunes nothing when the first event must stay or is recent', () => {
    expect(prunableThrough([event(1, OLD)], CUTOFF, 1)).toBeNull();
    expect(prunableThrough([event(1, CUTOFF)], CUTOFF, 100)).toBeNull();
    expect(prunableThrough([], CUTOFF, 100)).toBeNull();
  });
});
