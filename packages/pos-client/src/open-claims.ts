import type { HttpResponse } from './http.port.js';
import type { TerminalStorage } from './storage.port.js';

/**
 * The terminal's durable record of one kind of claim it asked the server for before storing a sale (a gift card
 * hold, a coupon's use): an id is written before the claim is sent, and cleared in the very commit that queues
 * the sale naming it, or once the server answered its give-back. What is left after a crash (or a give-back the
 * server never heard) was stranded, and is given back when the terminal recovers. Every writer holds the till's
 * lock, so a read-modify-write cannot lose an id.
 */
export function openClaims(storage: TerminalStorage, key: string) {
  const read = async () => (await storage.get<string[]>(key)) ?? [];
  return {
    key,
    read,
    async add(id: string): Promise<void> {
      await storage.commit({ state: { [key]: [...(await read()), id] } });
    },
    /** The record without `ids`, to store with the commit that settles them. */
    async without(ids: readonly string[]): Promise<string[]> {
      return (await read()).filter((id) => !ids.includes(id));
    },
    async remove(ids: readonly string[]): Promise<void> {
      if (ids.length === 0) return;
      await storage.commit({ state: { [key]: await this.without(ids) } });
    },
  };
}

export type OpenClaims = ReturnType<typeof openClaims>;

/**
 * Whether the server's answer to a give-back settles it: a 2xx, or a 4xx that says how it stands (claimed by a
 * sale, unknown) or that asking again cannot help. No answer, a 5xx, a timeout and a key the server did not
 * take (401) may pass: the claim stays recorded, to be given back later.
 */
export const givenBackBy = (response: HttpResponse | null): boolean =>
  response !== null && response.status < 500 && ![401, 408, 429].includes(response.status);

/**
 * Gives back the claims a crash (or an unanswered give-back) left in the record, and answers how many the server
 * settled. The record is read under the till's lock, which `sell` holds while it takes claims: every id found
 * then is one no stored sale names, never one of a sale being rung. One pass at a time (start and the idle loop
 * may both ask), so nothing is given back twice at once.
 */
export function strandedReleaser(deps: {
  record: OpenClaims;
  till: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Answers the ids the server settled. */
  giveBack: (ids: readonly string[]) => Promise<string[]>;
}): () => Promise<number> {
  let releasing: Promise<number> | null = null;
  const pass = async () => {
    const stranded = await deps.till(() => deps.record.read());
    if (stranded.length === 0) return 0;
    const settled = await deps.giveBack(stranded);
    await deps.till(() => deps.record.remove(settled));
    return settled.length;
  };
  return () => (releasing ??= pass().finally(() => (releasing = null)));
}
