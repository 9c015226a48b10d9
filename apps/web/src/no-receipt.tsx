import { useEffect, useState } from 'preact/hooks';
import {
  TerminalError,
  type CatalogProduct,
  type ReturnTransaction,
  type Tender,
  type Terminal,
} from '@tillstream/pos-client/browser';
import type { NoReceiptPolicy, ServerApi } from './api.js';
import { money } from './money.js';
import { checkNoReceiptReturn, noReceiptPolicyProblem, type ReturnPick } from './returns.logic.js';
import { DispositionSelect, label, RefundFields, type Refund } from './returns.parts.js';
import { useServer } from './use-server.js';

interface Picked {
  product: CatalogProduct;
  pick: ReturnPick;
}

const POLICY_KEY = 'tillstream.return-policy';

/** The server's no-receipt policy, remembered so an offline till checks it too; null if never read. */
function useNoReceiptPolicy(api: ServerApi): NoReceiptPolicy | null {
  const loaded = useServer(() => api.returnPolicy(), []);
  useEffect(() => {
    if (loaded.state === 'ready') localStorage.setItem(POLICY_KEY, JSON.stringify(loaded.value));
  }, [loaded]);
  if (loaded.state === 'ready') return loaded.value;
  const saved = localStorage.getItem(POLICY_KEY);
  return saved ? (JSON.parse(saved) as NoReceiptPolicy) : null;
}

/**
 * Goods back without a receipt, at today's price. The store's policy is the server's: read from it (and
 * remembered for offline), it is checked here before a refund is handed over; the server checks it again
 * when the return syncs.
 */
export function NoReceiptReturn(props: {
  terminal: Terminal;
  api: ServerApi;
  onDone: (result: { saleReturn: ReturnTransaction; refunds: Tender[] }, then: () => void) => void;
}) {
  const { terminal } = props;
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<Picked[]>([]);
  const [refund, setRefund] = useState<Refund>({ method: 'store_credit', reference: '', reason: '' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const results = query.trim() ? terminal.search(query, 8) : [];
  const checked = checkNoReceiptReturn(
    picked.map(({ product, pick }) => ({ sku: product.sku, unitPrice: product.price.amount, pick })),
  );
  const currency = terminal.currency;
  const policy = useNoReceiptPolicy(props.api);
  const refused =
    policy && checked.lines.length > 0
      ? noReceiptPolicyProblem(policy, checked.refund, refund.method, currency)
      : null;
  const blocked = checked.lines.length === 0 || checked.problems.size > 0 || refused !== null;
  // Cash goes back as the store's coins allow, as the SDK refunds it.
  const refundShown = refund.method === 'cash' ? terminal.cashDue(checked.refund) : checked.refund;

  const add = (product: CatalogProduct) => {
    setQuery('');
    setPicked((current) =>
      current.some((entry) => entry.product.sku === product.sku)
        ? current
        : [...current, { product, pick: { quantity: '1', disposition: 'restock' } }],
    );
  };
  const update = (sku: string, change: Partial<ReturnPick>) =>
    setPicked((current) =>
      current.map((entry) =>
        entry.product.sku === sku ? { ...entry, pick: { ...entry.pick, ...change } } : entry,
      ),
    );
  const confirm = async () => {
    if (blocked) return;
    setBusy(true);
    try {
      const result = await terminal.returnItems({
        lines: checked.lines,
        refundMethod: refund.method,
        ...(refund.method !== 'cash' && refund.reference.trim()
          ? { refundReference: refund.reference.trim() }
          : {}),
        ...(refund.reason.trim() ? { reason: refund.reason.trim() } : {}),
      });
      setPicked([]);
      setError(null);
      setRefund({ method: 'store_credit', reference: '', reason: '' });
      props.onDone(result, () => {});
    } catch (failure) {
      setError(
        failure instanceof TerminalError ? failure.message : `Not saved: ${(failure as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel">
      <p class="hint" data-testid="noreceipt-policy">
        {policy === null
          ? "Without a receipt the store's policy applies; the store system checks it when the return syncs."
          : policy.allowed
            ? `Without a receipt: up to ${money(policy.maxTotal, currency)}, refunded as ${policy.refundMethods
                .map(label)
                .join(' or ')}.`
            : 'This store takes nothing back without a receipt.'}
      </p>
      <label>
        Product coming back
        <input
          data-testid="noreceipt-search"
          value={query}
          placeholder="Scan or search a SKU or name…"
          onInput={(event) => setQuery(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            if (results[0]) add(results[0]);
          }}
        />
      </label>
      {results.length > 0 ? (
        <ul class="choices" aria-label="Matching products">
          {results.map((product) => (
            <li key={product.sku}>
              <button data-testid={`noreceipt-add-${product.sku}`} onClick={() => add(product)}>
                {product.name} <span class="muted small">{product.sku}</span>{' '}
                {money(product.price.amount, product.price.currency)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {picked.length > 0 ? (
        <table class="grid-table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" class="num">
                Price now
              </th>
              <th scope="col">Units</th>
              <th scope="col">Goes</th>
              <th scope="col">
                <span class="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {picked.map(({ product, pick }, index) => (
              <tr key={product.sku}>
                <td>
                  {product.name}
                  {checked.problems.get(index + 1) ? (
                    <div class="error small" role="alert">
                      {checked.problems.get(index + 1)}
                    </div>
                  ) : null}
                </td>
                <td class="num">{money(product.price.amount, currency)}</td>
                <td>
                  <input
                    class="units"
                    data-testid={`noreceipt-qty-${product.sku}`}
                    aria-label={`Units of ${product.name} coming back`}
                    inputMode="numeric"
                    value={pick.quantity}
                    onInput={(event) => update(product.sku, { quantity: event.currentTarget.value })}
                  />
                </td>
                <td>
                  <DispositionSelect
                    testId={`noreceipt-disposition-${product.sku}`}
                    name={product.name}
                    value={pick.disposition}
                    onChange={(disposition) => update(product.sku, { disposition })}
                  />
                </td>
                <td>
                  <button
                    aria-label={`Remove ${product.name}`}
                    onClick={() => setPicked(picked.filter((entry) => entry.product.sku !== product.sku))}
                  >
                    ×
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <RefundFields refund={refund} onChange={setRefund} total={money(refundShown, currency)} />
      {refused ? (
        <p class="error" role="alert" data-testid="noreceipt-refused">
          {refused}
        </p>
      ) : null}
      {error ? (
        <p class="error" role="alert" data-testid="return-error">
          {error}
        </p>
      ) : null}
      <button
        data-testid="noreceipt-confirm"
        class="primary wide"
        disabled={busy || blocked}
        onClick={() => void confirm()}
      >
        Take back and refund {money(refundShown, currency)}
      </button>
    </section>
  );
}
