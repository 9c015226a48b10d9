export { createHub, type HubDeps } from './hub.context.js';
export type { WebhookSettings } from './webhooks/webhook.settings.js';
export {
  DEFAULT_DELIVERY_POLICY,
  DEFAULT_RETRY_SCHEDULE_MS,
  type DeliveryPolicy,
} from './webhooks/delivery.decide.js';
