import { useEffect, useState } from 'preact/hooks';
import type { QueuedTransaction, TerminalStatus } from '@tillstream/pos-client/browser';
import type { QuarantinedTransaction } from './api.js';
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

  const retry = async (entry: QuarantinedTransaction) => {
    try {
      const result = await session.api.retryQuarantined(entry.transactionId);
      setMessage(
        result.status === 'rejected'
          ? `Still refused: ${result.code ?? ''} ${result.detail ?? ''}`.trim()
          : `Applied: ${entry.type} ${entry.transaction.receiptNo ?? entry.transactionId} is ${result.status}.`,
      );
    } catch (failure) {
      setMessage(`Retry failed: ${(failure as Error).message}`);
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

function QuarantineTable(props: {
  entries: QuarantinedTransaction[];
  onRetry?: (entry: QuarantinedTransaction) => void;
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
          <tr key={entry.transactionId} data-testid={`quarantined-${entry.transactionId}`}>
            <td>{new Date(entry.lastSeenAt).toLocaleString()}</td>
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
                <button onClick={() => props.onRetry!(entry)}>Retry</button>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
