import { describe, expect, it } from 'vitest';
import {
  checkShiftDocument,
  decideClose,
  decideOpen,
  type ShiftCloseCommand,
  type ShiftOpenCommand,
} from './shift.decide.js';

const open: ShiftOpenCommand = {
  id: 'shift-1',
  terminalId: 'T1',
  storeId: 'S1',
  seq: 3,
  currency: 'EUR',
  openedAt: '2026-11-01T08:00:00Z',
  openingFloat: 10_000,
};
const close: ShiftCloseCommand = {
  id: 'close-1',
  shiftId: 'shift-1',
  terminalId: 'T1',
  storeId: 'S1',
  seq: 3,
  currency: 'EUR',
  closedAt: '2026-11-01T18:00:00Z',
  countedCash: 12_000,
};
const at = '2026-11-01T18:00:02.000Z';

describe('shift decisions', () => {
  it('opens, closes, and treats the same open or close again as a duplicate', () => {
    const opened = decideOpen(null, open);
    expect(opened).toMatchObject({
      kind: 'changed',
      created: true,
      shift: { openingFloat: 10_000, revision: 0 },
    });
    expect(decideOpen(opened.shift, open).kind).toBe('duplicate');
    const closed = decideClose(opened.shift, close, at);
    expect(closed).toMatchObject({
      kind: 'changed',
      created: false,
      shift: { countedCash: 12_000, revision: 1 },
    });
    expect(decideClose(closed.shift, close, at).kind).toBe('duplicate');
  });

  it('records a close that arrives before its opening, and completes it when the opening comes', () => {
    const closed = decideClose(null, close, at);
    expect(closed).toMatchObject({
      created: true,
      shift: { id: 'shift-1', openedAt: null, closeReceivedAt: at },
    });
    expect(decideOpen(closed.shift, open)).toMatchObject({
      kind: 'changed',
      shift: { openingFloat: 10_000, countedCash: 12_000 },
    });
  });

  it('refuses a second, different close and an opening that changed', () => {
    const closed = decideClose(decideOpen(null, open).shift, close, at).shift;
    expect(() => decideClose(closed, { ...close, id: 'close-2', countedCash: 1 }, at)).toThrowError(
      expect.objectContaining({ code: 'shift_already_closed' }),
    );
    expect(() => decideOpen(closed, { ...open, openingFloat: 1 })).toThrowError(
      expect.objectContaining({ code: 'id_conflict' }),
    );
    expect(() => decideClose(null, { ...close, terminalId: 'T2' }, at)).not.toThrow();
    expect(() => decideOpen(decideClose(null, close, at).shift, { ...open, terminalId: 'T2' })).toThrowError(
      expect.objectContaining({ code: 'shift_terminal_mismatch' }),
    );
  });

  it.each([
    ['its own terminal, store and currency', {}, null],
    ['another terminal', { terminalId: 'T2' }, 'shift_terminal_mismatch'],
    ['another store', { storeId: 'S2' }, 'shift_terminal_mismatch'],
    ['another currency', { currency: 'USD' }, 'shift_currency_mismatch'],
  ] as const)('lets a document name a shift of %s only', (_case, change, code) => {
    const shift = decideOpen(null, open).shift;
    const check = () =>
      checkShiftDocument(shift, { terminalId: 'T1', storeId: 'S1', currency: 'EUR', ...change });
    if (code === null) expect(check).not.toThrow();
    else expect(check).toThrowError(expect.objectContaining({ code }));
  });
});
