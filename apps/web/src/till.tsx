import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  isOffered,
  TerminalError,
  type CartLine,
  type Receipt,
  type TenderInput,
  type Terminal,
  type TerminalStatus,
} from '@tillstream/pos-client/browser';
import { money, parseAmount } from './money.js';
import { ReceiptView } from './parts.js';

/** The selling screen: find or scan, build the cart, take the tenders, print the receipt. */
export function Till(props: { terminal: Terminal; status: TerminalStatus; onCloseShift: () => void }) {
  const { terminal } = props;
  const [query, setQuery] = useState('');
  const [cart, setCart] = useState<CartLine[]>([]);
  // The basket survives a reload (an app update, a crash): read once as the screen opens, kept at every change.
  const basketRead = useRef(false);
  useEffect(() => {
    void terminal.basket().then((kept) => {
      basketRead.current = true;
      setCart((current) => (current.length > 0 ? current : kept));
    });
  }, []);
  useEffect(() => {
    // A storage that cannot keep it fails the sale too, which says so; a basket not kept is no loss of its own.
    if (basketRead.current) terminal.keepBasket(cart).catch(() => undefined);
  }, [cart]);
  const [tenders, setTenders] = useState<TenderInput[]>([]);
  const [cash, setCash] = useState('');
  const [giftCard, setGiftCard] = useState('');
  const [giftAmount, setGiftAmount] = useState('');
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A sale in progress: the pay buttons wait for it, so a double click or a second Enter rings up one sale.
  const [busy, setBusy] = useState(false);
  const selling = useRef(false);
  const currency = terminal.currency;

  const results = useMemo(() => terminal.search(query, 24), [query, props.status.catalogSize]);
  const priced = useMemo(() => {
    try {
      return cart.length > 0 ? terminal.price(cart) : null;
    } catch (failure) {
      setError((failure as Error).message);
      return null;
    }
  }, [cart, props.status.snapshotVersion]);
  const paid = tenders.reduce((sum, tender) => sum + (tender.amount ?? 0), 0);
  const due = (priced?.total ?? 0) - paid;
  // What the customer hands over in cash: rounded where the store rounds cash (status re-renders on a change).
  const cashDue = props.status.cashRoundingIncrement === null ? due : terminal.cashDue(due);
  // Exact coins for the unrounded amount are taken too, unrounded.
  const cashAccepted = Math.min(due, cashDue);

  const add = (sku: string) => {
    setError(null);
    setCart((lines) => {
      const existing = lines.find((line) => line.sku === sku);
      return existing
        ? lines.map((line) => (line === existing ? { ...line, quantity: line.quantity + 1 } : line))
        : [...lines, { sku, quantity: 1 }];
    });
  };
  const change = (sku: string, delta: number) => {
    const lines = cart.flatMap((line) =>
      line.sku !== sku
        ? [line]
        : line.quantity + delta > 0
          ? [{ ...line, quantity: line.quantity + delta }]
          : [],
    );
    setCart(lines);
    // An emptied cart starts the next sale afresh: parts paid towards this one are dropped with it.
    if (lines.length === 0) setTenders([]);
  };
  const complete = async (last: TenderInput) => {
    if (selling.current) return;
    selling.current = true;
    setBusy(true);
    try {
      const done = await terminal.sell({ lines: cart, tenders: [...tenders, last] });
      setReceipt(done);
      setCart([]);
      setTenders([]);
      setCash('');
      setError(null);
    } catch (failure) {
      setError(
        failure instanceof TerminalError ? failure.message : `Not saved: ${(failure as Error).message}`,
      );
    } finally {
      selling.current = false;
      setBusy(false);
    }
  };
  // Cash given: empty means exact; anything else must be an amount, never taken as exact by mistake.
  const cashGiven = cash.trim() === '' ? cashDue : parseAmount(cash);
  // A gift card part: empty means all that is due; anything else must be an amount.
  const giftPart = giftAmount.trim() === '' ? due : parseAmount(giftAmount);

  return (
    <main class="till">
      <section class="catalog">
        <input
          data-testid="search"
          class="search"
          placeholder="Scan or search a SKU or name…"
          value={query}
          autoFocus
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key !== 'Enter' || query.trim() === '') return;
            // Enter (a scanner ends each code with it) adds only the product the code names exactly.
            const hit = terminal.lookup(query);
            if (hit) add(hit.sku);
            else setError(`No product has the code ${query.trim()}`);
            setQuery('');
          }}
        />
        <div class="grid">
          {results.map((product) => (
            <button
              key={product.sku}
              data-testid={`product-${product.sku}`}
              class={isOffered(product) ? 'product' : 'product not-offered'}
              onClick={() => add(product.sku)}
            >
              <span class="name">{product.name}</span>
              {/* Found only by its scan or SKU: tell the cashier before a unit is sold off or taken back. */}
              {isOffered(product) ? null : (
                <span class="tag" data-testid={`not-offered-${product.sku}`}>
                  {product.status === 'draft' ? 'Not released' : 'Discontinued'}
                </span>
              )}
              <span class="sku">{product.sku}</span>
              <span class="price">{money(product.price.amount, product.price.currency)}</span>
            </button>
          ))}
          {results.length === 0 ? <p class="muted">No product matches.</p> : null}
        </div>
      </section>

      <section class="cart">
        <h2>Sale</h2>
        <ul class="lines">
          {priced?.lines.map((line) => (
            <li key={line.sku}>
              <div>
                <div>{line.name}</div>
                <div class="small muted">
                  {money(line.unitPrice, currency)}
                  {line.discount > 0
                    ? ` · −${money(line.discount, currency)} ${line.adjustments.join(', ')}`
                    : ''}
                </div>
              </div>
              <div class="qty">
                <button onClick={() => change(line.sku, -1)}>−</button>
                <span>{line.quantity}</span>
                <button onClick={() => change(line.sku, 1)}>+</button>
              </div>
              <div class="num">{money(line.lineTotal, currency)}</div>
            </li>
          ))}
          {cart.length === 0 ? <li class="muted">Scan a product to start.</li> : null}
        </ul>
        <div class="totals">
          <span>Total</span>
          <strong data-testid="total">{money(priced?.total ?? 0, currency)}</strong>
        </div>
        {tenders.map((tender, index) => (
          <div class="small tender" key={index}>
            {tender.method.replace('_', ' ')} {tender.reference}{' '}
            <span class="num">{money(tender.amount ?? 0, currency)}</span>{' '}
            {/* A part paid ahead (a gift card) is only noted until the sale: a wrong one can be taken off. */}
            <button
              class="link"
              data-testid={`remove-tender-${index}`}
              disabled={busy}
              onClick={() => setTenders(tenders.filter((_, other) => other !== index))}
            >
              Remove
            </button>
          </div>
        ))}
        {priced && paid > 0 ? <div class="totals small">Due {money(due, currency)}</div> : null}
        {priced && cashDue !== due ? (
          <div class="totals small">
            <span>In cash, rounded</span>
            <span data-testid="cash-due">{money(cashDue, currency)}</span>
          </div>
        ) : null}
        {error ? (
          <p class="error" data-testid="till-error">
            {error}
          </p>
        ) : null}
        <div class="pay">
          <button
            data-testid="pay-card"
            class="primary"
            disabled={!priced || busy}
            onClick={() => complete({ method: 'card' })}
          >
            Card {priced ? money(due, currency) : ''}
          </button>
          <div class="row">
            <input
              data-testid="cash-tendered"
              inputMode="decimal"
              placeholder="Cash given"
              value={cash}
              onInput={(e) => setCash(e.currentTarget.value)}
            />
            <button
              data-testid="pay-cash"
              disabled={!priced || busy || cashGiven === null || cashGiven < cashAccepted}
              onClick={() => cashGiven !== null && complete({ method: 'cash', tendered: cashGiven })}
            >
              Cash {priced && cashDue !== due ? money(cashDue, currency) : ''}
            </button>
          </div>
          {cashGiven === null ? (
            <p class="error small" data-testid="cash-invalid">
              Type the cash given as an amount, e.g. 50 or 50.00
            </p>
          ) : null}
          <div class="row">
            <input
              data-testid="gift-card-number"
              placeholder="Gift card no."
              value={giftCard}
              onInput={(e) => setGiftCard(e.currentTarget.value)}
            />
            <input
              data-testid="gift-card-amount"
              class="short"
              inputMode="decimal"
              placeholder="Amount"
              value={giftAmount}
              onInput={(e) => setGiftAmount(e.currentTarget.value)}
            />
            <button
              data-testid="pay-gift-card"
              disabled={!priced || busy || !giftCard || due <= 0 || giftPart === null}
              onClick={() => {
                if (giftPart === null) return;
                const amount = Math.min(due, giftPart);
                const tender = { method: 'gift_card', amount, reference: giftCard };
                setGiftCard('');
                setGiftAmount('');
                if (amount === due) void complete(tender);
                else setTenders([...tenders, tender]);
              }}
            >
              Gift card
            </button>
          </div>
        </div>
        <button class="link" data-testid="close-shift" onClick={props.onCloseShift}>
          Close shift…
        </button>
      </section>
      {receipt ? <ReceiptView receipt={receipt} onDone={() => setReceipt(null)} /> : null}
    </main>
  );
}
