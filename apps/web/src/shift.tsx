import { useState } from 'preact/hooks';
import type { TerminalStatus } from '@tillstream/pos-client/browser';
import { money, parseAmount } from './money.js';
import type { Session } from './session.js';
import { useServer } from './use-server.js';
import { ZReportSlip } from './z-report.js';

/** The shift: how it stands, closing it with the counted cash, and the Z-report of this and earlier shifts. */
export function ShiftScreen(props: { session: Session; status: TerminalStatus; onOpenShift: () => void }) {
  const { session, status } = props;
  const currency = session.terminal.currency;
  const [shown, setShown] = useState<string | null>(status.shift?.id ?? null);
  const [counted, setCounted] = useState('');
  const [error, setError] = useState<string | null>(null);
  const amount = parseAmount(counted);
  const open = status.shift;
  const shifts = useServer(() => session.api.shifts(10), [status.synced, shown]);

  const close = async () => {
    if (!open || amount === null) return;
    try {
      await session.terminal.closeShift(amount);
      setCounted('');
      setError(null);
      setShown(open.id);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <main class="page shift">
      <section class="panel">
        {open ? (
          <>
            <h1>Shift {open.seq}</h1>
            <p>
              Open since {new Date(open.openedAt).toLocaleString()} · float{' '}
              {money(open.openingFloat, currency)} · {open.receipts} receipts
            </p>
            <form
              class="close-shift"
              onSubmit={(event) => {
                event.preventDefault();
                void close();
              }}
            >
              <label>
                Cash counted in the drawer ({currency})
                <input
                  data-testid="counted"
                  inputMode="decimal"
                  value={counted}
                  onInput={(event) => setCounted(event.currentTarget.value)}
                />
              </label>
              <p class="small muted">
                Count the drawer first: the Z-report shows what was expected and the difference.
              </p>
              {error ? (
                <p class="error" role="alert">
                  {error}
                </p>
              ) : null}
              <button data-testid="close-shift-confirm" class="primary" disabled={amount === null}>
                Close shift {open.seq}
              </button>
            </form>
          </>
        ) : (
          <>
            <h1>No shift open</h1>
            <button data-testid="open-next-shift" class="primary" onClick={props.onOpenShift}>
              Open a shift
            </button>
          </>
        )}
        <h2>Shifts of this till</h2>
        {shifts.state === 'ready' ? (
          <ul class="shift-list">
            {shifts.value.map((shift) => (
              <li key={shift.id}>
                <button
                  data-testid={`shift-${shift.seq}`}
                  aria-pressed={shown === shift.id}
                  onClick={() => setShown(shift.id)}
                >
                  Shift {shift.seq} · {shift.status} · net {money(shift.report.net, shift.currency)}
                </button>
              </li>
            ))}
            {shifts.value.length === 0 ? <li class="muted">None has reached the server yet.</li> : null}
          </ul>
        ) : (
          <p class="muted small">
            {shifts.state === 'offline'
              ? 'Offline: the list of shifts comes from the server.'
              : shifts.state === 'failed'
                ? shifts.message
                : 'Loading…'}
          </p>
        )}
      </section>
      <section class="panel report-panel" aria-live="polite">
        {shown ? <ShiftReportPanel session={session} shiftId={shown} status={status} /> : null}
      </section>
    </main>
  );
}

/**
 * The report of one shift, read from the server again after every sync: the Z-report is the server's (it counts
 * transactions that arrive late), so until the shift's transactions have synced it says what it waits for.
 */
function ShiftReportPanel(props: { session: Session; shiftId: string; status: TerminalStatus }) {
  const { session, shiftId, status } = props;
  const loaded = useServer(() => session.api.shift(shiftId), [shiftId, status.synced, status.pending]);
  const waiting = status.pending > 0;
  if (loaded.state !== 'ready')
    return (
      <p class="muted" data-testid="z-report-waiting">
        {loaded.state === 'loading'
          ? 'Loading the report…'
          : loaded.state === 'offline'
            ? `Offline: the report comes from the store system once this till syncs (${status.pending} waiting).`
            : waiting
              ? `The shift has not reached the store system yet (${status.pending} waiting to sync).`
              : loaded.message}
      </p>
    );
  const shift = loaded.value;
  return (
    <>
      {waiting ? (
        <p class="muted small" data-testid="z-report-waiting">
          {status.pending} transactions of this till wait to sync: the report below does not count them yet.
        </p>
      ) : null}
      <ZReportSlip shift={shift} />
      <button class="no-print" onClick={() => window.print()}>
        Print
      </button>
    </>
  );
}
