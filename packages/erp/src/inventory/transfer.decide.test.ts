import { fingerprintOf } from '@tillstream/kernel';
import { describe, expect, it } from 'vitest';
import {
  decideReceipt,
  decideShip,
  isOverdue,
  newTransfer,
  transferFingerprint,
  type Transfer,
  type TransferCommand,
} from './transfer.decide.js';

const at = '2026-11-01T10:00:00.000Z';
const draft = newTransfer(
  {
    id: 't1',
    sourceId: 'W1',
    destinationId: 'S1',
    lines: [
      { sku: 'A', quantity: 10 },
      { sku: 'B', quantity: 2 },
    ],
  },
  at,
);
const shipped = decideShip(draft, at)!.transfer;
const receipt = (id: string, lines: Array<{ sku: string; quantity: number }>, close = false) => ({
  id,
  occurredAt: at,
  lines,
  close,
});
const changes = (plan: {
  movements: Array<{ kind: string; sku: string; locationId: string; change: object }>;
}) => plan.movements.map((m) => [m.kind, m.sku, m.locationId, m.change]);

describe('transfers', () => {
  it('refuses a transfer to its own source', () => {
    expect(() => newTransfer({ id: 't', sourceId: 'W1', destinationId: 'W1', lines: [] }, at)).toThrowError(
      expect.objectContaining({ code: 'transfer_same_location' }),
    );
  });

  it('ships source on-hand into destination in-transit, once', () => {
    const plan = decideShip(draft, at)!;
    expect(plan.kind).toBe('ship');
    if (plan.kind !== 'ship') return;
    expect(plan.transfer).toMatchObject({
      status: 'in_transit',
      version: 1,
      shippedAt: at,
      expectedAt: null,
    });
    expect(changes(plan)).toEqual([
      ['transfer_out', 'A', 'W1', { onHand: -10, reserved: 0, inTransit: 0, damaged: 0 }],
      ['transfer_incoming', 'A', 'S1', { onHand: 0, reserved: 0, inTransit: 10, damaged: 0 }],
      ['transfer_out', 'B', 'W1', { onHand: -2, reserved: 0, inTransit: 0, damaged: 0 }],
      ['transfer_incoming', 'B', 'S1', { onHand: 0, reserved: 0, inTransit: 2, damaged: 0 }],
    ]);
    expect(decideShip(plan.transfer, at)).toBeNull();
  });

  it('refuses a receipt before shipping', () => {
    expect(() => decideReceipt(draft, receipt('r', [{ sku: 'A', quantity: 1 }]))).toThrowError(
      expect.objectContaining({ code: 'transfer_state' }),
    );
  });

  it('a partial receipt leaves the rest in transit and the transfer open', () => {
    const plan = decideReceipt(shipped, receipt('r1', [{ sku: 'A', quantity: 6 }]));
    expect(plan.transfer).toMatchObject({ status: 'partially_received', discrepancies: [] });
    expect(plan.transfer.lines).toEqual([
      { sku: 'A', quantity: 10, received: 6 },
      { sku: 'B', quantity: 2, received: 0 },
    ]);
    expect(changes(plan)).toEqual([
      ['transfer_in', 'A', 'S1', { onHand: 6, reserved: 0, inTransit: -6, damaged: 0 }],
    ]);
  });

  it('receiving everything completes the transfer without discrepancies', () => {
    const plan = decideReceipt(
      shipped,
      receipt('r1', [
        { sku: 'A', quantity: 10 },
        { sku: 'B', quantity: 2 },
      ]),
    );
    expect(plan.transfer).toMatchObject({ status: 'received', discrepancies: [], closedAt: at });
  });

  it('closing short writes the missing units off in-transit and records short and over lines', () => {
    const partial: Transfer = decideReceipt(shipped, receipt('r1', [{ sku: 'A', quantity: 6 }])).transfer;
    const plan = decideReceipt(
      partial,
      receipt(
        'r2',
        [
          { sku: 'B', quantity: 3 },
          { sku: 'C', quantity: 1 },
        ],
        true,
      ),
    );
    expect(plan.transfer.status).toBe('received');
    expect(changes(plan)).toEqual([
      ['transfer_in', 'B', 'S1', { onHand: 3, reserved: 0, inTransit: -2, damaged: 0 }],
      ['transfer_in', 'C', 'S1', { onHand: 1, reserved: 0, inTransit: 0, damaged: 0 }],
      ['transfer_lost', 'A', 'S1', { onHand: 0, reserved: 0, inTransit: -4, damaged: 0 }],
    ]);
    expect(plan.transfer.discrepancies).toEqual([
      { sku: 'A', shipped: 10, received: 6, difference: -4 },
      { sku: 'B', shipped: 2, received: 3, difference: 1 },
      { sku: 'C', shipped: 0, received: 1, difference: 1 },
    ]);
    expect(() => decideReceipt(plan.transfer, receipt('r3', [{ sku: 'A', quantity: 1 }]))).toThrowError(
      expect.objectContaining({ code: 'transfer_state' }),
    );
  });
});

const created = '2026-11-01T10:00:00.000Z';
const shippedAt = '2026-11-02T10:00:00.000Z';
const command: TransferCommand = {
  id: 't1',
  sourceId: 'W1',
  destinationId: 'S1',
  lines: [{ sku: 'A', quantity: 4 }],
};
const draftOf = (expectedAt?: string) =>
  newTransfer({ ...command, ...(expectedAt ? { expectedAt } : {}) }, created);
