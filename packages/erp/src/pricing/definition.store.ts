import type { EventContract } from '@tillstream/contracts';
import { conflict, placeholders, type Db, type Outbox, type SqlValue, type Tx } from '@tillstream/kernel';
import type { Change, Decision, Stored, Versioned } from './definition.decide.js';

type Reader = Pick<Tx, 'query'> | Pick<Db, 'query'>;

/**
 * What differs between price lists, promotions, tax rates and shipping methods as stored: table, event and
 * side tables.
 */
export interface DefinitionKind<T extends Versioned> {
  kind: 'price_list' | 'promotion' | 'tax_rate' | 'shipping_method';
  table: 'price_lists' | 'promotions' | 'tax_rates' | 'shipping_methods';
  contract: Pick<EventContract, 'type' | 'version'>;
  /**
   * An older version of the event, published beside `contract` with the same data for as long as it can state
   * the change (`states`), so that its consumers keep working until they move on.
   */
  olderContract?: {
    contract: Pick<EventContract, 'type' | 'version'>;
    states(definition: T | null): boolean;
  };
  /** The event's subject, e.g. `price-list/{id}`. */
  subject(id: string): string;
  /** The event data; `definition` is null once deleted. */
  eventData(id: string, version: number, change: Change, definition: T | null): unknown;
  /** Columns beside the JSON, kept for indexes (e.g. a tax rate's category and location). */
  columns?(state: T): Record<string, SqlValue>;
  /** Writes in the same transaction after the definition: coupon codes, usage limits. */
  afterSave?(tx: Tx, state: T, change: Change): Promise<void>;
}

interface DefinitionRow {
  definition: string;
  deleted_at: string | null;
}

/** Bumps the counter every cached view of pricing rules compares against; called by every pricing change. */
export async function bumpPricingRevision(tx: Tx, at: string): Promise<void> {
  await tx.execute('UPDATE pricing_revision SET revision = revision + 1, changed_at = $1 WHERE id = 1', [at]);
}

/**
 * Versioned definitions: the current JSON, every version in `pricing_history`, an event per change, all in the
 * caller's transaction. Writes are optimistic: an update only lands on the version it was decided from, so
 * two concurrent PUTs of one id cannot both become version n + 1.
 */
export function createDefinitionStore<T extends Versioned>(
  spec: DefinitionKind<T>,
  deps: { outbox: Outbox },
) {
  const toStored = (row: DefinitionRow): Stored<T> => ({
    state: JSON.parse(row.definition) as T,
    deleted: row.deleted_at !== null,
  });
  return {
    async find(reader: Reader, id: string): Promise<Stored<T> | null> {
      const [row] = await reader.query<DefinitionRow>(
        `SELECT definition, deleted_at FROM ${spec.table} WHERE id = $1`,
        [id],
      );
      return row ? toStored(row) : null;
    },
    async list(reader: Reader): Promise<T[]> {
      const rows = await reader.query<DefinitionRow>(
        `SELECT definition, deleted_at FROM ${spec.table} WHERE deleted_at IS NULL ORDER BY id`,
      );
      return rows.map((row) => toStored(row).state);
    },
    async history(reader: Reader, id: string) {
      const rows = await reader.query<{
        version: number | string;
        change: Change;
        definition: string | null;
        changed_at: string;
      }>(
        'SELECT version, change, definition, changed_at FROM pricing_history WHERE kind = $1 AND id = $2 ORDER BY version',
        [spec.kind, id],
      );
      return rows.map((row) => ({
        version: Number(row.version),
        change: row.change,
        definition: row.definition === null ? null : (JSON.parse(row.definition) as T),
        changedAt: row.changed_at,
      }));
    },
    /** Stores a decision that changed something; a decision without a change writes nothing. */
    async save(tx: Tx, decision: Decision<T>, at: string): Promise<void> {
      const { state, change } = decision;
      if (change === null) return;
      const extra = Object.entries(spec.columns?.(state) ?? {});
      const deletedAt = change === 'deleted' ? at : null;
      const values: SqlValue[] = [
        state.id,
        state.version,
        JSON.stringify(state),
        deletedAt,
        at,
        ...extra.map(([, value]) => value),
      ];
      let written: number;
      if (state.version === 1) {
        const names = [
          'id',
          'version',
          'definition',
          'deleted_at',
          'updated_at',
          ...extra.map(([name]) => name),
        ];
        written = await tx.execute(
          `INSERT INTO ${spec.table} (${names.join(', ')}) VALUES (${placeholders(names.length)})
           ON CONFLICT DO NOTHING`,
          values,
        );
      } else {
        const sets = extra.map(([name], index) => `, ${name} = $${index + 7}`).join('');
        written = await tx.execute(
          `UPDATE ${spec.table} SET version = $2, definition = $3, deleted_at = $4, updated_at = $5${sets}
           WHERE id = $1 AND version = $6`,
          [...values.slice(0, 5), state.version - 1, ...values.slice(5)],
        );
      }
      if (written === 0)
        throw conflict(
          'concurrent_modification',
          `${spec.kind} ${state.id} changed meanwhile; read it and retry`,
        );
      const published = change === 'deleted' ? null : state;
      await tx.execute(
        'INSERT INTO pricing_history (kind, id, version, change, definition, changed_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [
          spec.kind,
          state.id,
          state.version,
          change,
          published === null ? null : JSON.stringify(published),
          at,
        ],
      );
      await bumpPricingRevision(tx, at);
      await spec.afterSave?.(tx, state, change);
      const event = {
        contract: spec.contract,
        subject: spec.subject(state.id),
        sequence: state.version,
        data: spec.eventData(state.id, state.version, change, published),
      };
      const older = spec.olderContract;
      await deps.outbox.append(
        tx,
        older?.states(published) ? [{ ...event, contract: older.contract }, event] : [event],
      );
    },
  };
}

export type DefinitionStore<T extends Versioned> = ReturnType<typeof createDefinitionStore<T>>;
