import { describe, expect, it } from 'vitest';
import {
  decideOrderHold,
  decideTransition,
  newReservation,
  reservationFingerprint,
  reservationMovements,
  reservationView,
  type ReservationStatus,
  type Transition,
} from './reservation.decide.js';

const command = {
  id: 'r1',
  channel: 'web',
  lines: [
    { sku: 'A', quantity: 2 },
    { sku: 'K', quantity: 1, locationId: 'S1' },
  ],
  expiresInSeconds: 900,
};
const now = new Date('2026-11-01T10:00:00.000Z');

describe('newReservation', () => {
  it('holds until now + expiresInSeconds, version 1', () => {
    expect(newReservation(command, now)).toMatchObject({
      status: 'held',
      expiresAt: '2026-11-01T10:15:00.000Z',
      createdAt: '2026-11-01T10:00:00.000Z',
      version: 1,
    });
  });

  it('fingerprints content, not key order', () => {
    const reordered = { expiresInSeconds: 900, lines: command.lines, channel: 'web', id: 'r1' };
    expect(reservationFingerprint(reordered)).toBe(reservationFingerprint(command));
    expect(reservationFingerprint({ ...command, expiresInSeconds: 60 })).not.toBe(
      reservationFingerprint(command),
    );
  });
});

describe('decideTransition', () => {
  const before = '2026-11-01T10:10:00.000Z';
  const after = '2026-11-01T10:20:00.000Z';
  it.each([
    ['held', 'commit', before, 'committed'],
    ['held', 'commit', after, 'reservation_expired'],
    ['held', 'release', before, 'released'],
    ['held', 'release', after, 'released'],
    ['held', 'expire', before, null],
    ['held', 'expire', after, 'expired'],
    ['committed', 'commit', before, null],
    ['committed', 'release', before, 'reservation_not_held'],
    ['committed', 'expire', after, null],
    ['released', 'commit', before, 'reservation_not_held'],
    ['released', 'release', before, null],
    ['released', 'expire', after, null],
    ['expired', 'commit', after, 'reservation_expired'],
    ['expired', 'release', after, null],
    ['expired', 'expire', after, null],
  ] as Array<[ReservationStatus, Transition, string, string | null]>)(
    '%s + %s at %s → %s',
    (status, action, at, outcome) => {
      const reservation = { id: 'r1', status, expiresAt: '2026-11-01T10:15:00.000Z' };
      if (outcome?.startsWith('reservation_')) {
        expect(() => decideTransition(reservation, action, at)).toThrowError(
          expect.objectContaining({ code: outcome }),
        );
      } else {
        expect(decideTransition(reservation, action, at)).toBe(outcome);
      }
    },
  );
});

describe('decideTransition once part of the order shipped', () => {
  const reservation = { id: 'r1', status: 'held' as const, expiresAt: '2026-11-01T10:15:00.000Z' };
  const at = '2026-11-01T10:10:00.000Z';
  it('refuses to release: the units that left would go back on sale', () => {
    expect(() =>
      decideTransition(reservation, 'release', at, { shipped: true, forOrder: true }),
    ).toThrowError(expect.objectContaining({ code: 'order_transition_invalid', kind: 'conflict' }));
  });
  it('still commits when the last fulfilment ships', () => {
    expect(decideTransition(reservation, 'commit', at, { shipped: true, forOrder: true })).toBe('committed');
  });
});

describe('decideTransition of a hold kept for a placed order', () => {
  // Kept before order holds lost their time limit: it still shows the old 30 days, long past.
  const reservation = { id: 'r1', status: 'held' as const, expiresAt: '2026-11-01T10:15:00.000Z' };
  const muchLater = '2027-06-01T00:00:00.000Z';
  it.each([{ shipped: false }, { shipped: true }])(
    'never expires while the order is open (shipped in part: $shipped)',
    ({ shipped }) => {
      expect(decideTransition(reservation, 'expire', muchLater, { forOrder: true, shipped })).toBeNull();
    },
  );
  it('commits whenever its last fulfilment ships', () => {
    expect(decideTransition(reservation, 'commit', muchLater, { forOrder: true })).toBe('committed');
  });
});

describe('reservationMovements', () => {
  const placements = [
    { line: 0, sku: 'A', locationId: 'W1', quantity: 2 },
    { line: 1, sku: 'A', locationId: 'W1', quantity: 1 },
    { line: 1, sku: 'B', locationId: 'S1', quantity: 1 },
  ];
  it.each([
    { action: 'hold', change: { onHand: 0, reserved: 3 } },
    { action: 'commit', change: { onHand: -3, reserved: -3 } },
    { action: 'release', change: { onHand: 0, reserved: -3 } },
    { action: 'expire', change: { onHand: 0, reserved: -3 } },
  ] as const)('$action writes one movement per key', ({ action, change }) => {
    const movements = reservationMovements(
      'reservation/r1',
      action,
      placements,
      '2026-11-01T10:00:00.000Z',
      'web',
    );
    expect(movements).toHaveLength(2);
    expect(movements[0]).toMatchObject({
      id: `reservation/r1/${action}/A@W1`,
      channel: 'web',
      kind: action,
      reference: 'reservation/r1',
      change: { ...change, inTransit: 0, damaged: 0 },
    });
  });
});

describe('reservationView', () => {
  it('shows each line with its allocations and what is still backordered', () => {
    const reservation = newReservation(command, now);
    const view = reservationView(
      reservation,
      [{ line: 0, sku: 'A', locationId: 'W1', quantity: 1 }],
      [{ backorderId: 7, line: 0, sku: 'A', locationId: 'W1', quantity: 3, filled: 2, status: 'open' }],
    );
    expect(view.lines[0]).toEqual({
      sku: 'A',
      quantity: 2,
      allocations: [{ sku: 'A', locationId: 'W1', quantity: 1 }],
      backordered: [{ sku: 'A', locationId: 'W1', quantity: 1 }],
    });
    expect(view.lines[1]).toMatchObject({ allocations: [], backordered: [] });
  });
});

describe('decideOrderHold', () => {
  const held = { id: 'r1', status: 'held' as const, expiresAt: '2026-11-01T10:15:00.000Z' };
  it.each([
    { name: 'a hold valid when the order was placed is kept', reservation: held, outcome: 'keep' },
    {
      name: 'a hold past due but not yet swept is kept: its units never left reserved',
      reservation: { ...held, expiresAt: '2026-11-01T10:05:00.000Z' },
      outcome: 'keep',
    },
    {
      name: 'a committed hold needs nothing',
      reservation: { ...held, status: 'committed' as const },
      outcome: 'none',
    },
    {
      name: 'an expired hold is held anew: the order is paid',
      reservation: { ...held, status: 'expired' as const },
      outcome: 'rehold',
    },
  ])('$name', ({ reservation, outcome }) => {
    expect(decideOrderHold(reservation, '2026-11-01T10:10:00.000Z')).toBe(outcome);
  });

  it('refuses a hold released on purpose (its order was cancelled)', () => {
    expect(() =>
      decideOrderHold({ ...held, status: 'released' as const }, '2026-11-01T10:10:00.000Z'),
    ).toThrowError(expect.objectContaining({ code: 'reservation_expired' }));
  });
});
