import type { EventContract } from './envelope.js';
import { SaleCompletedV1 } from './events/pos.events.js';
import {
  LocationUpsertedV1,
  ProductUpsertedV1,
  StockChangedV1,
  StockExceptionRaisedV1,
} from './events/erp.events.js';

/** Every published event type and version: the source of docs/events.md and of schema checks in tests. */
export const EVENT_CATALOG: readonly EventContract[] = [
  SaleCompletedV1,
  StockChangedV1,
  ProductUpsertedV1,
  LocationUpsertedV1,
  StockExceptionRaisedV1,
];

export function findEventContract(type: string, version = 1): EventContract | undefined {
  return EVENT_CATALOG.find((contract) => contract.type === type && contract.version === version);
}
