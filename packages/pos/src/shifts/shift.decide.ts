import { conflict, fingerprintOf, unprocessable } from '@tillstream/kernel';

/** A shift as opened on the terminal (possibly offline): its id and number are made there. */
export interface ShiftOpenCommand {
  id: string;
  terminalId: string;
  storeId: string;
  /** Per terminal, from 1: the middle part of the shift's receipt numbers. */
  seq: number;
  currency: string;
  openedAt: string;
  openingFloat: number;
}

/** The close carries the shift's identity too, so it can arrive before the opening and still be recorded. */
export interface ShiftCloseCommand {
  id: string;
  shiftId: string;
  terminalId: string;
  storeId: string;
  seq: number;
  currency: string;
  closedAt: string;
  countedCash: number;
}

export interface Shift {
  id: string;
  terminalId: string;
  storeId: string;
  seq: number;
  currency: string;
  openedAt: string | null;
  openingFloat: number | null;
  openHash: string | null;
  closedAt: string | null;
  closeId: string | null;
  countedCash: number | null;
  closeHash: string | null;
  /** Server time the close arrived: sales and returns of the shift received after it are late. */
  closeReceivedAt: string | null;
  /** Published Z-report revisions: 0 while open, 1 at the close, +1 for each late arrival. */
  revision: number;
}

export type ShiftOutcome =
  { kind: 'duplicate'; shift: Shift } | { kind: 'changed'; shift: Shift; created: boolean };

const iso = (timestamp: string) => new Date(timestamp).toISOString();

export const openFingerprint = (command: ShiftOpenCommand) =>
  fingerprintOf([
    command.terminalId,
    command.storeId,
    command.seq,
    command.currency,
    iso(command.openedAt),
    command.openingFloat,
  ]);

export const closeFingerprint = (command: ShiftCloseCommand) =>
  fingerprintOf([
    command.id,
    command.terminalId,
    command.storeId,
    command.seq,
    command.currency,
    iso(command.closedAt),
    command.countedCash,
  ]);

/** A transaction may name a shift only of its own terminal and store. */
export function checkShiftOwner(
  shift: Pick<Shift, 'id' | 'terminalId' | 'storeId'>,
  owner: { terminalId: string; storeId: string },
) {
  if (shift.terminalId !== owner.terminalId || shift.storeId !== owner.storeId)
    throw conflict(
      'shift_terminal_mismatch',
      `Shift ${shift.id} belongs to terminal ${shift.terminalId} at ${shift.storeId}`,
    );
}

/**
 * A sale, return or gift card sale may name only a shift of its terminal, store and currency: the Z-report
 * adds its amounts to the shift's cash and tenders, which are in the shift's currency.
 */
export function checkShiftDocument(
  shift: Pick<Shift, 'id' | 'terminalId' | 'storeId' | 'currency'>,
  document: { terminalId: string; storeId: string; currency: string },
) {
  checkShiftOwner(shift, document);
  if (shift.currency !== document.currency)
    throw unprocessable(
      'shift_currency_mismatch',
      `Shift ${shift.id} counts ${shift.currency}, not ${document.currency}`,
      { currency: shift.currency },
    );
}

function blank(command: ShiftOpenCommand | ShiftCloseCommand, id: string): Shift {
  return {
    id,
    terminalId: command.terminalId,
    storeId: command.storeId,
    seq: command.seq,
    currency: command.currency,
    openedAt: null,
    openingFloat: null,
    openHash: null,
    closedAt: null,
    closeId: null,
    countedCash: null,
    closeHash: null,
    closeReceivedAt: null,
    revision: 0,
  };
}

function checkIdentity(existing: Shift, command: ShiftOpenCommand | ShiftCloseCommand) {
  checkShiftOwner(existing, command);
  if (existing.seq !== command.seq || existing.currency !== command.currency)
    throw conflict('id_conflict', `Shift ${existing.id} exists with another number or currency`);
}

export function decideOpen(existing: Shift | null, command: ShiftOpenCommand): ShiftOutcome {
  const openHash = openFingerprint(command);
  if (existing?.openHash === openHash) return { kind: 'duplicate', shift: existing };
  if (existing?.openHash) throw conflict('id_conflict', `Shift ${command.id} was opened with another body`);
  if (existing) checkIdentity(existing, command);
  const base = existing ?? blank(command, command.id);
  return {
    kind: 'changed',
    created: !existing,
    shift: { ...base, openedAt: iso(command.openedAt), openingFloat: command.openingFloat, openHash },
  };
}

/** Closing twice with the same close is a duplicate; with another (a recount) it is refused: the first count stands. */
export function decideClose(
  existing: Shift | null,
  command: ShiftCloseCommand,
  receivedAt: string,
): ShiftOutcome {
  const closeHash = closeFingerprint(command);
  if (existing?.closeHash === closeHash) return { kind: 'duplicate', shift: existing };
  if (existing?.closeHash)
    throw conflict('shift_already_closed', `Shift ${command.shiftId} is closed already`);
  if (existing) checkIdentity(existing, command);
  const base = existing ?? blank(command, command.shiftId);
  return {
    kind: 'changed',
    created: !existing,
    shift: {
      ...base,
      closedAt: iso(command.closedAt),
      closeId: command.id,
      countedCash: command.countedCash,
      closeHash,
      closeReceivedAt: receivedAt,
      revision: base.revision + 1,
    },
  };
}
