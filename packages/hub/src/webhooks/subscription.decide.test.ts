import { describe, expect, it } from 'vitest';
import {
  decideCreate,
  decideDisable,
  decideRotate,
  decideUpdate,
  signingSecrets,
  type Subscription,
} from './subscription.decide.js';

const knownTypes = [
  'pos.sale.completed',
  'erp.stock.changed',
  'erp.product.upserted',
  'hub.webhook.disabled',
];
const now = '2026-11-01T12:00:00.000Z';

function created(events = ['erp.*']): Subscription {
  return decideCreate(
    { url: 'https://hooks.example.com/t', events },
    { id: 'wh-1', secret: 'whsec_current', now, knownTypes },
  );
}

describe('subscriptions', () => {
  it('creates an active subscription at version 1 with its patterns deduplicated', () => {
    expect(created(['erp.*', 'pos.sale.completed', 'erp.*'])).toMatchObject({
      status: 'active',
      version: 1,
      events: ['erp.*', 'pos.sale.completed'],
    });
  });

  it.each([[['erp.stock.changd']], [['crm.*']], [['erp.*', 'pos.sale']]])(
    'refuses %j: no published type matches',
    (events) => {
      expect(() => created(events)).toThrowError(expect.objectContaining({ code: 'unknown_event_type' }));
    },
  );

  it('disables once, by hand or for the endpoint, with one hub.webhook.disabled event', () => {
    const change = decideUpdate(created(), { status: 'disabled' }, { now, knownTypes });
    expect(change.state).toMatchObject({ status: 'disabled', disabledReason: 'manual', version: 2 });
    expect(change.events).toEqual([
      expect.objectContaining({
        subject: 'webhook/wh-1',
        sequence: 2,
        data: expect.objectContaining({ reason: 'manual', version: 2, disabledAt: now }),
      }),
    ]);
    expect(decideDisable(change.state, 'gone', now, 410)).toMatchObject({ changed: false, events: [] });
    const gone = decideDisable(created(), 'gone', now, 410);
    expect(gone.events[0]!.data).toMatchObject({ reason: 'gone', lastStatus: 410 });
  });

  it('resumes a disabled subscription and forgets its failures', () => {
    const disabled = decideDisable({ ...created(), failingSince: now }, 'failing', now, 500).state;
    const change = decideUpdate(disabled, { status: 'active' }, { now, knownTypes });
    expect(change).toMatchObject({ changed: true, resumed: true });
    expect(change.state).toMatchObject({
      status: 'active',
      failingSince: null,
      disabledReason: null,
      version: 3,
    });
  });

  it('changes nothing, not even the version, when nothing differs', () => {
    const change = decideUpdate(
      created(),
      { url: 'https://hooks.example.com/t', events: ['erp.*'] },
      { now, knownTypes },
    );
    expect(change).toMatchObject({ changed: false, state: { version: 1 } });
  });

  it('signs with both secrets during a rotation and with the new one after it', () => {
    const rotated = decideRotate(created(), 'whsec_next', new Date(now), 3600);
    expect(rotated).toMatchObject({ secret: 'whsec_next', previousSecret: 'whsec_current', version: 2 });
    expect(signingSecrets(rotated, now)).toEqual(['whsec_next', 'whsec_current']);
    expect(signingSecrets(rotated, '2026-11-01T13:00:00.000Z')).toEqual(['whsec_next']);
    expect(signingSecrets(decideRotate(created(), 'whsec_next', new Date(now), 0), now)).toEqual([
      'whsec_next',
    ]);
  });

  it('refuses a second rotation while the previous secret is in its grace, unless it drops every old one', () => {
    const rotated = decideRotate(created(), 'whsec_next', new Date(now), 3600);
    expect(() => decideRotate(rotated, 'whsec_third', new Date('2026-11-01T12:59:59.999Z'), 60)).toThrowError(
      expect.objectContaining({ code: 'webhook_rotation_in_progress' }),
    );
    const later = decideRotate(rotated, 'whsec_third', new Date('2026-11-01T13:00:00.000Z'), 60);
    expect(later).toMatchObject({ secret: 'whsec_third', previousSecret: 'whsec_next' });
    const dropped = decideRotate(rotated, 'whsec_third', new Date(now), 0);
    expect(signingSecrets(dropped, now)).toEqual(['whsec_third']);
  });
});
