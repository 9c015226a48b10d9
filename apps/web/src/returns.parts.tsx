import type { ReturnTransaction, Tender, Terminal } from '@tillstream/pos-client/browser';
import { money } from './money.js';
import { RoundingRow } from './parts.js';
import type { Disposition } from './returns.logic.js';

export const REFUND_METHODS = ['cash', 'card', 'store_credit', 'gift_card'] as const;
export const label = (method: string) => method.replace('_', ' ');

/** Product names for the lines of a receipt, from the till's cached catalog. */
export const namesOf = (terminal: Terminal) =>
  new Map(terminal.products().map((product) => [product.sku, product.name]));

export interface Refund {
  method: string;
  reference: string;
  reason: string;
}

/** How the money goes back (a card or gift card number when it is not cash), and why the goods came back. */
export function RefundFields(props: { refund: Refund; onChange: (refund: Refund) => void; total: string }) {
  const { refund, onChange } = props;
  return (
    <fieldset class="refund">
      <legend>Refund</legend>
      <label>
        Refund to
        <select
          data-testid="refund-method"
          value={refund.method}
          onChange={(event) => onChange({ ...refund, method: event.currentTarget.value })}
        >
          {REFUND_METHODS.map((method) => (
            <option key={method} value={method}>
              {label(method)}
            </option>
          ))}
        </select>
      </label>
      {refund.method !== 'cash' ? (
        <label>
          {refund.method === 'card' ? 'Card reference' : 'Card or credit number'}
          <input
            data-testid="refund-reference"
            value={refund.reference}
            onInput={(event) => onChange({ ...refund, reference: event.currentTarget.value })}
          />
        </label>
      ) : null}
      <label>
        Reason (optional)
        <input
          data-testid="return-reason"
          maxLength={200}
          value={refund.reason}
          onInput={(event) => onChange({ ...refund, reason: event.currentTarget.value })}
        />
      </label>
      <div class="totals">
        <span>Refund</span>
        <strong data-testid="refund-total">{props.total}</strong>
      </div>
    </fieldset>
  );
}

export function DispositionSelect(props: {
  value: Disposition;
  onChange: (value: Disposition) => void;
  testId: string;
  name: string;
}) {
  return (
    <select
      data-testid={props.testId}
      aria-label={`Where ${props.name} goes`}
      value={props.value}
      onChange={(event) => props.onChange(event.currentTarget.value as Disposition)}
    >
      <option value="restock">back to stock</option>
      <option value="damaged">damaged</option>
    </select>
  );
}

/** The return slip: what came back and how it was refunded. Queued on the till; it syncs like a sale. */
export function ReturnSlip(props: {
  saleReturn: ReturnTransaction;
  refunds: Tender[];
  names: ReadonlyMap<string, string>;
  onDone: () => void;
}) {
  const { saleReturn, refunds, names } = props;
  const currency = saleReturn.currency;
  return (
    <div class="overlay">
      <div class="receipt slip" data-testid="return-receipt" role="dialog" aria-label="Return slip">
        <h2>Return {saleReturn.receiptNo}</h2>
        <p class="muted small">
          {new Date(saleReturn.occurredAt).toLocaleString()}
          {saleReturn.originalSaleId ? ' · against a receipt' : ' · without a receipt'}
        </p>
        <table>
          <tbody>
            {saleReturn.lines.map((line, index) => (
              <tr key={index}>
                <td>
                  {line.quantity} × {names.get(line.sku) ?? line.sku}
                  <div class="small muted">
                    {line.disposition === 'damaged' ? 'damaged' : 'back to stock'}
                  </div>
                </td>
              </tr>
            ))}
            <RoundingRow amount={saleReturn.cashRounding} currency={currency} testId="return-rounding" />
            {refunds.map((refund, index) => (
              <tr key={`r${index}`} class="total">
                <td>
                  Refunded {label(refund.method)}
                  {refund.reference ? ` ${refund.reference}` : ''}
                </td>
                <td class="num" data-testid="return-refund">
                  {money(refund.amount, currency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="small muted">Saved on this till; it is sent to the store system as soon as it can be.</p>
        <button data-testid="return-done" class="primary" onClick={props.onDone} autoFocus>
          Done
        </button>
      </div>
    </div>
  );
}
