import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CollectionView } from './api.js';
import { canHandOver, canPrepare, canPutBack, STATUS_LABELS } from './collections.logic.js';

const timeOf = (at: string) => new Date(at).toLocaleString();

/** A list of collections: who collects, which order, the goods, where it stands, and what the till can do. */
export function CollectionTable(props: {
  testId: string;
  caption: string;
  collections: CollectionView[];
  /** Said instead of an empty table. */
  empty: string;
  /** The collection an act is under way for: its buttons wait. */
  busy: string | null;
  /** No acts: the till is offline. */
  disabled?: boolean;
  onPrepare?: (collection: CollectionView) => void;
  onHandOver?: (collection: CollectionView) => void;
  onPutBack?: (collection: CollectionView) => void;
}) {
  const acts = Boolean(props.onPrepare || props.onHandOver || props.onPutBack);
  if (props.collections.length === 0)
    return (
      <p class="muted" data-testid={`${props.testId}-empty`}>
        {props.empty}
      </p>
    );
  return (
    <table class="grid-table collections" data-testid={props.testId}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Collector</th>
          <th scope="col">Order</th>
          <th scope="col">Goods</th>
          <th scope="col">Status</th>
          {acts ? (
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {props.collections.map((collection) => {
          const { fulfilmentId, orderId, collector } = collection;
          const busy = props.busy === fulfilmentId;
          return (
            <tr key={fulfilmentId} data-testid={`collection-${fulfilmentId}`} data-status={collection.status}>
              <th scope="row" tabIndex={-1}>
                <strong data-testid="collection-name">{collector.name || 'No name given'}</strong>
                {collector.phone ? <div class="small muted">{collector.phone}</div> : null}
              </th>
              <td>
                <span data-testid="collection-order">{orderId}</span>
                {collection.prepared ? (
                  <div class="small muted">
                    Put aside {timeOf(collection.prepared.at)} at till {collection.prepared.terminalId}
                  </div>
                ) : collection.readyAt ? (
                  // Made ready in ERP by the back office: its goods were put aside all the same.
                  <div class="small muted">Made ready {timeOf(collection.readyAt)}</div>
                ) : null}
                {collection.cancelledAt ? (
                  <div class="small muted">Cancelled {timeOf(collection.cancelledAt)}</div>
                ) : null}
              </td>
              <td>
                <Goods collection={collection} />
              </td>
              <td>
                <span class={`state state-${collection.status}`} data-testid="collection-status">
                  {STATUS_LABELS[collection.status]}
                </span>
              </td>
              {acts ? (
                <td class="actions">
                  {props.onPrepare && canPrepare(collection) ? (
                    <button
                      data-testid="collection-prepare"
                      aria-label={`Put aside order ${orderId} for ${collector.name}`}
                      disabled={busy || props.disabled}
                      onClick={() => props.onPrepare!(collection)}
                    >
                      Put aside
                    </button>
                  ) : null}
                  {props.onHandOver && canHandOver(collection) ? (
                    <button
                      class="primary"
                      data-testid="collection-hand-over"
                      aria-label={`Hand over order ${orderId} to ${collector.name}`}
                      disabled={busy || props.disabled}
                      onClick={() => props.onHandOver!(collection)}
                    >
                      Hand over
                    </button>
                  ) : null}
                  {props.onPutBack && canPutBack(collection) ? (
                    <button
                      data-testid="collection-put-back"
                      aria-label={`Put back on shelf: the goods of order ${orderId}`}
                      disabled={busy || props.disabled}
                      onClick={() => props.onPutBack!(collection)}
                    >
                      Put back on shelf
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Goods(props: { collection: CollectionView }) {
  return (
    <ul class="goods" data-testid="collection-goods">
      {props.collection.lines.map((line, index) => (
        <li key={index}>
          <strong>{line.quantity} ×</strong> {line.name ?? line.sku}
          {line.name ? <span class="small muted"> {line.sku}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * Handing over cannot be undone: the clerk first confirms the shopper is who the order names. Escape or
 * "Not yet" closes it, and the focus goes back to where it was.
 */
export function HandOverDialog(props: {
  collection: CollectionView;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { collection, onClose } = props;
  const [checked, setChecked] = useState(false);
  const check = useRef<HTMLInputElement>(null);
  // Focused by hand, as soon as it is drawn: the autofocus attribute works once per page load only.
  useLayoutEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    check.current?.focus();
    return () => before?.focus?.();
  }, []);
  return (
    <div
      class="overlay"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div
        class="receipt"
        role="dialog"
        aria-modal="true"
        aria-labelledby="hand-over-title"
        data-testid="hand-over-dialog"
      >
        <h2 id="hand-over-title">Hand over order {collection.orderId}</h2>
        <p class="collector">
          <strong>{collection.collector.name || 'No name given'}</strong>
          {collection.collector.phone ? <span class="muted"> · {collection.collector.phone}</span> : null}
        </p>
        <Goods collection={collection} />
        {collection.status === 'preparing' ? (
          <p class="hint">Not put aside yet: take the goods from the shelf.</p>
        ) : null}
        <form
          class="stack"
          onSubmit={(event) => {
            event.preventDefault();
            if (checked) props.onConfirm();
          }}
        >
          <label class="check">
            <input
              type="checkbox"
              data-testid="hand-over-checked"
              checked={checked}
              ref={check}
              onChange={(event) => setChecked(event.currentTarget.checked)}
            />
            I checked the shopper&apos;s name: {collection.collector.name || 'none given'}
          </label>
          <div class="row spread">
            <button type="button" data-testid="hand-over-cancel" onClick={onClose}>
              Not yet
            </button>
            <button type="submit" class="primary" data-testid="hand-over-confirm" disabled={!checked}>
              Hand over
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
