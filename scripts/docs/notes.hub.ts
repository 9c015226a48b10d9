import type { EventNotes } from './notes.js';

const WEBHOOK_ID = '0195f3b0-1c2d-7e3f-8a4b-5c6d7e8f9a0b';

/** Notes of the hub's own events. */
export const HUB_NOTES: Record<string, EventNotes> = {
  'hub.webhook.disabled@1': {
    subject: 'webhook/{webhookId}',
    partitionKey: 'webhook/{webhookId}',
    sequence: '{version}',
    sequenceMeaning:
      'The subscription version, equal to `data.version`: one more per change of the subscription (update, ' +
      'rotation, disabling, enabling).',
    partitionMeaning: 'The subject (the default).',
    example: {
      id: '0195f9c4-5e6f-7a80-9b1c-2d3e4f5a6b7c',
      time: '2026-03-07T11:20:31.904Z',
      data: {
        webhookId: WEBHOOK_ID,
        version: 4,
        url: 'https://3pl.example.com/hooks/tillstream',
        reason: 'failing',
        failingSince: '2026-03-02T10:15:02.500Z',
        lastStatus: 503,
        disabledAt: '2026-03-07T11:20:31.900Z',
      },
    },
  },
};
