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
  unknown_time_zone: {
    kind: 'invalid',
    title: 'Unknown time zone',
    description:
      'A report’s or a location’s `timeZone` is not a time zone of the IANA database (`Europe/Berlin`, ' +
      '`America/New_York`, `UTC`); `timeZone` says what was asked. A fixed offset such as `+05:30` is not a ' +
      'zone: name the place.',
  },
  unsupported_time_zone: {
    kind: 'invalid',
    title: 'Time zone not supported then',
    description:
      'In the period asked for, the zone’s offset from UTC was not a whole number of quarter hours (local mean ' +
      'time, before the zone took up standard time), and figures are kept per quarter hour; `at` is the first ' +
      'such instant. Every zone’s offset has been whole quarter hours for decades.',
  },
} as const satisfies Record<string, ErrorEntry>;
