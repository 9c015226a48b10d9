import { conflict, type Clock, type Db, type Tx } from '@tillstream/kernel';
import { authorizePoster, type Poster } from '../sales/sale.decide.js';
import {
  decideClose,
  decideOpen,
  type Shift,
  type ShiftCloseCommand,
  type ShiftOpenCommand,
  type ShiftOutcome,
} from './shift.decide.js';
import type { ShiftStore } from './shift.store.js';

export interface ShiftResult {
  created: boolean;
  shift: Shift;
}

/**
 * Opening and closing shifts, online or synced later, in any order. A close publishes the Z-report; an opening
 * that arrives after its close completes the report (its float), so it publishes a new revision.
 */
export function createShiftCommands(deps: { db: Db; clock: Clock; shifts: ShiftStore }) {
  const { db, clock, shifts } = deps;

  /** In the caller's transaction when given one (a sync batch), else in one of its own. */
  async function apply(
    shiftId: string,
    decide: (existing: Shift | null, receivedAt: string) => ShiftOutcome,
    within?: Tx,
  ): Promise<ShiftResult> {
    const run = async (tx: Tx): Promise<ShiftResult> => {
      const receivedAt = clock.now().toISOString();
      for (let attempt = 0; ; attempt += 1) {
        const existing = await shifts.find(tx, shiftId, true);
        const outcome = decide(existing, receivedAt);
        if (outcome.kind === 'duplicate') return { created: false, shift: outcome.shift };
        const wasClosed = existing?.closedAt !== null && existing?.closedAt !== undefined;
        const shift =
          wasClosed && outcome.shift.revision === existing!.revision
            ? { ...outcome.shift, revision: existing!.revision + 1 }
            : outcome.shift;
        if (await shifts.save(tx, shift, outcome.created, receivedAt)) {
          if (shift.closedAt !== null) await shifts.publish(tx, shift);
          return { created: true, shift };
        }
        // Lost an insert race: for this shift's id (decide again on the row now there), or for its number.
        if (attempt > 0 || !(await shifts.find(tx, shiftId)))
          throw conflict(
            'shift_seq_taken',
            `Terminal ${shift.terminalId} has another shift numbered ${shift.seq}`,
          );
      }
    };
    return within ? run(within) : db.transaction(run);
  }

  // A terminal's key opens and closes only its own shifts, at its own store, whichever route they come by.
  return {
    open: (command: ShiftOpenCommand, poster: Poster, tx?: Tx) => {
      authorizePoster(poster, command);
      return apply(command.id, (existing) => decideOpen(existing, command), tx);
    },
    close: (command: ShiftCloseCommand, poster: Poster, tx?: Tx) => {
      authorizePoster(poster, command);
      return apply(command.shiftId, (existing, receivedAt) => decideClose(existing, command, receivedAt), tx);
    },
  };
}

export type ShiftCommands = ReturnType<typeof createShiftCommands>;
