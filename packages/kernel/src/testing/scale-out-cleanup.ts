import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

/** Deletes the JetStream streams a test or bench run made under `prefix` (`${prefix}_ERP`, …). */
export async function deleteStreamsWithPrefix(natsUrl: string, prefix: string): Promise<void> {
  const connection = await connect({ servers: natsUrl.split(',') });
  try {
    const manager = await jetstreamManager(connection);
    for await (const name of manager.streams.names()) {
      if (name.startsWith(`${prefix}_`)) await manager.streams.delete(name);
    }
  } finally {
    await connection.close();
  }
}

/** Drops a database a test or bench run made, ending any connection still open to it. */
export async function dropDatabase(pgUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
