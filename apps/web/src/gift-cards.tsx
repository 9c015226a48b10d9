import { useState } from 'preact/hooks';
import type { Terminal, TerminalStatus } from '@tillstream/pos-client/browser';
import {
  checkGiftCardSale,
  EMPTY_FORM,
  giftCardFailure,
  soldSummary,
  type GiftCardFailure,
  type GiftCardForm,
  type GiftCardSaleInput,
  type GiftCardSold,
} from './gift-cards.logic.js';
import { GiftCardFields, GiftCardSlip } from './gift-cards.parts.js';
import { money } from './money.js';

/**
 * Sells a gift card or tops one up, paid in cash or by card, numbered on the shift's receipts. Online only: a
 * card loaded offline could be spent at two tills before the server knew it existed.
 */
export function GiftCards(props: { terminal: Terminal; status: TerminalStatus; online: boolean }) {
  const { terminal, online } = props;
  const currency = terminal.currency;
  const [form, setForm] = useState<GiftCardForm>(EMPTY_FORM);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<GiftCardFailure | null>(null);
  const [sold, setSold] = useState<GiftCardSold | null>(null);
  const [balance, setBalance] = useState<number | null>(null);

  // The status re-renders the screen when the store's cash rounding changes.
  const roundsCash = props.status.cashRoundingIncrement !== null;
  const checked = checkGiftCardSale(form, (due) => (roundsCash ? terminal.cashDue(due) : due), new Date());
  const pending = failure?.retry ?? null;

  const send = async (sale: GiftCardSaleInput) => {
    setBusy(true);
    try {
      const done = await terminal.sellGiftCard(sale);
      setFailure(null);
      setSold(soldSummary(done));
      setBalance(null);
      // The SDK answers no balance: ask for it, and show the slip without it if the server does not answer.
      terminal.balance(done.issue.number).then(
        (card) => setBalance(card.balance),
        () => {},
      );
    } catch (caught) {
      setFailure(giftCardFailure(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page">
      <section class="panel">
        <h1>Gift card</h1>
        <p class="hint">Sell a new card or top one up. The card is loaded on the server as it is paid.</p>
        <GiftCardFields
          form={form}
          onChange={(next) => {
            setForm(next);
            if (!pending) setFailure(null);
          }}
          disabled={busy || pending !== null}
          currency={currency}
          cashDue={checked.cashDue !== checked.amount ? checked.cashDue : null}
        />
        {checked.problem && (form.number || form.amount) ? (
          <p class="muted small" data-testid="gift-problem">
            {checked.problem}
          </p>
        ) : null}
        {!online ? (
          <p class="error" role="alert" data-testid="gift-offline">
            Selling a gift card needs the server, which cannot be reached now.
          </p>
        ) : null}
        {failure ? (
          <div class="error" role="alert" data-testid="gift-error">
            <span data-testid="gift-error-message">{failure.message}</span>
            {failure.code ? <span class="small muted"> ({failure.code})</span> : null}
            {pending ? (
              <p class="small">
                The card may be loaded already: try again to send the same sale (receipt {pending.receiptNo}),
                never a new one.
              </p>
            ) : null}
          </div>
        ) : null}
        {pending ? (
          <div class="row">
            <button
              data-testid="gift-retry"
              class="primary"
              disabled={busy}
              onClick={() =>
                void send({ number: pending.number, amount: pending.amount, tenders: [], retry: pending })
              }
            >
              Try again
            </button>
            <button
              class="link"
              data-testid="gift-abandon"
              disabled={busy}
              onClick={() => {
                if (confirm(`Check the balance of ${pending.number} before selling it again. Give up?`))
                  setFailure(null);
              }}
            >
              Give up
            </button>
          </div>
        ) : (
          <button
            data-testid="gift-sell"
            class="primary wide"
            disabled={busy || !online || checked.sale === null}
            onClick={() => checked.sale && void send(checked.sale)}
          >
            {form.payment === 'card' ? 'Card' : 'Cash'}{' '}
            {checked.amount ? money(checked.amount, currency) : ''} · load card
          </button>
        )}
      </section>
      {sold ? (
        <GiftCardSlip
          sold={sold}
          balance={balance}
          currency={currency}
          onDone={() => {
            setSold(null);
            setForm(EMPTY_FORM);
          }}
        />
      ) : null}
    </main>
  );
}
