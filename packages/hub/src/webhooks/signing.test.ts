import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { newSecret, signature, signedHeaders } from './signing.js';

describe('Standard Webhooks v1 signing', () => {
  it('reproduces the spec test vector', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    expect(signature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('verifies with the standardwebhooks package, with either secret during a rotation', () => {
    const [current, previous] = [newSecret(), newSecret()];
    const body = JSON.stringify({ type: 'erp.stock.changed', data: { sku: 'TEE-001' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signedHeaders([current, previous], '0195f3a2-7e02-7a94', timestamp, body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) {
      expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
    }
    expect(() => new Webhook(newSecret()).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, { ...headers })).toThrow();
  });

  it('makes whsec_ secrets of 32 random bytes and refuses malformed ones', () => {
    const secret = newSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newSecret()).not.toBe(secret);
    expect(() => signature('not-a-secret', 'id', 1, '')).toThrow();
    expect(() => signature('whsec_c2hvcnQ=', 'id', 1, '')).toThrow();
    expect(() => signedHeaders([], 'id', 1, '')).toThrow();
    expect(() => signedHeaders([secret], 'a.b', 1, '')).toThrow();
  });
});
