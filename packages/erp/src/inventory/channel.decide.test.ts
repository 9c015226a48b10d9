import { describe, expect, it } from 'vitest';
import { decideChannel, defaultChannel } from './channel.decide.js';

const locations = [
  { locationId: 'W2', name: 'W2', kind: 'warehouse' as const, version: 1 },
  { locationId: 'S1', name: 'S1', kind: 'store' as const, version: 1 },
  { locationId: 'W1', name: 'W1', kind: 'warehouse' as const, version: 1 },
];

describe('channels', () => {
  it('an unconfigured channel reserves at every warehouse in id order, without safety stock', () => {
    expect(defaultChannel('web', locations)).toEqual({
      channel: 'web',
      locations: ['W1', 'W2'],
      safetyStock: 0,
      version: 0,
      configured: false,
    });
  });

  it('versions real changes only', () => {
    const known = new Set(['W1', 'W2', 'S1']);
    const first = decideChannel(null, 'web', { locations: ['S1', 'W1'], safetyStock: 2 }, known);
    expect(first).toMatchObject({ created: true, changed: true, state: { version: 1, configured: true } });
    expect(
      decideChannel(first.state, 'web', { locations: ['S1', 'W1'], safetyStock: 2 }, known).changed,
    ).toBe(false);
    expect(
      decideChannel(first.state, 'web', { locations: ['W1', 'S1'], safetyStock: 2 }, known).state.version,
    ).toBe(2);
  });

  it.each([
    { locations: ['W1', 'W1'], code: 'duplicate_line' },
    { locations: ['W9'], code: 'unknown_location' },
  ])('refuses $locations with $code', ({ locations: chosen, code }) => {
    expect(() =>
      decideChannel(null, 'web', { locations: chosen, safetyStock: 0 }, new Set(['W1'])),
    ).toThrowError(expect.objectContaining({ code }));
  });
});
