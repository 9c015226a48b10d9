import { conflict, fingerprintOf, invalid, unprocessable } from '@tillstream/kernel';
import { changeOf, type Movement } from './stock.decide.js';

export type TransferStatus = 'draft' | 'in_transit' | 'partially_received' | 'received';

/** Shipped and not closed: units still on their way, counted in the destination's in-transit. */
export const IN_TRANSIT_STATUSES: readonly TransferStatus[] = ['in_transit', 'partially_received'];

export interface TransferLine {
  sku: string;
  /** Units shipped (0 for an item that arrived without being on the transfer). */
  quantity: number;
  received: number;
}

export interface Discrepancy {
  sku: string;
  shipped: number;
  received: number;
  /** received − shipped: negative is short (lost in transit), positive is over. */
  difference: number;
}

export interface Transfer {
  id: string;
  sourceId: string;
  destinationId: string;
  status: TransferStatus;
  lines: TransferLine[];
  discrepancies: Discrepancy[];
  version: number;
  requestHash: string;
  createdAt: string;
  shippedAt: string | null;
  closedAt: string | null;
  /** When it should arrive (ISO 8601, UTC), as its creator or shipper said; null when nobody did. */
  expectedAt: string | null;
}

export interface TransferCommand {
  id: string;
  sourceId: string;
  destinationId: string;
  lines: Array<{ sku: string; quantity: number }>;
  /** When it should arrive; not before the transfer is created. */
  expectedAt?: string;
}

export interface ReceiptCommand {
  id: string;
  occurredAt: string;
  lines: Array<{ sku: string; quantity: number }>;
  /** Closes the transfer: whatever has not arrived is written off from in-transit as lost. */
  close: boolean;
}

const assertDistinct = (lines: ReadonlyArray<{ sku: string }>) => {
  if (new Set(lines.map((line) => line.sku)).size !== lines.length)
    throw invalid('duplicate_line', 'A SKU appears on two lines');
};

const before = (a: string, b: string) => Date.parse(a) < Date.parse(b);

/**
 * What tells a faithful retry of a create from another transfer under the same id. A body without
 * `expectedAt` hashes as bodies did before transfers had one, so the transfers stored then still replay.
 */
export const transferFingerprint = (command: TransferCommand): string =>
  fingerprintOf([
    command.sourceId,
    command.destinationId,
    command.lines.map((l) => [l.sku, l.quantity]),
    ...(command.expectedAt === undefined ? [] : [command.expectedAt]),
  ]);

/**
 * Late while on its way: shipped, not closed, and expected strictly before `now`. A transfer nobody gave an
 * expected date is never overdue (ERP has no lead time to guess one from), nor is a draft or a received one.
 */
export const isOverdue = (transfer: Transfer, now: string): boolean =>
  IN_TRANSIT_STATUSES.includes(transfer.status) &&
  transfer.expectedAt !== null &&
  before(transfer.expectedAt, now);

export function newTransfer(command: TransferCommand, now: string): Transfer {
  if (command.sourceId === command.destinationId)
    throw invalid('transfer_same_location', `Transfer ${command.id} starts and ends at ${command.sourceId}`);
  assertDistinct(command.lines);
  if (command.expectedAt !== undefined && before(command.expectedAt, now))
    throw unprocessable(
      'transfer_expected_before_created',
      `Transfer ${command.id} would be expected at ${command.expectedAt}, before it is created at ${now}`,
    );
  return {
    id: command.id,
    sourceId: command.sourceId,
    destinationId: command.destinationId,
    status: 'draft',
    lines: command.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, received: 0 })),
    discrepancies: [],
    // A draft publishes nothing; the first event (shipped) carries version 1.
    version: 0,
    requestHash: transferFingerprint(command),
    createdAt: now,
    shippedAt: null,
    closedAt: null,
    expectedAt: command.expectedAt ?? null,
  };
}

const movement = (
  reference: string,
  kind: Movement['kind'],
  sku: string,
  locationId: string,
  change: Partial<Movement['change']>,
  occurredAt: string,
): Movement => ({
  id: `${reference}/${kind}/${sku}@${locationId}`,
  sku,
  locationId,
  kind,
  change: changeOf(change),
  occurredAt,
  reference,
});

/**
 * What a ship request does: `ship` a draft (source on-hand into destination in-transit), `reschedule` a
 * shipped one whose expected arrival it changes (no stock moves; a new version, published so the destination
 * learns the new date), or nothing (null) when the transfer already is as asked — so a retried ship answers
 * as the first did.
 */
export type ShipPlan =
  | { kind: 'ship'; transfer: Transfer; movements: Movement[] }
  | { kind: 'reschedule'; transfer: Transfer; expectedAt: string; previousExpectedAt: string | null }
  | null;

