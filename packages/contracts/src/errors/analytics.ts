import type { ErrorEntry } from './entry.js';

/** Errors of the analytics reports. */
export const ANALYTICS_ERRORS = {
  invalid_period: {
    kind: 'invalid',
    title: 'Invalid period',
    description: 'A report’s `from` must be before its `to`.',
  },
  period_too_long: {
    kind: 'invalid',
    title: 'Period too long',
    description:
      'The period covers more days than the report allows (31 by the hour, 400 by the day, for top products ' +
      'and for promotions); `maxDays` says how many. Ask for a shorter period or a coarser granularity.',
  },
} as const satisfies Record<string, ErrorEntry>;
