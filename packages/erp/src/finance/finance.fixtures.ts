import type { JournalLine } from './journal.decide.js';

/** Shared by the finance decide tests. */
export const AT = '2026-12-01T10:00:00.000Z';
export const noRate = () => null;
export const vat21 = () => 210_000;

/** The lines as `{ account: signed amount }`, debits positive, for compact expectations. */
export const signed = (lines: readonly JournalLine[]) =>
  Object.fromEntries(lines.map((line) => [line.account, line.debit - line.credit]));
