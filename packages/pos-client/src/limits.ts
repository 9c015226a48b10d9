import { TerminalError } from './errors.js';

/**
 * What the server takes of a till's figures. A transaction beyond them would be written to the queue, printed,
 * and then refused for good when it syncs, so the till refuses it first, online or not.
 */
export const MAX_AMOUNT = 1e10;
/** The longest card number or payment reference the server takes. */
export const MAX_REFERENCE_LENGTH = 64;

/** A sum of money in minor units: whole, not negative, at most MAX_AMOUNT. */
export function checkAmount(what: string, amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0 || amount > MAX_AMOUNT)
    throw new TerminalError(
      'invalid_amount',
      `${what} must be a whole number of minor units from 0 to ${MAX_AMOUNT}, not ${amount}`,
    );
}

/** A card number or payment reference: some text, at most MAX_REFERENCE_LENGTH characters. */
export function checkReference(what: string, reference: string): void {
  if (reference.trim() === '' || reference.length > MAX_REFERENCE_LENGTH)
    throw new TerminalError(
      'invalid_reference',
      `${what} must be 1 to ${MAX_REFERENCE_LENGTH} characters, not ${reference.length}`,
    );
}
