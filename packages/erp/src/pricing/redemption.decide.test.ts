import { describe, expect, it } from 'vitest';
import { DomainError } from '@tillstream/kernel';
import { decideRelease, saleUsageStep } from './redemption.decide.js';
import type { Redemption } from './redemption.store.js';

const redemption = (source: Redemption['source'], status: Redemption['status']): Redemption => ({
  id: 's1',
  source,
  status,
  customerId: null,
  promotionIds: ['once-promo'],
  requestHash: 'h',
  result: {},
});

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
};

describe('giving a redemption back', () => {
  it.each([
    ['an online redemption', 'release', redemption('order', 'redeemed')],
    ['one released before', 'released_already', redemption('order', 'released')],
  ] as const)('%s: %s', (_label, expected, stored) => {
    expect(decideRelease('s1', stored)).toBe(expected);
  });

  it.each([
    ['nothing redeemed under the id', 'redemption_not_found', null],
    ['the uses of a sale that arrived', 'redemption_sale_recorded', redemption('sale', 'redeemed')],
  ] as const)('refuses %s: %s', (_label, code, stored) => {
    expect(codeOf(() => decideRelease('s1', stored))).toBe(code);
  });
});

describe('an arriving sale and the redemption under its id', () => {
  it.each([
    ['none: sold offline', 'count', null],
    ['redeemed online by its till', 'adopt', redemption('order', 'redeemed')],
    ['redeemed online, then given back by its till', 'recount', redemption('order', 'released')],
    ['counted for this sale already', 'counted', redemption('sale', 'redeemed')],
  ] as const)('%s: %s', (_label, expected, stored) => {
    expect(saleUsageStep(stored)).toBe(expected);
  });
});

/**
 * Both decisions applied in every order a till's redemption, its releases (a crashed till's retries, a void)
 * and the sale's arrival can take, as ERP applies them one committed transaction after another.
 */
describe('a release racing the sale it was taken for', () => {
  type Event = 'release' | 'sale';
  interface World {
    stored: Redemption | null;
    used: number;
  }

  const apply = (world: World, event: Event): World => {
    const { stored, used } = world;
    if (event === 'release') {
      const refused = codeOf(() => decideRelease('s1', stored));
      if (refused || decideRelease('s1', stored) === 'released_already') return world;
      return { stored: { ...stored!, status: 'released' }, used: used - 1 };
    }
    const step = saleUsageStep(stored);
    if (step === 'counted') return world;
    if (step === 'adopt') return { stored: { ...stored!, source: 'sale' }, used };
    return { stored: redemption('sale', 'redeemed'), used: used + 1 };
  };

  /** Every sequence of up to three releases with the sale's arrival somewhere among them. */
  const orders = (): Event[][] => {
    const all: Event[][] = [];
    for (let releases = 0; releases <= 3; releases += 1)
      for (let at = 0; at <= releases; at += 1) {
        const events: Event[] = Array.from({ length: releases }, () => 'release');
        events.splice(at, 0, 'sale');
        all.push(events);
      }
    return all;
  };

  it.each(orders().map((events) => [events.join(' → '), events] as const))(
    'redeemed online, then %s: the sale holds its use, counted once, and no release can take it',
    (_label, events) => {
      const end = events.reduce(apply, { stored: redemption('order', 'redeemed'), used: 1 });
      expect(end.used).toBe(1);
      expect(end.stored).toMatchObject({ source: 'sale', status: 'redeemed' });
      expect(codeOf(() => decideRelease('s1', end.stored))).toBe('redemption_sale_recorded');
    },
  );

  it('redeemed online and given back, with no sale ever arriving: the use is free again, once', () => {
    const end = (['release', 'release'] as Event[]).reduce(apply, {
      stored: redemption('order', 'redeemed'),
      used: 1,
    });
    expect(end).toMatchObject({ used: 0, stored: { status: 'released' } });
  });
});
