import { ChannelUpdatedV1 } from '@tillstream/contracts';
import type { Db, Outbox, Tx } from '@tillstream/kernel';
import type { CatalogStore } from '../catalog/catalog.store.js';
import { defaultChannel, type Channel } from './channel.decide.js';

interface ChannelRow {
  channel: string;
  locations: string;
  safety_stock: number | string;
  version: number | string;
}

const toChannel = (row: ChannelRow): Channel => ({
  channel: row.channel,
  locations: JSON.parse(row.locations) as string[],
  safetyStock: Number(row.safety_stock),
  version: Number(row.version),
  configured: true,
});

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

export function createChannelStore(deps: { catalog: CatalogStore; outbox: Outbox }) {
  const find = async (reader: Reader, channel: string): Promise<Channel | null> => {
    const [row] = await reader.query<ChannelRow>('SELECT * FROM sales_channels WHERE channel = $1', [
      channel,
    ]);
    return row ? toChannel(row) : null;
  };
  return {
    find,
    /** The channel's configuration, or the default for a channel nobody configured. */
    async resolve(reader: Reader, channel: string): Promise<Channel> {
      return (
        (await find(reader, channel)) ?? defaultChannel(channel, await deps.catalog.listLocations(reader))
      );
    },
    async list(reader: Reader): Promise<Channel[]> {
      return (await reader.query<ChannelRow>('SELECT * FROM sales_channels ORDER BY channel')).map(toChannel);
    },
    async save(tx: Tx, channel: Channel, at: string): Promise<void> {
      await tx.execute(
        `INSERT INTO sales_channels (channel, locations, safety_stock, version, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (channel) DO UPDATE SET locations = excluded.locations, safety_stock = excluded.safety_stock,
           version = excluded.version, updated_at = excluded.updated_at`,
        [channel.channel, JSON.stringify(channel.locations), channel.safetyStock, channel.version, at],
      );
      // The storefront learns where a channel sells from, and what it keeps back, only through this event.
      await deps.outbox.append(tx, [
        {
          contract: ChannelUpdatedV1,
          subject: `channel/${channel.channel}`,
          sequence: channel.version,
          data: {
            channel: channel.channel,
            version: channel.version,
            locations: channel.locations,
            safetyStock: channel.safetyStock,
          },
        },
      ]);
    },
  };
}

export type ChannelStore = ReturnType<typeof createChannelStore>;
