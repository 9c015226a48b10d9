import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessDialects } from '@tillstream/kernel/testing';
import { pgUrl, startHubRig, type HubRig } from './hub-rig.js';

describe.each(harnessDialects(pgUrl))('webhook subscriptions API on a real %s database', (dialect) => {
  let rig: HubRig;
  beforeAll(async () => {
    rig = await startHubRig(dialect);
  });
  afterAll(async () => rig?.close());

  const create = (body: unknown) => rig.api('POST', '/hub/v1/webhooks', body);

  it.each([
    [{ url: 'ftp://127.0.0.1/x', events: ['erp.*'] }, 400, 'webhook_url_invalid'],
    [{ url: 'http://user:pw@127.0.0.1/x', events: ['erp.*'] }, 400, 'webhook_url_invalid'],
    [{ url: 'http://10.0.0.1/hook', events: ['erp.*'] }, 422, 'webhook_url_not_allowed'],
    [{ url: 'http://169.254.169.254/latest', events: ['erp.*'] }, 422, 'webhook_url_not_allowed'],
    [{ url: 'http://[::1]:9/x', events: ['erp.*'] }, 422, 'webhook_url_not_allowed'],
    [{ url: 'http://hooks.invalid/x', events: ['erp.*'] }, 422, 'webhook_url_unresolvable'],
    [{ url: 'http://127.0.0.1:9/x', events: ['erp.stock.changd'] }, 422, 'unknown_event_type'],
    [{ url: 'http://127.0.0.1:9/x', events: ['crm.*', 'erp.*'] }, 422, 'unknown_event_type'],
    [{ url: 'http://127.0.0.1:9/x', events: ['erp.stock.*.x'] }, 400, 'validation_failed'],
    [{ url: 'http://127.0.0.1:9/x', events: [] }, 400, 'validation_failed'],
    [{ url: 'http://127.0.0.1:9/x', events: ['erp.*'], secret: 'mine' }, 400, 'validation_failed'],
  ])('refuses %j with %i %s', async (body, status, code) => {
    const response = await create(body);
    expect(response).toMatchObject({ status, body: { code } });
  });

  it('shows a signing secret once: a retry under the Idempotency-Key is told so, and creates nothing', async () => {
    const keyed = (url: string, body: object, key: string) =>
      rig.hub.app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: { authorization: `Bearer ${rig.hub.adminKey}`, 'idempotency-key': key },
      });
    const body = { url: 'http://127.0.0.1:9/keyed', events: ['erp.*'] };
    const first = await keyed('/hub/v1/webhooks', body, 'create-keyed');
    expect(first.statusCode).toBe(201);
    const retried = await keyed('/hub/v1/webhooks', body, 'create-keyed');
    expect([retried.statusCode, retried.json().code]).toEqual([409, 'secret_shown_once']);
    expect(retried.body).not.toContain(first.json().secret);
    const rotateUrl = `/hub/v1/webhooks/${first.json().id}/rotate-secret`;
    const rotated = await keyed(rotateUrl, {}, 'rotate-keyed');
    expect(rotated.statusCode).toBe(200);
    expect((await keyed(rotateUrl, {}, 'rotate-keyed')).json().code).toBe('secret_shown_once');
    const listed = (await rig.api('GET', '/hub/v1/webhooks')).body.webhooks as Array<{ url: string }>;
    expect(listed.filter((webhook) => webhook.url === body.url)).toHaveLength(1);
  });

  it('creates, lists, updates, disables, rotates and deletes a webhook without ever listing its secret', async () => {
    const created = await create({
      url: 'http://127.0.0.1:9/hooks',
      events: ['erp.*', 'pos.sale.completed'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', version: 1, url: 'http://127.0.0.1:9/hooks' });
    expect(created.body.secret).toMatch(/^whsec_/);
    const { id } = created.body;

    const listed = await rig.api('GET', '/hub/v1/webhooks');
    expect(listed.body.webhooks.map((webhook: any) => webhook.id)).toContain(id);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');

    const updated = await rig.api('PATCH', `/hub/v1/webhooks/${id}`, {
      events: ['hub.*'],
      description: 'ops',
    });
    expect(updated.body).toMatchObject({ events: ['hub.*'], description: 'ops', version: 2 });
    expect((await rig.api('PATCH', `/hub/v1/webhooks/${id}`, { url: 'http://192.168.1.9/' })).body.code).toBe(
      'webhook_url_not_allowed',
    );
    expect((await rig.api('PATCH', `/hub/v1/webhooks/${id}`, {})).body.code).toBe('validation_failed');

    const disabled = await rig.api('PATCH', `/hub/v1/webhooks/${id}`, { status: 'disabled' });
    expect(disabled.body).toMatchObject({ status: 'disabled', disabledReason: 'manual', version: 3 });
    const events = (await rig.hub.published()).filter((event) => event.subject === `webhook/${id}`);
    expect(events.map((event) => [event.type, (event.data as any).reason])).toEqual([
      ['hub.webhook.disabled', 'manual'],
    ]);

    const rotated = await rig.api('POST', `/hub/v1/webhooks/${id}/rotate-secret`, {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - rig.hub.clock.now().getTime()).toBe(86_400_000);
    const again = await rig.api('POST', `/hub/v1/webhooks/${id}/rotate-secret`, { graceSeconds: 60 });
    expect(again).toMatchObject({ status: 409, body: { code: 'webhook_rotation_in_progress' } });
    rig.hub.clock.advance(86_400_000);
    const after = await rig.api('POST', `/hub/v1/webhooks/${id}/rotate-secret`, { graceSeconds: 60 });
    expect(after.status).toBe(200);
    const dropped = await rig.api('POST', `/hub/v1/webhooks/${id}/rotate-secret`, { graceSeconds: 0 });
    expect(dropped).toMatchObject({ status: 200, body: { previousSecretExpiresAt: null } });

    expect((await rig.api('DELETE', `/hub/v1/webhooks/${id}`)).status).toBe(204);
    expect((await rig.api('GET', `/hub/v1/webhooks/${id}`)).body.code).toBe('webhook_not_found');
    expect((await rig.api('DELETE', `/hub/v1/webhooks/${id}`)).body.code).toBe('webhook_not_found');
    expect((await rig.api('GET', `/hub/v1/webhooks/${id}/deliveries`)).body.code).toBe('webhook_not_found');
  });

  it('needs hub:write to manage webhooks', async () => {
    const response = await rig.hub.app.inject({ method: 'POST', url: '/hub/v1/webhooks', payload: {} });
    expect(response.json().code).toBe('unauthorized');
  });
});