/**
 * `expectedAt` given replaces the transfer's, and may not be before the shipment (422
 * `transfer_expected_before_shipped`). Left out, the draft's own goes with it even when it has passed: the
 * goods are leaving now, and refusing to record that would only hide them; the transfer shows as overdue. A
 * received transfer's expected date no longer changes (409 `transfer_already_received`).
 */
export function decideShip(transfer: Transfer, now: string, expectedAt?: string): ShipPlan {
  const expected = expectedAt ?? transfer.expectedAt;
  const assertNotBeforeShipped = (shippedAt: string) => {
    if (expectedAt !== undefined && before(expectedAt, shippedAt))
      throw unprocessable(
        'transfer_expected_before_shipped',
        `Transfer ${transfer.id} would be expected at ${expected}, before it ships at ${shippedAt}`,
      );
  };
  if (transfer.status !== 'draft') {
    if (expectedAt === undefined || expectedAt === transfer.expectedAt) return null;
    if (transfer.status === 'received')
      throw conflict(
        'transfer_already_received',
        `Transfer ${transfer.id} was received at ${transfer.closedAt}`,
      );
    assertNotBeforeShipped(transfer.shippedAt!);
    return {
      kind: 'reschedule',
      transfer: { ...transfer, expectedAt, version: transfer.version + 1 },
      expectedAt,
      previousExpectedAt: transfer.expectedAt,
    };
  }
  assertNotBeforeShipped(now);
  const reference = `transfer/${transfer.id}`;
  const movements = transfer.lines.flatMap((line) => [
    movement(reference, 'transfer_out', line.sku, transfer.sourceId, { onHand: -line.quantity }, now),
    movement(
      reference,
      'transfer_incoming',
      line.sku,
      transfer.destinationId,
      { inTransit: line.quantity },
      now,
    ),
  ]);
  return {
    kind: 'ship',
    transfer: {
      ...transfer,
      status: 'in_transit',
      shippedAt: now,
      expectedAt: expected,
      version: transfer.version + 1,
    },
    movements,
  };
}

/**
 * A receipt adds what arrived to the destination's on-hand and takes it out of in-transit (never more than
 * is still outstanding on the line: extra units are an over-receipt). The transfer is received when every line
 * has arrived in full, or when the receipt closes it; then each line that differs is a discrepancy, and a
 * short line's missing units leave in-transit as `transfer_lost`.
 */
export function decideReceipt(
  transfer: Transfer,
  receipt: ReceiptCommand,
): { transfer: Transfer; movements: Movement[] } {
  if (transfer.status !== 'in_transit' && transfer.status !== 'partially_received')
    throw conflict('transfer_state', `Transfer ${transfer.id} is ${transfer.status}`);
  assertDistinct(receipt.lines);
  const reference = `transfer/${transfer.id}/receipt/${receipt.id}`;
  const lines = transfer.lines.map((line) => ({ ...line }));
  const movements: Movement[] = [];
  for (const arrived of receipt.lines) {
    let line = lines.find((candidate) => candidate.sku === arrived.sku);
    if (!line) lines.push((line = { sku: arrived.sku, quantity: 0, received: 0 }));
    const outstanding = Math.max(0, line.quantity - line.received);
    movements.push(
      movement(
        reference,
        'transfer_in',
        arrived.sku,
        transfer.destinationId,
        {
          onHand: arrived.quantity,
          inTransit: -Math.min(arrived.quantity, outstanding),
        },
        receipt.occurredAt,
      ),
    );
    line.received += arrived.quantity;
  }
  const complete = receipt.close || lines.every((line) => line.received >= line.quantity);
  if (!complete)
    return {
      transfer: { ...transfer, lines, status: 'partially_received', version: transfer.version + 1 },
      movements,
    };
  for (const line of lines.filter((candidate) => candidate.received < candidate.quantity)) {
    movements.push(
      movement(
        `transfer/${transfer.id}/close`,
        'transfer_lost',
        line.sku,
        transfer.destinationId,
        {
          inTransit: -(line.quantity - line.received),
        },
        receipt.occurredAt,
      ),
    );
  }
  const discrepancies = lines
    .filter((line) => line.received !== line.quantity)
    .map((line) => ({
      sku: line.sku,
      shipped: line.quantity,
      received: line.received,
      difference: line.received - line.quantity,
    }));
  return {
    transfer: {
      ...transfer,
      lines,
      discrepancies,
      status: 'received',
      closedAt: receipt.occurredAt,
      version: transfer.version + 1,
    },
    movements,
  };
}
