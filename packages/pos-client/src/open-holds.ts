import type { HttpPort } from './http.port.js';
import type { TerminalStorage } from './storage.port.js';

/** The storage key of the holds this terminal asked for that no stored sale names and none gave back yet. */
export const OPEN_HOLDS_KEY = 'openHolds';

/**
 * The terminal's durable record of its gift card and store credit holds: written before a hold is sent, cleared
 * in the very commit that queues the sale naming it, or once the server answered its cancel. What is left after
 * a crash (or a give-back the server never heard) was stranded with the card debited, and is given back when the
 * terminal recovers. Every writer holds the till's lock, so a read-modify-write cannot lose an id.
 */
export function openHolds(storage: TerminalStorage) {
  const read = async () => (await storage.get<string[]>(OPEN_HOLDS_KEY)) ?? [];
  return {
    read,
    async add(id: string): Promise<void> {
      await storage.commit({ state: { [OPEN_HOLDS_KEY]: [...(await read()), id] } });
    },
    /** The record without `ids`, to store with the commit that settles them. */
    async without(ids: readonly string[]): Promise<string[]> {
      return (await read()).filter((id) => !ids.includes(id));
    },
    async remove(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await storage.commit({ state: { [OPEN_HOLDS_KEY]: await this.without(ids) } });
    },
  };
}

export type OpenHolds = ReturnType<typeof openHolds>;

/**
 * Gives holds back to their cards (the sale did not complete): answers the ids the server settled, given back
 * now or before, claimed by a sale, or never recorded (a hold that lands later still expires on the server).
 * Best effort: an id the server did not answer for stays in the record, to be given back on recovery.
 */
export async function cancelHolds(http: HttpPort, redemptionIds: readonly string[]): Promise<string[]> {
  const settled: string[] = [];
  for (const id of redemptionIds) {
    const response = await http
      .request('POST', `/pos/v1/stored-value/redemptions/${id}/cancel`)
      .catch(() => null);
    // A 4xx says how it stands (claimed 409, unknown 404) or that asking again cannot help; 5xx, timeouts and a
    // key the server did not take (401) may pass.
    if (response && response.status < 500 && ![401, 408, 429].includes(response.status)) settled.push(id);
  }
  return settled;
}

/**
 * Gives back the holds a crash (or an unanswered give-back) left in the record, and answers how many the server
 * settled. The record is read under the till's lock, which `sell` holds while it takes holds: every id found
 * then is one no stored sale names, never the hold of a sale being rung. One pass at a time (start and the idle
 * loop may both ask), so no hold is cancelled twice at once. The server lets them expire too, but a customer
 * at the till should not wait for that.
 */
export function strandedHoldsReleaser(deps: {
  http: HttpPort;
  record: OpenHolds;
  till: <T>(fn: () => Promise<T>) => Promise<T>;
}): () => Promise<number> {
  let releasing: Promise<number> | null = null;
  const pass = async () => {
    const stranded = await deps.till(() => deps.record.read());
    if (stranded.length === 0) return 0;
    const settled = await cancelHolds(deps.http, stranded);
    await deps.till(() => deps.record.remove(settled));
    return settled.length;
  };
  return () => (releasing ??= pass().finally(() => (releasing = null)));
}
