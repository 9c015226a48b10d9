import { describe, expect, it } from 'vitest';
import {
  adjustmentMovement,
  availableOf,
  changeOf,
  countTimeOf,
  decideMovement,
  emptyBalance,
  type Change,
  type Movement,
  type MovementKind,
  type StockBalance,
} from './stock.decide.js';
import { countTime, decideCount } from './count.decide.js';

const balance = (figures: Partial<StockBalance> = {}): StockBalance => ({
  ...emptyBalance('A', 'S1'),
  onHand: 10,
  reserved: 2,
  inTransit: 4,
  damaged: 1,
  version: 7,
  ...figures,
});

/** When ERP records the movements below unless a test says otherwise: after all their business times. */
const LATER = '2026-11-01T12:00:00.000Z';

const movement = (
  kind: MovementKind,
  change: Partial<Change>,
  occurredAt = '2026-11-01T10:00:00.000Z',
): Movement => ({
  id: `m-${kind}`,
  sku: 'A',
  locationId: 'S1',
  kind,
  change: changeOf(change),
  occurredAt,
  reference: `doc/${kind}`,
});

describe('every movement kind changes its balances and bumps the version once', () => {
  it.each([
    { kind: 'received', change: { onHand: 5 }, after: { onHand: 15, reserved: 2, inTransit: 4, damaged: 1 } },
    { kind: 'sold', change: { onHand: -3 }, after: { onHand: 7, reserved: 2, inTransit: 4, damaged: 1 } },
    { kind: 'returned', change: { onHand: 1 }, after: { onHand: 11, reserved: 2, inTransit: 4, damaged: 1 } },
    {
      kind: 'returned_damaged',
      change: { damaged: 1 },
      after: { onHand: 10, reserved: 2, inTransit: 4, damaged: 2 },
    },
    {
      kind: 'damaged',
      change: { onHand: -2, damaged: 2 },
      after: { onHand: 8, reserved: 2, inTransit: 4, damaged: 3 },
    },
    { kind: 'adjusted', change: { onHand: -1 }, after: { onHand: 9, reserved: 2, inTransit: 4, damaged: 1 } },
    { kind: 'counted', change: { onHand: -4 }, after: { onHand: 6, reserved: 2, inTransit: 4, damaged: 1 } },
    {
      kind: 'transfer_out',
      change: { onHand: -6 },
      after: { onHand: 4, reserved: 2, inTransit: 4, damaged: 1 },
    },
    {
      kind: 'transfer_incoming',
      change: { inTransit: 6 },
      after: { onHand: 10, reserved: 2, inTransit: 10, damaged: 1 },
    },
    {
      kind: 'transfer_in',
      change: { onHand: 3, inTransit: -3 },
      after: { onHand: 13, reserved: 2, inTransit: 1, damaged: 1 },
    },
    {
      kind: 'transfer_lost',
      change: { inTransit: -4 },
      after: { onHand: 10, reserved: 2, inTransit: 0, damaged: 1 },
    },
    { kind: 'hold', change: { reserved: 3 }, after: { onHand: 10, reserved: 5, inTransit: 4, damaged: 1 } },
    {
      kind: 'commit',
      change: { onHand: -2, reserved: -2 },
      after: { onHand: 8, reserved: 0, inTransit: 4, damaged: 1 },
    },
    {
      kind: 'release',
      change: { reserved: -2 },
      after: { onHand: 10, reserved: 0, inTransit: 4, damaged: 1 },
    },
    {
      kind: 'expire',
      change: { reserved: -1 },
      after: { onHand: 10, reserved: 1, inTransit: 4, damaged: 1 },
    },
  ] as Array<{ kind: MovementKind; change: Partial<Change>; after: Partial<StockBalance> }>)(
    '$kind',
    ({ kind, change, after }) => {
      const plan = decideMovement(balance(), movement(kind, change), LATER);
      expect(plan.rows).toHaveLength(1);
      expect(plan.after).toMatchObject({ ...after, version: 8 });
      expect(plan.exception).toBe(false);
    },
  );
});

