import { EVENT_CATALOG, type EventContract } from '@tillstream/contracts';
import type { ConsumerSpec } from '@tillstream/kernel';
import { createAnalytics } from '@tillstream/analytics';
import { createCommerce } from '@tillstream/commerce';
import { createErp } from '@tillstream/erp';
import { createHub } from '@tillstream/hub';
import { createPos } from '@tillstream/pos';
import { producerOf } from './naming.js';

/** Context factories only capture their deps; these throw if one ever does I/O while being built. */
function inert(name: string): never {
  return new Proxy(
    {},
    {
      get: (_target, property) =>
        property === 'then'
          ? undefined
          : () => {
              throw new Error(`gen-docs builds contexts only to read their consumers; ${name} was used`);
            },
    },
  ) as never;
}

/** The consumers wired in the code, read from the contexts themselves. */
export function declaredConsumers(): ConsumerSpec[] {
  const deps = {
    db: inert('db'),
    outbox: inert('outbox'),
    clock: inert('clock'),
    ids: inert('ids'),
    logger: inert('logger'),
  };
  const producers = [...new Set(EVENT_CATALOG.map(producerOf))];
  return [
    createErp(deps),
    createPos({ ...deps, erp: inert('erp') }),
    createCommerce({ ...deps, cacheMaxAgeSeconds: 0, erp: inert('erp') }),
    createHub({ ...deps, sources: producers }),
    createAnalytics(deps),
  ].flatMap((module) => module.consumers);
}

export function consumersOf(contract: EventContract, consumers: readonly ConsumerSpec[]): string[] {
  return consumers
    .filter((spec) => spec.sources.includes(producerOf(contract)))
    .filter((spec) => spec.types === '*' || spec.types.includes(contract.type))
    .map((spec) => (spec.types === '*' ? `\`${spec.name}\` (every event)` : `\`${spec.name}\``));
}
