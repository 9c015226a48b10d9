import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprintOf, sha256Hex } from './fingerprint.js';

// Fingerprints are stored beside sales, reservations and keys: a change of encoding would make every faithful
// retry of a stored request look like a conflict. These vectors pin it.
describe('fingerprints', () => {
  it('is SHA-256 in lowercase hex (the FIPS 180-2 vector)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the canonical form as JSON, so equal content gives one fingerprint and any change another', () => {
    expect(fingerprintOf(['store-1', 2, null])).toBe(sha256Hex('["store-1",2,null]'));
    expect(fingerprintOf(['store-1', 2, null])).not.toBe(fingerprintOf(['store-1', 3, null]));
  });
});

describe('canonicalJson', () => {
  it('ignores key order at every depth but keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: 0 } })).toBe('{"a":{"c":0,"d":[2,1]},"b":1}');
  });
});