const ship = (transfer: Transfer, now: string, expectedAt?: string) => {
  const plan = decideShip(transfer, now, expectedAt);
  if (plan?.kind !== 'ship') throw new Error(`not shipped: ${plan?.kind}`);
  return plan.transfer;
};
const inTransit = ship(draftOf('2026-11-04T10:00:00.000Z'), shippedAt);
const receive = (transfer: Transfer, quantity: number) =>
  decideReceipt(transfer, {
    id: `r${quantity}`,
    occurredAt: shippedAt,
    lines: [{ sku: 'A', quantity }],
    close: false,
  }).transfer;

describe('when a transfer is expected', () => {
  it('fingerprints a body without expectedAt as before transfers had one, and one with it apart', () => {
    expect(transferFingerprint(command)).toBe(fingerprintOf(['W1', 'S1', [['A', 4]]]));
    expect(transferFingerprint({ ...command, expectedAt: created })).not.toBe(transferFingerprint(command));
    expect(draftOf().requestHash).toBe(transferFingerprint(command));
  });

  it('keeps the expected date a new transfer is given, from its creation on; none when left out', () => {
    expect(draftOf().expectedAt).toBeNull();
    expect(draftOf(created).expectedAt).toBe(created);
    expect(() => draftOf('2026-11-01T09:59:59.999Z')).toThrowError(
      expect.objectContaining({ code: 'transfer_expected_before_created', kind: 'unprocessable' }),
    );
  });

  it.each([
    ['takes the draft’s own date', '2026-11-05T00:00:00.000Z', undefined, '2026-11-05T00:00:00.000Z'],
    [
      'takes a date given on shipping over it',
      '2026-11-05T00:00:00.000Z',
      '2026-11-03T00:00:00.000Z',
      '2026-11-03T00:00:00.000Z',
    ],
    ['sets one on a draft without', undefined, '2026-11-03T00:00:00.000Z', '2026-11-03T00:00:00.000Z'],
    ['keeps none when none was ever given', undefined, undefined, null],
    ['accepts one due the instant it ships', undefined, shippedAt, shippedAt],
  ])('shipping a draft %s', (_name, own, given, expected) => {
    expect(ship(draftOf(own), shippedAt, given).expectedAt).toBe(expected);
  });

  it('refuses shipping with a date given before the shipment, moving nothing', () => {
    expect(() => decideShip(draftOf(undefined), shippedAt, '2026-11-02T09:59:59.999Z')).toThrowError(
      expect.objectContaining({ code: 'transfer_expected_before_shipped', kind: 'unprocessable' }),
    );
  });

  it('ships a draft whose own date has passed, overdue at once', () => {
    const late = '2026-11-01T12:00:00.000Z';
    const shipped = ship(draftOf(late), shippedAt, undefined);
    expect(shipped).toMatchObject({ status: 'in_transit', expectedAt: late });
    expect(isOverdue(shipped, shippedAt)).toBe(true);
  });

  it('changes a shipped transfer’s date under a new version without moving stock, not to before it shipped', () => {
    const later = '2026-11-06T10:00:00.000Z';
    for (const transfer of [inTransit, receive(inTransit, 1)]) {
      expect(decideShip(transfer, later, later)).toEqual({
        kind: 'reschedule',
        transfer: { ...transfer, expectedAt: later, version: transfer.version + 1 },
        expectedAt: later,
        previousExpectedAt: transfer.expectedAt,
      });
      // In the past now, but after the shipment: a correction, which makes the transfer overdue.
      expect(decideShip(transfer, later, shippedAt)).toMatchObject({ transfer: { expectedAt: shippedAt } });
      expect(() => decideShip(transfer, later, created)).toThrowError(
        expect.objectContaining({ code: 'transfer_expected_before_shipped' }),
      );
    }
  });

  it('answers a shipped or received transfer as it is when asked for the date it has, or none', () => {
    const received = receive(inTransit, 4);
    for (const transfer of [inTransit, received]) {
      expect(decideShip(transfer, shippedAt)).toBeNull();
      expect(decideShip(transfer, shippedAt, transfer.expectedAt!)).toBeNull();
    }
    expect(() => decideShip(received, shippedAt, '2026-11-09T00:00:00.000Z')).toThrowError(
      expect.objectContaining({ code: 'transfer_already_received', kind: 'conflict' }),
    );
  });

  it.each([
    ['in transit, expected before now', inTransit, '2026-11-04T10:00:00.001Z', true],
    ['in transit, expected at this very instant', inTransit, '2026-11-04T10:00:00.000Z', false],
    ['partially received, expected before now', receive(inTransit, 1), '2026-11-05T00:00:00.000Z', true],
    ['in transit without an expected date', ship(draftOf(), shippedAt), '2027-01-01T00:00:00.000Z', false],
    ['a draft whose date has passed', draftOf('2026-11-01T12:00:00.000Z'), '2026-11-05T00:00:00.000Z', false],
    ['received late', receive(inTransit, 4), '2026-11-05T00:00:00.000Z', false],
  ])('overdue: %s → %s', (_name, transfer, now, overdue) => {
    expect(isOverdue(transfer, now)).toBe(overdue);
  });
});
