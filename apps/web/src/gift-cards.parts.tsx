import type { GiftCardForm, GiftCardPayment, GiftCardSold } from './gift-cards.logic.js';
import { money } from './money.js';
import { RoundingRow } from './parts.js';

const PAYMENTS: Array<{ payment: GiftCardPayment; label: string }> = [
  { payment: 'cash', label: 'Cash' },
  { payment: 'card', label: 'Card' },
];

/** The card, the amount to load, an optional expiry, and how the customer pays. */
export function GiftCardFields(props: {
  form: GiftCardForm;
  onChange: (form: GiftCardForm) => void;
  disabled: boolean;
  currency: string;
  /** What cash pays when the store rounds it and it differs from the amount; null otherwise. */
  cashDue: number | null;
}) {
  const { form, onChange, disabled } = props;
  const set = (patch: Partial<GiftCardForm>) => onChange({ ...form, ...patch });
  return (
    <>
      <label>
        Card number
        <input
          data-testid="gift-number"
          autoFocus
          autoComplete="off"
          placeholder="Scan or type the card number"
          value={form.number}
          disabled={disabled}
          onInput={(event) => set({ number: event.currentTarget.value })}
        />
      </label>
      <div class="row">
        <label class="grow">
          Amount to load ({props.currency})
          <input
            data-testid="gift-amount"
            inputMode="decimal"
            placeholder="25.00"
            value={form.amount}
            disabled={disabled}
            onInput={(event) => set({ amount: event.currentTarget.value })}
          />
        </label>
        <label class="grow">
          Valid until (optional)
          <input
            data-testid="gift-expires"
            type="date"
            value={form.expiresOn}
            disabled={disabled}
            onInput={(event) => set({ expiresOn: event.currentTarget.value })}
          />
        </label>
      </div>
      <fieldset class="refund">
        <legend>Paid by (not a gift card)</legend>
        <div class="tabs" role="group" aria-label="Paid by">
          {PAYMENTS.map(({ payment, label }) => (
            <button
              key={payment}
              aria-pressed={form.payment === payment}
              data-testid={`gift-pay-${payment}`}
              disabled={disabled}
              onClick={() => set({ payment })}
            >
              {label}
            </button>
          ))}
        </div>
        {form.payment === 'cash' ? (
          <label>
            Cash given (empty: exact)
            <input
              data-testid="gift-cash-given"
              inputMode="decimal"
              value={form.cashGiven}
              disabled={disabled}
              onInput={(event) => set({ cashGiven: event.currentTarget.value })}
            />
          </label>
        ) : null}
        {form.payment === 'cash' && props.cashDue !== null ? (
          <div class="totals small">
            <span>In cash, rounded</span>
            <span data-testid="gift-cash-due">{money(props.cashDue, props.currency)}</span>
          </div>
        ) : null}
      </fieldset>
    </>
  );
}

/** The slip once the server recorded the card: what was loaded, how it was paid, the change to hand back. */
export function GiftCardSlip(props: {
  sold: GiftCardSold;
  balance: number | null;
  currency: string;
  onDone: () => void;
}) {
  const { sold, currency } = props;
  return (
    <div class="overlay">
      <div class="receipt" data-testid="gift-slip">
        <h2>
          Receipt <span data-testid="gift-receipt-no">{sold.receiptNo}</span>
        </h2>
        <table>
          <tbody>
            <tr>
              <td>
                Gift card <span data-testid="gift-slip-number">{sold.number}</span>
              </td>
              <td class="num" data-testid="gift-loaded">
                {money(sold.amount, currency)}
              </td>
            </tr>
            <RoundingRow amount={sold.cashRounding} currency={currency} testId="gift-rounding" />
            <tr class="small">
              <td>{sold.cashPaid === null ? 'Card' : 'Cash'}</td>
              <td class="num">{money(sold.cashPaid ?? sold.amount, currency)}</td>
            </tr>
            {sold.change > 0 ? (
              <tr class="change">
                <td>Change</td>
                <td class="num" data-testid="gift-change">
                  {money(sold.change, currency)}
                </td>
              </tr>
            ) : null}
            {props.balance !== null ? (
              <tr class="total">
                <td>Card balance now</td>
                <td class="num" data-testid="gift-balance">
                  {money(props.balance, currency)}
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
        <p class="small muted">Loaded on the server: the card can be spent at any till now.</p>
        <button data-testid="gift-done" class="primary" onClick={props.onDone} autoFocus>
          Done
        </button>
      </div>
    </div>
  );
}
