import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';

/** How long a readiness probe waits for JetStream to answer before it calls it unavailable. */
const JETSTREAM_PROBE_TIMEOUT_MS = 2_000;

export interface ConnectionWatch {
  /** Why the bus cannot carry events now, or undefined: closed, reconnecting, or JetStream not answering. */
  problem(): Promise<string | undefined>;
  stop(): void;
}

/**
 * Follows a NATS connection's status events, so readiness knows it is reconnecting without waiting for a
 * request to time out, and asks JetStream for the account's info when the connection is up: a server
 * running without JetStream, or a JetStream that lost its quorum, answers plain NATS but stores nothing.
 */
export function watchConnection(connection: NatsConnection): ConnectionWatch {
  let disconnected: string | undefined;
  let stopped = false;
  void (async () => {
    for await (const status of connection.status()) {
      if (stopped) break;
      if (status.type === 'disconnect') disconnected = `disconnected from ${status.server}`;
      else if (status.type === 'reconnecting') disconnected ??= 'reconnecting';
      else if (status.type === 'reconnect') disconnected = undefined;
    }
  })().catch(() => undefined);
  let probe: Promise<JetStreamManager> | undefined;

  return {
    async problem() {
      if (connection.isClosed()) return 'the NATS connection is closed';
      if (disconnected) return `the NATS connection is down (${disconnected}), reconnecting`;
      try {
        probe ??= jetstreamManager(connection, { timeout: JETSTREAM_PROBE_TIMEOUT_MS, checkAPI: false });
        await (await probe).getAccountInfo();
        return undefined;
      } catch (error) {
        probe = undefined;
        return `JetStream does not answer: ${String(error)}`;
      }
    },
    stop() {
      stopped = true;
    },
  };
}
