import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { takeToken, tokensAt, type Bucket } from './token-bucket.js';
import { clientAddress } from './rate-limit.js';

describe('takeToken', () => {
  it('lets a new client burst the whole allowance, then refuses until a token has refilled', () => {
    let bucket: Bucket | undefined;
    for (let request = 1; request <= 60; request += 1) {
      const take = takeToken(bucket, 0, 60);
      expect(take).toMatchObject({ allowed: true, remaining: 60 - request });
      bucket = take.bucket;
    }
    const refused = takeToken(bucket, 0, 60);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1000, fullInMs: 60_000 });
    expect(takeToken(refused.bucket, 999, 60).allowed).toBe(false);
    const next = takeToken(refused.bucket, 1000, 60);
    expect(next).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('tells a refused client how long until its next token, from the fraction it has', () => {
    const refused = takeToken({ tokens: 0.25, atMs: 0 }, 0, 600);
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 75 });
  });

  it('never fills past the allowance, however long the client was away', () => {
    expect(tokensAt({ tokens: 0, atMs: 0 }, 3_600_000, 60)).toBe(60);
    expect(tokensAt(undefined, 0, 60)).toBe(60);
    expect(tokensAt({ tokens: 5, atMs: 1000 }, 500, 60)).toBe(5);
  });

  it('lets through at most the allowance plus what refilled, whatever the timing of the requests', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 400 }),
        (perMinute, gaps) => {
          let bucket: Bucket | undefined;
          let nowMs = 0;
          let allowed = 0;
          for (const gap of gaps) {
            nowMs += gap;
            const take = takeToken(bucket, nowMs, perMinute);
            bucket = take.bucket;
            if (take.allowed) allowed += 1;
            expect(take.remaining).toBeGreaterThanOrEqual(0);
            expect(take.allowed || take.retryAfterMs > 0).toBe(true);
          }
          expect(allowed).toBeLessThanOrEqual(perMinute + Math.floor((nowMs * perMinute) / 60_000));
        },
      ),
    );
  });
});

describe('clientAddress', () => {
  it('counts IPv4 by the address, also when it comes IPv4-mapped', () => {
    expect(clientAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 by the /64, however the address is written', () => {
    const one = clientAddress('2001:db8:aa:bb::1');
    expect(one).toBe('2001:db8:aa:bb::/64');
    expect(clientAddress('2001:0db8:00aa:00bb:ffff:1:2:3')).toBe(one);
    expect(clientAddress('2001:db8:aa:bb:0:0:0:9%eth0')).toBe(one);
    expect(clientAddress('2001:db8:aa:bc::1')).not.toBe(one);
    expect(clientAddress('::1')).toBe('0:0:0:0::/64');
    expect(clientAddress('2001:db8::')).toBe('2001:db8:0:0::/64');
    expect(clientAddress('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
});
