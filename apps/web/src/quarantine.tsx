import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchHttp, type QueuedTransaction, type TerminalStatus } from '@tillstream/pos-client/browser';
import { serverApi, type QuarantinedTransaction } from './api.js';
import type { Session } from './session.js';
import { useServer } from './use-server.js';

/**
 * The manager's view of what the store system refused for good from this till (an unknown SKU, a return beyond
 * its receipt, a policy breach): each with its reason code and detail as the server reports them, and a retry
 * once the cause is fixed. Offline, it lists what this till was told before.
 */
export function QuarantineScreen(props: { session: Session; status: TerminalStatus }) {
  const { session, status } = props;
  const [reloads, setReloads] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const server = useServer(() => session.api.quarantine(), [status.synced, status.quarantined, reloads]);
  const [local, setLocal] = useState<QueuedTransaction[]>([]);
  useEffect(() => {
    void session.terminal.recent(200, 'quarantined').then(setLocal);
  }, [status.quarantined]);

  // One retry at a time: a double click must not report the second (which finds the entry gone) as a failure.
  const retrying = useRef(false);
  const retry = async (entry: QuarantinedTransaction) => {
    if (retrying.current) return;
    retrying.current = true;
    try {
      const result = await session.api.retryQuarantined(entry.transactionId);
      setMessage(
        result.status === 'rejected'
          ? `Still refused: ${result.code ?? ''} ${result.detail ?? ''}`.trim()
          : `Applied: ${entry.type} ${entry.transaction.receiptNo ?? entry.transactionId} is ${result.status}.`,
      );
    } catch (failure) {
      setMessage(`Retry failed: ${(failure as Error).message}`);
    } finally {
      retrying.current = false;
    }
    setReloads((count) => count + 1);
  };

  return (
    <main class="page">
      <section class="panel wide-panel">
        <div class="row spread">
          <h1>Quarantine</h1>
          <button onClick={() => setReloads((count) => count + 1)}>Refresh</button>
        </div>
        <p class="hint">
          Transactions of till {session.terminal.terminalId} that the store system refused for good. They no
          longer hold up the queue; fix the cause (add the product, wait for the receipt&apos;s sale) and
          retry.
        </p>
        {message ? (
          <p role="status" data-testid="quarantine-message">
            {message}
          </p>
        ) : null}
        <StoreQuarantine session={session} reloads={reloads} onRetry={(entry) => void retry(entry)} />
        <h2>This till</h2>
        {server.state === 'ready' ? (
          <QuarantineTable entries={server.value} onRetry={(entry) => void retry(entry)} />
        ) : server.state === 'loading' ? (
          <p class="muted">Loading…</p>
        ) : (
          <>
            <p class="muted" data-testid="quarantine-offline">
              {server.state === 'offline'
                ? 'Offline: the list below is what this till was told when it last synced.'
                : server.message}
            </p>
            <QuarantineTable
              entries={local.map((entry) => ({
                terminalId: session.terminal.terminalId,
                transactionId: entry.id,
                type: entry.transaction.type,
                code: entry.error?.code ?? 'unknown',
                detail: entry.error?.detail ?? '',
                attempts: entry.attempts,
                firstSeenAt: entry.syncedAt ?? entry.createdAt,
                lastSeenAt: entry.syncedAt ?? entry.createdAt,
                transaction: entry.transaction as unknown as QuarantinedTransaction['transaction'],
              }))}
            />
          </>
        )}
      </section>
    </main>
  );
}

/**
 * Every till's quarantine in this store, for a manager: the till's own key may not read it, so the manager
 * types a key with `pos:manage`. It is kept only while the screen is open, never stored on the till.
 */
function StoreQuarantine(props: {
  session: Session;
  reloads: number;
  onRetry: (entry: QuarantinedTransaction) => void;
}) {
  const { session } = props;
  const [managerKey, setManagerKey] = useState('');
  const [shown, setShown] = useState<
    | { state: 'idle' | 'loading' }
    | { state: 'ready'; entries: QuarantinedTransaction[] }
    | { state: 'failed'; message: string }
  >({ state: 'idle' });
  const load = async () => {
    if (!managerKey.trim()) return;
    setShown({ state: 'loading' });
    const http = fetchHttp({ baseUrl: location.origin, apiKey: managerKey.trim(), timeoutMs: 8000 });
    try {
      const entries = await serverApi(http, session.terminal.terminalId).storeQuarantine(session.storeId);
      setShown({ state: 'ready', entries });
    } catch (failure) {
      setShown({ state: 'failed', message: (failure as Error).message });
    }
  };
  useEffect(() => {
    if (shown.state === 'ready') void load();
  }, [props.reloads]);

  return (
    <details data-testid="store-quarantine">
      <summary>All tills of store {session.storeId} (manager)</summary>
      <form
        class="row"
        onSubmit={(event) => {
          event.preventDefault();
          void load();
        }}
      >
        <label>
          Manager key
          <input
            type="password"
            autoComplete="off"
            data-testid="manager-key"
            value={managerKey}
            onInput={(event) => setManagerKey(event.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={!managerKey.trim() || shown.state === 'loading'}>
          Show
        </button>
      </form>
      {shown.state === 'ready' ? (
        <QuarantineTable
          entries={shown.entries}
          showTill
          onRetry={props.onRetry}
          canRetry={(entry) => entry.terminalId === session.terminal.terminalId}
        />
      ) : shown.state === 'failed' ? (
        <p class="error" role="alert">
          {shown.message}
        </p>
      ) : null}
    </details>
  );
}

function QuarantineTable(props: {
  entries: QuarantinedTransaction[];
  /** A till column, for a store-wide list. */
  showTill?: boolean;
  onRetry?: (entry: QuarantinedTransaction) => void;
  /** Retried with the till's own key, so only its own entries (default: all). */
  canRetry?: (entry: QuarantinedTransaction) => boolean;
}) {
  if (props.entries.length === 0)
    return (
      <p class="muted" data-testid="quarantine-empty">
        Nothing is quarantined.
      </p>
    );
  return (
    <table class="grid-table" data-testid="quarantine-list">
      <thead>
        <tr>
          <th scope="col">Refused</th>
          {props.showTill ? <th scope="col">Till</th> : null}
          <th scope="col">Transaction</th>
          <th scope="col">Reason</th>
          <th scope="col" class="num">
            Tries
          </th>
          {props.onRetry ? (
            <th scope="col">
              <span class="sr-only">Action</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {props.entries.map((entry) => (
          <tr
            key={`${entry.terminalId}/${entry.transactionId}`}
            data-testid={`quarantined-${entry.transactionId}`}
          >
            <td>{new Date(entry.lastSeenAt).toLocaleString()}</td>
            {props.showTill ? <td>{entry.terminalId}</td> : null}
            <td>
              {entry.type} {entry.transaction.receiptNo ?? ''}
              <div class="small muted">{entry.transactionId}</div>
            </td>
            <td>
              <code data-testid="quarantine-code">{entry.code}</code>
              <div class="small" data-testid="quarantine-detail">
                {entry.detail}
              </div>
            </td>
            <td class="num">{entry.attempts}</td>
            {props.onRetry ? (
              <td>
                {(props.canRetry?.(entry) ?? true) ? (
                  <button onClick={() => props.onRetry!(entry)}>Retry</button>
                ) : null}
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
