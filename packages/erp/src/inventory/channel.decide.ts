import { invalid, unprocessable } from '@tillstream/kernel';
import type { Location, Upsert } from '../catalog/catalog.decide.js';

/** Where a sales channel may reserve stock, in allocation order, and how many units it leaves at each. */
export interface Channel {
  channel: string;
  locations: string[];
  /** Units kept back at every location of the channel: available = onHand − reserved − safetyStock. */
  safetyStock: number;
  version: number;
  /** False for a channel nobody configured: it runs on the default below. */
  configured: boolean;
}

export interface PutChannel {
  locations: string[];
  safetyStock: number;
}

/**
 * An unconfigured channel may reserve at every warehouse, in location-id order, with no safety stock. Stores
 * are left out on purpose: their shelves are sold over the counter too, so promising them online would
 * oversell in practice. A line may still name a store explicitly (click and collect).
 */
export function defaultChannel(channel: string, locations: readonly Location[]): Channel {
  const warehouses = locations
    .filter((location) => location.kind === 'warehouse')
    .map((location) => location.locationId)
    .sort();
  return { channel, locations: warehouses, safetyStock: 0, version: 0, configured: false };
}

export function decideChannel(
  current: Channel | null,
  channel: string,
  command: PutChannel,
  known: ReadonlySet<string>,
): Upsert<Channel> {
  if (new Set(command.locations).size !== command.locations.length)
    throw invalid('duplicate_line', 'A location is listed twice');
  const unknown = command.locations.filter((locationId) => !known.has(locationId));
  if (unknown.length > 0)
    throw unprocessable('unknown_location', `No location ${unknown.join(', ')}`, { locations: unknown });
  const changed =
    !current ||
    current.safetyStock !== command.safetyStock ||
    JSON.stringify(current.locations) !== JSON.stringify(command.locations);
  const next: Channel = {
    channel,
    locations: [...command.locations],
    safetyStock: command.safetyStock,
    version: (current?.version ?? 0) + 1,
    configured: true,
  };
  return { state: changed ? next : current, created: !current, changed };
}
