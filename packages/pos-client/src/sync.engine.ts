import { NetworkError, type HttpPort } from './http.port.js';
import type { QueuedTransaction, Settlement, TerminalStorage } from './storage.port.js';
import type { SyncResult } from './wire.js';

/** What one pass of uploading achieved. */
export interface SyncOutcome {
  sent: number;
  accepted: number;
  duplicate: number;
  quarantined: number;
  /** Refused for now (the server asks for a resend later) or left without an answer. */
  retryable: number;
}

/**
 * The batch got no verdict: the server could not take it now (5xx, 429), refused the key (401, 403), or
 * something in between answered for it (a proxy's 404 or 408 during a deploy). Nothing was settled.
 */
export class SyncUnavailableError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SyncUnavailableError';
  }
}

export interface SyncDeps {
  storage: TerminalStorage;
  http: HttpPort;
  terminalId: string;
  now: () => Date;
}

/** Answers that judge what was sent (malformed, too large, unprocessable), not the path to the server. */
const JUDGING_STATUSES = new Set([400, 413, 422]);

/** The server's problem document (`code`, `detail`); a proxy's page or an empty body is none. */
function problemOf(body: unknown): { code: string; detail?: string } | null {
  const problem = body as { code?: unknown; detail?: unknown } | null;
  if (typeof problem !== 'object' || problem === null || typeof problem.code !== 'string') return null;
  return typeof problem.detail === 'string'
    ? { code: problem.code, detail: problem.detail }
    : { code: problem.code };
}

const empty = (): SyncOutcome => ({ sent: 0, accepted: 0, duplicate: 0, quarantined: 0, retryable: 0 });

function settle(entries: readonly QueuedTransaction[], results: readonly SyncResult[], at: string) {
  const byId = new Map(results.map((result) => [result.id, result]));
  const outcome = { ...empty(), sent: entries.length };
  const settlements = entries.map((entry): Settlement => {
    const result = byId.get(entry.id);
    const attempts = entry.attempts + 1;
    if (result?.status === 'accepted' || result?.status === 'duplicate') {
      outcome[result.status] += 1;
      return { id: entry.id, status: 'synced', attempts, syncedAt: at };
    }
    const error = {
      code: result?.code ?? 'no_result',
      detail: result?.detail ?? 'The server did not answer for it',
    };
    if (result?.status === 'rejected' && !result.retryable) {
      outcome.quarantined += 1;
      return { id: entry.id, status: 'quarantined', attempts, error };
    }
    outcome.retryable += 1;
    return { id: entry.id, status: 'pending', attempts, error };
  });
  return { settlements, outcome };
}

const add = (left: SyncOutcome, right: SyncOutcome): SyncOutcome => ({
  sent: left.sent + right.sent,
  accepted: left.accepted + right.accepted,
  duplicate: left.duplicate + right.duplicate,
  quarantined: left.quarantined + right.quarantined,
  retryable: left.retryable + right.retryable,
});

/**
 * Uploads the given queued transactions and settles them by the server's per-transaction answers: synced only
 * on `accepted` or `duplicate`, quarantined on a final refusal, pending otherwise. A request that fails or times
 * out settles nothing (the server may have committed: the resend is answered `duplicate`). If the server refuses
 * the batch as a whole (400, 413, 422), each transaction is sent alone, so one bad one cannot hold up the queue;
 * one sent alone is quarantined only on such an answer with the server's problem document. Any other answer
 * settles nothing either (`SyncUnavailableError`): a transaction is never given up on a proxy's word.
 */
export async function uploadBatch(
  deps: SyncDeps,
  entries: readonly QueuedTransaction[],
): Promise<SyncOutcome> {
  if (entries.length === 0) return empty();
  const response = await deps.http.request('POST', '/pos/v1/sync', {
    body: { terminalId: deps.terminalId, transactions: entries.map((entry) => entry.transaction) },
  });
  if (response.status === 200) {
    const { results } = response.body as { results: SyncResult[] };
    const { settlements, outcome } = settle(entries, results, deps.now().toISOString());
    await deps.storage.settle(settlements);
    return outcome;
  }
  const unavailable = () => new SyncUnavailableError(response.status, `sync answered ${response.status}`);
  if (!JUDGING_STATUSES.has(response.status)) throw unavailable();
  if (entries.length > 1) {
    let outcome = empty();
    for (const entry of entries) outcome = add(outcome, await uploadBatch(deps, [entry]));
    return outcome;
  }
  const problem = problemOf(response.body);
  if (!problem) throw unavailable();
  const entry = entries[0]!;
  await deps.storage.settle([
    {
      id: entry.id,
      status: 'quarantined',
      attempts: entry.attempts + 1,
      error: {
        code: problem.code,
        detail: problem.detail ?? 'Refused by the server',
      },
    },
  ]);
  return { ...empty(), sent: 1, quarantined: 1 };
}

/** Uploads pending transactions batch by batch until none is left or a batch makes no progress. */
export async function drainQueue(deps: SyncDeps, batchSize: number): Promise<SyncOutcome> {
  let total = empty();
  for (;;) {
    const batch = await deps.storage.pending(batchSize);
    if (batch.length === 0) return total;
    const outcome = await uploadBatch(deps, batch);
    total = add(total, outcome);
    if (outcome.accepted + outcome.duplicate + outcome.quarantined === 0) return total;
  }
}

export const isTransient = (error: unknown) =>
  error instanceof NetworkError || error instanceof SyncUnavailableError;
