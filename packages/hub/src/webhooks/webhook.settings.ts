import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from './delivery.decide.js';
import type { Resolver } from './url-policy.js';

/** How the hub sends webhooks and serves its stream; the composition root fills these from the config. */
export interface WebhookSettings {
  /** Host names, addresses or CIDR ranges webhooks may target although private or loopback. */
  allowedHosts: readonly string[];
  policy: DeliveryPolicy;
  /** The whole exchange of one attempt, connect to last byte. */
  attemptTimeoutMs: number;
  /** Attempts in flight at once per hub instance. */
  concurrency: number;
  /** Longest idle sleep of the delivery worker and the stream tail. */
  pollIntervalMs: number;
  /** How long a rotated-out secret still signs, unless the rotation says otherwise. */
  rotationGraceSeconds: number;
  streamHeartbeatMs: number;
  /** How long finished deliveries stay in the delivery log; 0 keeps them all. */
  logRetentionHours: number;
  /** How long the hub log keeps an event after indexing it; 0 keeps them all. */
  eventRetentionHours: number;
  /** DNS for URL checks; tests pass a fake so no name is ever looked up on the network. */
  resolve?: Resolver;
  random?: () => number;
}

export const DEFAULT_WEBHOOK_SETTINGS: WebhookSettings = {
  allowedHosts: [],
  policy: DEFAULT_DELIVERY_POLICY,
  attemptTimeoutMs: 15_000,
  concurrency: 128,
  pollIntervalMs: 500,
  rotationGraceSeconds: 86_400,
  streamHeartbeatMs: 15_000,
  logRetentionHours: 720,
  eventRetentionHours: 0,
};
