import { useState } from 'preact/hooks';
import type { Receipt, Terminal, TerminalStatus } from '@tillstream/pos-client/browser';
import type { TillConfig } from './config.js';
import { money, parseAmount, signedMoney } from './money.js';

/** Online or not, and how many transactions wait for the server: always visible, so nobody closes a full queue. */
export function StatusBar(props: {
  config: TillConfig;
  status: TerminalStatus | null;
  online: boolean;
  /** The server refused the key: ask for the terminal's new one. */
  onNewKey: () => void;
}) {
  const { config, status, online } = props;
  return (
    <header class="status">
      <div class="brand">
        <img src="./icon.svg" alt="" width="28" height="28" />
        <strong>Tillstream</strong>
        <span class="muted">
          {config.storeId} · {config.terminalId}
          {status?.shift ? ` · shift ${status.shift.seq}` : ''}
        </span>
      </div>
      <div class="indicators">
        <span data-testid="net-status" class={`pill ${online ? 'ok' : 'off'}`}>
          {online ? 'Online' : 'Offline'}
        </span>
        <span class={`pill ${status?.pending ? 'warn' : 'ok'}`}>
          <span data-testid="pending-count">{status?.pending ?? 0}</span> waiting to sync
        </span>
        {status?.quarantined ? <span class="pill off">{status.quarantined} refused</span> : null}
        {status?.keyRefused ? (
          <button
            data-testid="key-refused"
            class="pill off"
            title="The server refused this till's key (was it rotated?): sales wait until it has the new one"
            onClick={props.onNewKey}
          >
            Key refused: enter the new key
          </button>
        ) : null}
        <span class="muted small">prices v{status?.snapshotVersion ?? '–'}</span>
      </div>
    </header>
  );
}

export function OpenShift(props: { terminal: Terminal; currency: string; note?: string | undefined }) {
  const [float, setFloat] = useState('100.00');
  const [error, setError] = useState<string | null>(null);
  const amount = parseAmount(float);
  return (
    <main class="setup">
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          if (amount !== null)
            props.terminal.openShift(amount).catch((failure: Error) => setError(failure.message));
        }}
      >
        <h1>Open a shift</h1>
        {props.note ? <p class="hint">{props.note}</p> : null}
        <label>
          Cash in the drawer ({props.currency})
          <input
            data-testid="float"
            inputMode="decimal"
            value={float}
            onInput={(e) => setFloat(e.currentTarget.value)}
          />
        </label>
        {error ? <p class="error">{error}</p> : null}
        <button data-testid="open-shift" class="primary" disabled={amount === null}>
          Open shift
        </button>
      </form>
    </main>
  );
}

/** A slip's line for what rounding the cash to the store's increment added or took off; none when nothing. */
export function RoundingRow(props: { amount: number | undefined; currency: string; testId: string }) {
  if (!props.amount) return null;
  return (
    <tr class="small">
      <td>Rounding</td>
      <td class="num" data-testid={props.testId}>
        {signedMoney(props.amount, props.currency)}
      </td>
    </tr>
  );
}

export function ReceiptView(props: { receipt: Receipt; onDone: () => void }) {
  const { sale, priced, change } = props.receipt;
  return (
    <div class="overlay">
      <div class="receipt" data-testid="receipt">
        <h2>
          Receipt <span data-testid="receipt-no">{sale.receiptNo}</span>
        </h2>
        <p class="muted small">{new Date(sale.occurredAt).toLocaleString()}</p>
        <table>
          <tbody>
            {priced.lines.map((line) => (
              <tr key={line.sku}>
                <td>
                  {line.quantity} × {line.name}
                  {line.discount > 0 ? (
                    <div class="small muted">
                      −{money(line.discount, sale.currency)} {line.adjustments.join(', ')}
                    </div>
                  ) : null}
                </td>
                <td class="num">{money(line.lineTotal, sale.currency)}</td>
              </tr>
            ))}
            {priced.tax > 0 ? (
              <tr class="small">
                <td>Tax</td>
                <td class="num" data-testid="receipt-tax">
                  {money(priced.tax, sale.currency)}
                </td>
              </tr>
            ) : null}
            <tr class="total">
              <td>Total</td>
              <td class="num">{money(priced.total, sale.currency)}</td>
            </tr>
            {sale.cashRounding ? (
              <>
                <RoundingRow amount={sale.cashRounding} currency={sale.currency} testId="receipt-rounding" />
                <tr class="small">
                  <td>To pay</td>
                  <td class="num" data-testid="receipt-to-pay">
                    {money(priced.total + sale.cashRounding, sale.currency)}
                  </td>
                </tr>
              </>
            ) : null}
            {priced.includedTax > 0 ? (
              <tr class="small muted">
                <td>Incl. tax</td>
                <td class="num" data-testid="receipt-included-tax">
                  {money(priced.includedTax, sale.currency)}
                </td>
              </tr>
            ) : null}
            {sale.payments.map((payment, index) => (
              <tr key={index} class="small">
                <td>
                  {payment.method.replace('_', ' ')}
                  {payment.reference ? ` ${payment.reference}` : ''}
                  {payment.tendered !== undefined
                    ? ` (tendered ${money(payment.tendered, sale.currency)})`
                    : ''}
                </td>
                <td class="num">{money(payment.amount, sale.currency)}</td>
              </tr>
            ))}
            {change > 0 ? (
              <tr class="change">
                <td>Change</td>
                <td class="num" data-testid="change">
                  {money(change, sale.currency)}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        <p class="small muted">Saved on this till; it is sent to the store system as soon as it can be.</p>
        <p class="small muted">
          Sale id <span data-testid="receipt-sale-id">{sale.id}</span> (for a return at another till)
        </p>
        <button data-testid="new-sale" class="primary" onClick={props.onDone} autoFocus>
          New sale
        </button>
      </div>
    </div>
  );
}
