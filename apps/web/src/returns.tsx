import { useMemo, useState } from 'preact/hooks';
import {
  TerminalError,
  type ReturnTransaction,
  type Tender,
  type TerminalStatus,
} from '@tillstream/pos-client/browser';
import { money } from './money.js';
import { NoReceiptReturn } from './no-receipt.js';
import { findReceipt, LookupError, type ReceiptToReturn } from './receipt-lookup.js';
import { checkReceiptReturn, unitsLeft, type ReturnPick } from './returns.logic.js';
import { DispositionSelect, namesOf, RefundFields, ReturnSlip, type Refund } from './returns.parts.js';
import type { Session } from './session.js';

type Done = { saleReturn: ReturnTransaction; refunds: Tender[] };

/** Returns: against a receipt (looked up on this till or the server) or, by the store's policy, without one. */
export function Returns(props: { session: Session; status: TerminalStatus; online: boolean }) {
  const [mode, setMode] = useState<'receipt' | 'none'>('receipt');
  const [done, setDone] = useState<Done | null>(null);
  const names = useMemo(() => namesOf(props.session.terminal), [props.status.catalogSize]);
  const [afterDone, setAfterDone] = useState<() => void>(() => () => {});
  const finished = (result: Done, then: () => void) => {
    setAfterDone(() => then);
    setDone(result);
  };
  return (
    <main class="page">
      <div class="tabs" role="tablist" aria-label="Kind of return">
        <button
          role="tab"
          aria-selected={mode === 'receipt'}
          data-testid="return-mode-receipt"
          onClick={() => setMode('receipt')}
        >
          With a receipt
        </button>
        <button
          role="tab"
          aria-selected={mode === 'none'}
          data-testid="return-mode-none"
          onClick={() => setMode('none')}
        >
          Without a receipt
        </button>
      </div>
      {mode === 'receipt' ? (
        <ReceiptReturn {...props} names={names} onDone={finished} />
      ) : (
        <NoReceiptReturn terminal={props.session.terminal} api={props.session.api} onDone={finished} />
      )}
      {done ? (
        <ReturnSlip
          {...done}
          names={names}
          onDone={() => {
            setDone(null);
            afterDone();
          }}
        />
      ) : null}
    </main>
  );
}

