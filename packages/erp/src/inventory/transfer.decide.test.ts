import { describe, expect, it } from 'vitest';
import { decideReceipt, decideShip, newTransfer, type Transfer } from './transfer.decide.js';

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
    expect(plan.transfer).toMatchObject({ status: 'in_transit', version: 1, shippedAt: at });
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