describe('available', () => {
  it('is on hand less reserved less the channel safety stock', () => {
    expect(availableOf(balance())).toBe(8);
    expect(availableOf(balance(), 3)).toBe(5);
  });
});

describe('negative on-hand is an exception, never a refusal', () => {
  it.each([
    { onHand: 5, quantity: -5, exception: false },
    { onHand: 5, quantity: -6, exception: true },
    { onHand: -1, quantity: 3, exception: false },
    { onHand: -1, quantity: -1, exception: true },
  ])(
    'a sale of $quantity from $onHand raises an exception: $exception',
    ({ onHand, quantity, exception }) => {
      const plan = decideMovement(balance({ onHand }), movement('sold', { onHand: quantity }), LATER);
      expect(plan.after.onHand).toBe(onHand + quantity);
      expect(plan.exception).toBe(exception);
    },
  );
});

describe('adjustments', () => {
  it.each([
    { reason: 'received', delta: 3, kind: 'received', change: { onHand: 3 } },
    { reason: 'received', delta: -3, kind: 'adjusted', change: { onHand: -3 } },
    { reason: 'shrinkage', delta: -1, kind: 'adjusted', change: { onHand: -1 } },
    { reason: 'damaged', delta: -2, kind: 'damaged', change: { onHand: -2, damaged: 2 } },
    { reason: 'damaged', delta: 2, kind: 'adjusted', change: { onHand: 2 } },
  ])('$reason $delta is $kind', ({ reason, delta, kind, change }) => {
    expect(adjustmentMovement(reason, delta)).toEqual({ kind, change: changeOf(change) });
  });
});

/**
 * The count rule, as a ledger story per row: stock 10 at 09:00, a physical count at 11:00, and a sale of 2
 * whose business time and arrival order vary. Whatever the arrival order, on-hand ends at what the shelf
 * says: the count, less what was sold after it.
 */