function ReceiptReturn(props: {
  session: Session;
  online: boolean;
  names: ReadonlyMap<string, string>;
  onDone: (result: Done, then: () => void) => void;
}) {
  const { session, names } = props;
  const { terminal } = session;
  const [query, setQuery] = useState('');
  const [receipt, setReceipt] = useState<ReceiptToReturn | null>(null);
  const [picks, setPicks] = useState<Map<number, ReturnPick>>(new Map());
  const [refund, setRefund] = useState<Refund>({ method: 'cash', reference: '', reason: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const lookUp = async (text: string) => {
    setBusy(true);
    try {
      const found = await findReceipt(text, { terminalId: terminal.terminalId, ...session });
      setReceipt(found);
      setPicks(new Map());
      setError(null);
    } catch (failure) {
      setReceipt(null);
      setError(
        failure instanceof LookupError || failure instanceof TerminalError
          ? failure.message
          : String(failure),
      );
    } finally {
      setBusy(false);
    }
  };
  const checked = receipt ? checkReceiptReturn(receipt.lines, picks, receipt.uncollected) : null;
  // Cash goes back as the store's coins allow, as the SDK refunds it.
  const refundShown =
    refund.method === 'cash' ? terminal.cashDue(checked?.refund ?? 0) : (checked?.refund ?? 0);
  const pick = (lineNo: number, change: Partial<ReturnPick>) =>
    setPicks((current) => {
      const next = new Map(current);
      next.set(lineNo, { quantity: '', disposition: 'restock', ...current.get(lineNo), ...change });
      return next;
    });
  const confirm = async () => {
    if (!receipt || !checked || checked.lines.length === 0 || checked.problems.size > 0) return;
    setBusy(true);
    try {
      const result = await terminal.returnItems({
        originalSaleId: receipt.saleId,
        lines: checked.lines,
        refundMethod: refund.method,
        ...(refund.method !== 'cash' && refund.reference.trim()
          ? { refundReference: refund.reference.trim() }
          : {}),
        ...(refund.reason.trim() ? { reason: refund.reason.trim() } : {}),
      });
      setRefund({ method: 'cash', reference: '', reason: '' });
      props.onDone(result, () => void lookUp(receipt.saleId));
    } catch (failure) {
      // The server (asked by the SDK when online) knows of returns this screen did not: show what is left now.
      setError(
        failure instanceof TerminalError ? failure.message : `Not saved: ${(failure as Error).message}`,
      );
      if (failure instanceof TerminalError && failure.code === 'return_exceeds_sold') {
        const refreshed = await findReceipt(receipt.saleId, {
          terminalId: terminal.terminalId,
          ...session,
        }).catch(() => null);
        if (refreshed) setReceipt(refreshed);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel">
      <form
        class="row lookup"
        onSubmit={(event) => {
          event.preventDefault();
          void lookUp(query);
        }}
      >
        <label class="grow">
          Receipt number or sale id
          <input
            data-testid="return-lookup"
            value={query}
            autoFocus
            placeholder="Scan the receipt…"
            onInput={(event) => setQuery(event.currentTarget.value)}
          />
        </label>
        <button data-testid="return-find" class="primary" disabled={busy || !query.trim()}>
          Find
        </button>
      </form>
      {error ? (
        <p class="error" role="alert" data-testid="return-error">
          {error}
        </p>
      ) : null}
      {receipt ? (
        <div data-testid="return-sale">
          <h2>
            Receipt <span data-testid="return-receipt-no">{receipt.receiptNo ?? receipt.saleId}</span>
          </h2>
          <p class="muted small">
            {new Date(receipt.occurredAt).toLocaleString()} · till {receipt.terminalId}
            {props.online
              ? ''
              : ' · offline: returns made at other tills since are not known here; the server checks this one when it syncs'}
          </p>
          <table class="grid-table">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" class="num">
                  Sold
                </th>
                <th scope="col" class="num">
                  Returned
                </th>
                <th scope="col" class="num">
                  Left
                </th>
                <th scope="col">Return</th>
                <th scope="col">Goes</th>
              </tr>
            </thead>
            <tbody>
              {receipt.lines.map((line) => {
                const name = names.get(line.sku) ?? line.sku;
                const current = picks.get(line.lineNo) ?? { quantity: '', disposition: 'restock' as const };
                const problem = checked?.problems.get(line.lineNo);
                return (
                  <tr key={line.lineNo} data-testid={`return-line-${line.lineNo}`}>
                    <td>
                      {name}
                      <div class="small muted">
                        {line.sku} · paid {money(line.lineTotal, receipt.currency)}
                      </div>
                      {problem ? (
                        <div
                          class="error small"
                          role="alert"
                          id={`problem-${line.lineNo}`}
                          data-testid={`return-problem-${line.lineNo}`}
                        >
                          {problem}
                        </div>
                      ) : null}
                    </td>
                    <td class="num">{line.sold}</td>
                    <td class="num">{line.returned}</td>
                    <td class="num" data-testid={`return-left-${line.lineNo}`}>
                      {unitsLeft(line)}
                    </td>
                    <td>
                      <input
                        class="units"
                        data-testid={`return-qty-${line.lineNo}`}
                        aria-label={`Units of ${name} to return`}
                        aria-invalid={problem ? true : undefined}
                        aria-describedby={problem ? `problem-${line.lineNo}` : undefined}
                        inputMode="numeric"
                        placeholder="0"
                        value={current.quantity}
                        disabled={unitsLeft(line) === 0 && !current.quantity}
                        onInput={(event) => pick(line.lineNo, { quantity: event.currentTarget.value })}
                      />
                    </td>
                    <td>
                      <DispositionSelect
                        testId={`return-disposition-${line.lineNo}`}
                        name={name}
                        value={current.disposition}
                        onChange={(disposition) => pick(line.lineNo, { disposition })}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {checked && checked.uncollected > 0 ? (
            <p data-testid="return-uncollected" class="notice">
              Not refunded: {money(checked.uncollected, receipt.currency)} of these goods was never paid — a
              gift card of this sale held less than it spent.
            </p>
          ) : null}
          <RefundFields refund={refund} onChange={setRefund} total={money(refundShown, receipt.currency)} />
          <button
            data-testid="return-confirm"
            class="primary wide"
            disabled={busy || !checked || checked.lines.length === 0 || checked.problems.size > 0}
            onClick={() => void confirm()}
          >
            Take back and refund {money(refundShown, receipt.currency)}
          </button>
        </div>
      ) : null}
    </section>
  );
}
