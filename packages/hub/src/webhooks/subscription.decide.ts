import { WebhookDisabledV1, type WebhookDisabledV1Data } from '@tillstream/contracts';
import { conflict, unprocessable, type NewEvent } from '@tillstream/kernel';
import { unknownPatterns } from '../events/event-patterns.js';

export type WebhookStatus = 'active' | 'disabled';
export type DisabledReason = WebhookDisabledV1Data['reason'];

/** A webhook subscription as the hub keeps it; `version` grows with every change (the event sequence). */
export interface Subscription {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  status: WebhookStatus;
  disabledReason: DisabledReason | null;
  disabledAt: string | null;
  failingSince: string | null;
  secret: string;
  /** The secret before the last rotation, still signed with until `previousSecretExpiresAt`. */
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface CreateSubscription {
  url: string;
  events: string[];
  description?: string;
}

export interface UpdateSubscription {
  url?: string;
  events?: string[];
  description?: string | null;
  status?: WebhookStatus;
}

export interface Change {
  state: Subscription;
  changed: boolean;
  /** Enabled again: its waiting deliveries are due now. */
  resumed: boolean;
  events: NewEvent<WebhookDisabledV1Data>[];
}

function checkPatterns(patterns: readonly string[], knownTypes: readonly string[]): string[] {
  const unknown = unknownPatterns(patterns, knownTypes);
  if (unknown.length > 0)
    throw unprocessable('unknown_event_type', `No published event type matches ${unknown.join(', ')}`, {
      patterns: unknown,
    });
  return [...new Set(patterns)];
}

export function decideCreate(
  command: CreateSubscription,
  context: { id: string; secret: string; now: string; knownTypes: readonly string[] },
): Subscription {
  return {
    id: context.id,
    url: command.url,
    events: checkPatterns(command.events, context.knownTypes),
    description: command.description ?? null,
    status: 'active',
    disabledReason: null,
    disabledAt: null,
    failingSince: null,
    secret: context.secret,
    previousSecret: null,
    previousSecretExpiresAt: null,
    version: 1,
    createdAt: context.now,
    updatedAt: context.now,
  };
}

/** The `hub.webhook.disabled` event of a subscription that just became disabled. */
export function disabledEvent(
  state: Subscription,
  lastStatus: number | null,
): NewEvent<WebhookDisabledV1Data> {
  return {
    contract: WebhookDisabledV1,
    subject: `webhook/${state.id}`,
    sequence: state.version,
    data: {
      webhookId: state.id,
      version: state.version,
      url: state.url,
      reason: state.disabledReason ?? 'manual',
      failingSince: state.failingSince,
      lastStatus,
      disabledAt: state.disabledAt ?? state.updatedAt,
    },
  };
}

export function decideDisable(
  current: Subscription,
  reason: DisabledReason,
  now: string,
  lastStatus: number | null,
): Change {
  if (current.status === 'disabled') return { state: current, changed: false, resumed: false, events: [] };
  const state: Subscription = {
    ...current,
    status: 'disabled',
    disabledReason: reason,
    disabledAt: now,
    version: current.version + 1,
    updatedAt: now,
  };
  return { state, changed: true, resumed: false, events: [disabledEvent(state, lastStatus)] };
}

export function decideUpdate(
  current: Subscription,
  command: UpdateSubscription,
  context: { now: string; knownTypes: readonly string[] },
): Change {
  const next: Subscription = {
    ...current,
    url: command.url ?? current.url,
    events: command.events ? checkPatterns(command.events, context.knownTypes) : current.events,
    description: command.description === undefined ? current.description : command.description,
  };
  const disabling = command.status === 'disabled' && current.status === 'active';
  const resumed = command.status === 'active' && current.status === 'disabled';
  if (disabling)
    Object.assign(next, { status: 'disabled', disabledReason: 'manual', disabledAt: context.now });
  if (resumed)
    Object.assign(next, { status: 'active', disabledReason: null, disabledAt: null, failingSince: null });
  if (JSON.stringify(next) === JSON.stringify(current))
    return { state: current, changed: false, resumed: false, events: [] };
  const state = { ...next, version: current.version + 1, updatedAt: context.now };
  return { state, changed: true, resumed, events: disabling ? [disabledEvent(state, null)] : [] };
}

/**
 * A new secret; the old one keeps signing beside it until `graceSeconds` pass (0: dropped at once). Only one
 * old secret is kept, so a rotation with a grace period is refused while the previous one is still in its
 * grace: dropping it early would break a receiver that has not switched yet. A rotation with 0 grace (say,
 * for a leaked secret) is always allowed and drops every old secret.
 */
export function decideRotate(
  current: Subscription,
  secret: string,
  now: Date,
  graceSeconds: number,
): Subscription {
  const keep = graceSeconds > 0;
  const [, inGrace] = signingSecrets(current, now.toISOString());
  if (keep && inGrace)
    throw conflict(
      'webhook_rotation_in_progress',
      `The previous secret of webhook ${current.id} is still in its grace period`,
      { previousSecretExpiresAt: current.previousSecretExpiresAt },
    );
  return {
    ...current,
    secret,
    previousSecret: keep ? current.secret : null,
    previousSecretExpiresAt: keep ? new Date(now.getTime() + graceSeconds * 1000).toISOString() : null,
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
}

/** The secrets an attempt at `now` is signed with: the current one, and the previous while it is honoured. */
export function signingSecrets(
  subscription: Pick<Subscription, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>,
  now: string,
): string[] {
  const { previousSecret, previousSecretExpiresAt } = subscription;
  return previousSecret && previousSecretExpiresAt && previousSecretExpiresAt > now
    ? [subscription.secret, previousSecret]
    : [subscription.secret];
}