describe('a count with a late earlier sale', () => {
  const T = (hhmm: string) => `2026-11-01T${hhmm}:00.000Z`;
  /** A sale's business time, and when ERP records it (12:00, after the count, unless `arrives`). */
  type Step = { sale: string; arrives?: string } | { count: number };
  const run = (steps: Step[]) => {
    let state = balance({ onHand: 10, reserved: 0, inTransit: 0, damaged: 0, version: 1 });
    const ledger: Array<Movement & { recordedAt: string }> = [];
    for (const step of steps) {
      if ('sale' in step) {
        const recordedAt = T(step.arrives ?? '12:00');
        const plan = decideMovement(state, movement('sold', { onHand: -2 }, T(step.sale)), recordedAt);
        ledger.push(...plan.rows.map((row) => ({ ...row, recordedAt })));
        state = plan.after;
      } else {
        // As the store's changedAfter: business time, but no later than arrival.
        const changedAfter = ledger
          .filter((row) => countTimeOf(row.occurredAt, row.recordedAt) > T('11:00'))
          .reduce((sum, row) => sum + row.change.onHand, 0);
        const decision = decideCount(state, step.count, T('11:00'), changedAfter)!;
        const counted = movement('counted', { onHand: decision.variance }, T('11:00'));
        const plan = decideMovement(state, counted, T('11:00'));
        ledger.push(...plan.rows.map((row) => ({ ...row, recordedAt: T('11:00') })));
        state = plan.after;
      }
    }
    return { state, kinds: ledger.map((row) => row.kind) };
  };

  it.each([
    {
      story: 'sale at 10:00 arrives before the 11:00 count of 8',
      steps: [{ sale: '10:00', arrives: '10:00' }, { count: 8 }],
      onHand: 8,
      kinds: ['sold', 'counted'],
    },
    {
      story: 'sale at 10:00 arrives after the 11:00 count of 8 (offline till): not subtracted twice',
      steps: [{ count: 8 }, { sale: '10:00' }],
      onHand: 8,
      kinds: ['counted', 'sold', 'count_offset'],
    },
    {
      story: 'sale exactly at the count time arrives late: the count saw it',
      steps: [{ count: 8 }, { sale: '11:00' }],
      onHand: 8,
      kinds: ['counted', 'sold', 'count_offset'],
    },
    {
      story: 'sale at 11:30 arrives after the 11:00 count of 10: applied',
      steps: [{ count: 10 }, { sale: '11:30' }],
      onHand: 8,
      kinds: ['counted', 'sold'],
    },
    {
      story: 'sale at 11:30 arrives before the 11:00 count of 10: stays on top of the count',
      steps: [{ sale: '11:30', arrives: '11:45' }, { count: 10 }],
      onHand: 8,
      kinds: ['sold', 'counted'],
    },
    {
      story: 'sale dated 13:00 by a till clock running ahead, arriving at 10:30, before the 11:00 count of 8',
      steps: [{ sale: '13:00', arrives: '10:30' }, { count: 8 }],
      onHand: 8,
      kinds: ['sold', 'counted'],
    },
  ] as Array<{ story: string; steps: Step[]; onHand: number; kinds: MovementKind[] }>)(
    '$story',
    ({ steps, onHand, kinds }) => {
      const { state, kinds: written } = run(steps);
      expect(state.onHand).toBe(onHand);
      expect(written).toEqual(kinds);
      expect(state.version).toBe(1 + kinds.length);
    },
  );

  it('a sale dated ahead of the count but arriving after it is applied: the shelf had not seen it', () => {
    const { state, kinds } = run([{ count: 10 }, { sale: '13:00', arrives: '11:30' }]);
    expect(state.onHand).toBe(8);
    expect(kinds).toEqual(['counted', 'sold']);
  });

  it('an offset takes back only on-hand: a late damaged write-down still moves units to damaged', () => {
    const counted = balance({ lastCountedAt: T('11:00'), damaged: 0 });
    const plan = decideMovement(counted, movement('damaged', { onHand: -2, damaged: 2 }, T('10:00')), LATER);
    expect(plan.rows.map((row) => row.change)).toEqual([
      changeOf({ onHand: -2, damaged: 2 }),
      changeOf({ onHand: 2 }),
    ]);
    expect(plan.after).toMatchObject({ onHand: 10, damaged: 2 });
  });

  it('a count dated ahead of ERP is stored at its arrival, so a commit ERP dates after it is not offset', () => {
    const now = new Date(T('11:00'));
    const at = countTime('2026-11-01T11:00:30.000Z', now);
    expect(at).toBe(T('11:00'));
    const counted = balance({ lastCountedAt: at, reserved: 2 });
    const commitAt = '2026-11-01T11:00:05.000Z';
    const plan = decideMovement(
      counted,
      movement('commit', { onHand: -2, reserved: -2 }, commitAt),
      commitAt,
    );
    expect(plan.rows.map((row) => row.kind)).toEqual(['commit']);
    expect(plan.after).toMatchObject({ onHand: 8, reserved: 0 });
  });

  it('a count keeps its business time when in the past, and is refused more than a minute ahead', () => {
    const now = new Date(T('11:00'));
    expect(countTime(T('10:15'), now)).toBe(T('10:15'));
    expect(() => countTime('2026-11-01T11:01:01.000Z', now)).toThrow(
      expect.objectContaining({ code: 'count_in_future' }),
    );
  });

  it('a count older than the latest count of its key is refused', () => {
    const counted = balance({ lastCountedAt: T('11:00') });
    expect(decideCount(counted, 3, T('10:59'), 0)).toBeNull();
    expect(decideCount(counted, 3, T('11:00'), 0)).toBeNull();
    expect(decideCount(counted, 3, T('11:01'), 0)).toEqual({ expected: 10, variance: -7 });
  });
});
