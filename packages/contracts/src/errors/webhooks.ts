import type { ErrorEntry } from './entry.js';

/** Errors of the hub: its event log, webhooks and replays. */
export const WEBHOOK_ERRORS = {
  webhook_not_found: {
    kind: 'not_found',
    title: 'Unknown webhook',
    description: 'No webhook subscription has this id (or it was deleted).',
  },
  webhook_delivery_not_found: {
    kind: 'not_found',
    title: 'Unknown webhook delivery',
    description: 'This webhook has no delivery with this id.',
  },
  webhook_url_invalid: {
    kind: 'invalid',
    title: 'Webhook URL not usable',
    description: 'The URL must be an absolute http or https URL without credentials or a fragment.',
  },
  webhook_url_not_allowed: {
    kind: 'unprocessable',
    title: 'Webhook URL targets a private address',
    description:
      'The host is, or resolves to, a loopback, private, link-local or otherwise reserved address. Operators ' +
      'can allow such hosts with `webhookAllowedHosts`; `addresses` lists what the host resolved to.',
  },
  webhook_url_unresolvable: {
    kind: 'unprocessable',
    title: 'Webhook host does not resolve',
    description: 'The host name of the URL has no DNS address.',
  },
  unknown_event_type: {
    kind: 'unprocessable',
    title: 'Unknown event type',
    description:
      'An event type pattern matches no published event type (see docs/events.md); `patterns` lists them.',
  },
  webhook_disabled: {
    kind: 'conflict',
    title: 'Webhook disabled',
    description: 'Resend and replay need an active webhook; enable it first (PATCH `status: "active"`).',
  },
  webhook_rotation_in_progress: {
    kind: 'conflict',
    title: 'Secret rotation in progress',
    description:
      'The previous secret is still signing beside the current one until `previousSecretExpiresAt`; rotate ' +
      'again after that, or with `graceSeconds: 0` to drop every old secret at once.',
  },
  replay_too_large: {
    kind: 'unprocessable',
    title: 'Replay too large',
    description: 'The replay would enqueue more events than one request may; narrow it with `since`/`until`.',
  },
  replay_beyond_retention: {
    kind: 'unprocessable',
    title: 'Replay reaches past the event log',
    description:
      'The hub log no longer holds events from before `retainedSince` (`TILLSTREAM_HUB_EVENT_RETENTION_HOURS`); ' +
      'replay from that time on.',
  },
  delivery_event_pruned: {
    kind: 'gone',
    title: 'Event pruned from the log',
    description:
      'The event of this delivery left the hub log under its retention (`TILLSTREAM_HUB_EVENT_RETENTION_HOURS`), ' +
      'so it can no longer be sent again.',
  },
  cursor_ahead: {
    kind: 'conflict',
    title: 'Cursor beyond the event log',
    description:
      'The cursor is past the newest event of the hub log (`headCursor`): no read of this log handed it out. ' +
      'It is forged, or from another log, such as one the hub database was restored over from a backup. ' +
      'Reading on from it would skip every event up to it: resynchronise, then read from `headCursor` or ' +
      'from the start.',
  },
  cursor_expired: {
    kind: 'gone',
    title: 'Cursor behind the event log',
    description:
      'Events after this cursor were pruned from the hub log (`TILLSTREAM_HUB_EVENT_RETENTION_HOURS`), so ' +
      'reading on would skip them. Resynchronise, then read from `oldestCursor`.',
  },
} as const satisfies Record<string, ErrorEntry>;
