import { describe, expect, it } from 'vitest';
import { planRelayRound, type OrderCandidate } from './relay-order.js';

/** `X5` is subject X at sequence 5, relayable; `X5?` is the same row of a transaction still below no xmin. */
function rows(...specs: string[]): OrderCandidate[] {
  return specs.map((spec) => {
    const [, subject, sequence, open] = /^([A-Z])(\d+)(\?)?$/.exec(spec)!;
    return { subject: subject!, sequence: Number(sequence), relayable: open === undefined };
  });
}

describe('planRelayRound', () => {
  it('keeps transaction order when no subject is inverted', () => {
    expect(planRelayRound(rows('X1', 'Y1', 'X2', 'Z1'), 4)).toEqual({
      take: 4,
      order: [0, 1, 2, 3],
      held: 'none',
    });
  });

  it('swaps an inverted pair on its own slots and leaves the other subjects in place', () => {
    expect(planRelayRound(rows('X2', 'Y1', 'X1', 'Z1'), 4)).toEqual({
      take: 4,
      order: [2, 1, 0, 3],
      held: 'none',
    });
  });

  it('sorts a subject with several rows by sequence, keeping equal sequences in transaction order', () => {
    const candidates = rows('X3', 'X1', 'Y1', 'X2', 'Y1');
    expect(planRelayRound(candidates, 5).order).toEqual([1, 3, 2, 0, 4]);
  });

  it('stops before a row whose predecessor is past the batch, and names how far to widen it', () => {
    // Batch of three; row 3 is X1, found after the batch: X2 must not go before it.
    expect(planRelayRound(rows('Y1', 'X2', 'Z1', 'X1'), 3)).toEqual({
      take: 1,
      order: [0],
      held: 'beyond',
      through: 3,
    });
    expect(planRelayRound(rows('X2', 'Y1', 'X1'), 2)).toEqual({
      take: 0,
      order: [],
      held: 'beyond',
      through: 2,
    });
  });

  it('holds a row whose predecessor has not passed the xmin, and everything after it', () => {
    expect(planRelayRound(rows('Y1', 'X2', 'Z1', 'X1?'), 3)).toEqual({
      take: 1,
      order: [0],
      held: 'open',
    });
  });

  it('never cuts between a row and a predecessor that sits later in the same batch', () => {
    // X2 needs X1 (index 3) in the round; Y2 is held by an open Y1, so the cut cannot fall after index 0.
    expect(planRelayRound(rows('X2', 'Y2', 'Z1', 'X1', 'Y1?'), 4)).toEqual({
      take: 0,
      order: [],
      held: 'open',
    });
  });

  it('ignores later rows of a subject with a higher sequence', () => {
    expect(planRelayRound(rows('X1', 'Y1', 'X2?'), 2)).toEqual({ take: 2, order: [0, 1], held: 'none' });
  });
});
