import type { CloudEvent, EventContract } from '@tillstream/contracts';
import { dataSchemaUrn } from '@tillstream/contracts';
import type { OutboxRow, Tx } from '../db/port.js';
import type { Clock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import { freshOrigin } from './origin.js';

/** What a context hands the outbox: the envelope fields it decides; id and time come from the ports. */
export interface NewEvent<Data = unknown> {
  contract: Pick<EventContract, 'type' | 'version'>;
  /** The aggregate, e.g. `stock/SKU-1@store-1`. */
  subject: string;
  /** Per-aggregate version, monotonic: projections compare it. */
  sequence: number;
  /** Ordering key on the bus; defaults to the subject. */
  partitionKey?: string;
  data: Data;
  /**
   * Normally left out: the transaction's origin (`Tx.origin`) gives every event its trace, correlation and
   * causation. Set, these win over it.
   */
  correlationId?: string;
  causationId?: string;
  traceparent?: string;
}

export interface Outbox {
  /**
   * Writes events in the caller's transaction; nothing is published until that transaction commits. Each
   * carries the transaction's origin: `traceparent`, `correlationid` and, when an event caused it, `causationid`.
   */
  append(tx: Tx, events: readonly NewEvent[]): Promise<CloudEvent[]>;
}

export function createOutbox(context: string, deps: { clock: Clock; ids: IdGenerator }): Outbox {
  const source = `/tillstream/${context}`;
  return {
    async append(tx, events) {
      const time = deps.clock.now().toISOString();
      // Every event carries an origin; a transaction opened outside a request and a consumer starts its own.
      const origin = (tx.origin ??= freshOrigin());
      const written: CloudEvent[] = [];
      const rows: OutboxRow[] = [];
      for (const event of events) {
        const envelope: Omit<CloudEvent, 'data'> & { data?: unknown } = {
          specversion: '1.0',
          id: deps.ids.next(),
          source,
          type: event.contract.type,
          time,
          subject: event.subject,
          datacontenttype: 'application/json',
          dataschema: dataSchemaUrn(event.contract),
          sequence: event.sequence,
          partitionkey: event.partitionKey ?? event.subject,
        };
        // Assigned rather than spread from throwaway objects (V8's slow path, on every event); the same
        // member order either way, `data` last.
        envelope.traceparent = event.traceparent ?? origin.traceparent;
        envelope.correlationid = event.correlationId ?? origin.correlationId;
        const causationId = event.causationId ?? origin.causationId;
        if (causationId) envelope.causationid = causationId;
        envelope.data = event.data;
        const json = JSON.stringify(envelope);
        const position = await tx.insert(
          'INSERT INTO outbox (id, type, subject, sequence, envelope) VALUES ($1, $2, $3, $4, $5)',
          [envelope.id, envelope.type, envelope.subject, event.sequence, json],
          'position',
        );
        written.push(envelope as CloudEvent);
        rows.push({ position: position!, envelope: json });
      }
      if (written.length > 0) tx.outboxWritten(rows);
      return written;
    },
  };
}
