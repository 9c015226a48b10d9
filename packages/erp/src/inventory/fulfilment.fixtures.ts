import { isDomainError } from '@tillstream/kernel';

/** Shared by the fulfilment decide tests. */
export const NOW = '2026-11-30T10:00:00.000Z';
export const order = { orderId: 'order-1', reservationId: 'checkout:1' };
export const ADDRESS = {
  name: 'A. Buyer',
  line1: 'Dam 1',
  postalCode: '1012 JS',
  city: 'Amsterdam',
  country: 'NL',
};
export const EXPRESS = { id: 'express', name: 'Next-day delivery' };
export const COLLECT = { id: 'collect-dam', name: 'Collect at Store Dam' };

/** The error code a decision throws, '' when it throws none. */
export const codeOf = (decide: () => unknown) => {
  try {
    decide();
  } catch (error) {
    return isDomainError(error) ? error.code : String(error);
  }
  return '';
};
