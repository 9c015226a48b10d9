import { useEffect, useRef, useState } from 'preact/hooks';
import type { CollectionView } from './api.js';
import {
  actDone,
  actFailed,
  cancelledMessage,
  canHandOver,
  deskSections,
  readFailed,
  upsert,
  type DeskAct,
} from './collections.logic.js';
import { CollectionTable, HandOverDialog } from './collections.parts.js';
import { useRowFocusKept } from './row-focus.js';
import type { Session } from './session.js';

type Read = { state: 'loading' | 'ready' | 'offline' } | { state: 'failed'; message: string };
type Message = { text: string; kind: 'ok' | 'error' };

/**
 * The collection desk (click and collect): the store's orders waiting for their shoppers, put aside when picked
 * and handed over once the clerk checked the shopper's name. Orders cancelled after their goods were put aside
 * are listed (the server's `cancelled`) until a clerk puts the goods back on the shelf. It reads the server each
 * time it opens: unlike selling, it cannot work offline.
 */
export function CollectionsScreen(props: { session: Session; online: boolean }) {
  const { session, online } = props;
  const [known, setKnown] = useState<CollectionView[]>([]);
  const [read, setRead] = useState<Read>({ state: 'loading' });
  const [loading, setLoading] = useState(false);
  const [readAt, setReadAt] = useState<Date | null>(null);
  const [query, setQuery] = useState('');
  const [message, setMessage] = useState<Message | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<CollectionView | null>(null);
  // Only the newest read is shown: a refresh pressed twice must not end on the older answer.
  const reads = useRef(0);
  const desk = useRef<HTMLElement>(null);
  const search = useRef<HTMLInputElement>(null);
  // A row handed over or put back leaves the desk: the keyboard goes on from the row after it, or the search.
  const keepRowFocus = useRowFocusKept(desk, search);

  const load = async () => {
    const current = (reads.current += 1);
    setLoading(true);
    try {
      const [open, cancelled] = await Promise.all([
        session.api.collections(session.storeId, 'open'),
        session.api.collections(session.storeId, 'cancelled'),
      ]);
      if (current !== reads.current) return;
      setKnown([...open, ...cancelled]);
      setRead({ state: 'ready' });
      setReadAt(new Date());
    } catch (failure) {
      if (current === reads.current) setRead(readFailed(failure));
    } finally {
      if (current === reads.current) setLoading(false);
    }
  };
  // On opening the screen, and again when the till is back online.
  useEffect(() => {
    if (online) void load();
  }, [online]);

  const send: Record<DeskAct, (fulfilmentId: string) => Promise<CollectionView>> = {
    prepare: session.api.prepareCollection,
    'hand-over': session.api.handOverCollection,
    'put-back': session.api.putBackCollection,
  };

  const act = async (kind: DeskAct, collection: CollectionView) => {
    setBusy(collection.fulfilmentId);
    try {
      const done = await send[kind](collection.fulfilmentId);
      setKnown((list) => upsert(list, done));
      setMessage({ text: actDone(kind, done), kind: 'ok' });
    } catch (failure) {
      const failed = actFailed(collection, failure);
      if (failed.status) setKnown((list) => upsert(list, { ...collection, status: failed.status! }));
      if (failed.offline) setRead({ state: 'offline' });
      let text = failed.message;
      // Cancelled or restocked, the refusal does not say: the collection as it is now moves the row to the
      // put-back list or off the desk, and tells the clerk whether goods are to put back.
      const now = failed.recheck
        ? await session.api.collection(collection.fulfilmentId).catch(() => null)
        : null;
      if (now) {
        setKnown((list) => upsert(list, now));
        text = cancelledMessage(now);
      }
      setMessage({ text, kind: 'error' });
    } finally {
      setBusy(null);
    }
    // The whole desk again: other tills and ERP may have moved other orders meanwhile.
    void load();
  };

  const offline = !online || read.state === 'offline';
  const { open, toPutBack } = deskSections(known, query);
  const waiting = known.filter(canHandOver);
  return (
    <main class="page">
      <section
        class="panel wide-panel"
        aria-labelledby="collections-title"
        ref={desk}
        onFocusIn={keepRowFocus}
      >
        <div class="row spread">
          <h1 id="collections-title">Collections</h1>
          <button
            data-testid="collections-refresh"
            disabled={loading}
            aria-busy={loading}
            onClick={() => void load()}
          >
            {loading ? 'Loading…' : 'Refresh'}
          </button>
        </div>
        <p class="hint">
          Online orders to collect at store {session.storeId}. Put an order aside once its goods are picked;
          hand it over when the shopper comes, after checking their name.
        </p>
        {offline ? (
          <p class="notice" role="status" data-testid="collections-offline">
            Collections need the server, and this till cannot reach it: selling still works offline.
            {readAt ? ` The list below is as it was at ${readAt.toLocaleTimeString()}.` : ''}
          </p>
        ) : read.state === 'failed' ? (
          <p class="error" role="alert" data-testid="collections-failed">
            The list could not be read: {read.message}
          </p>
        ) : null}
        <div role="status" aria-live="polite" data-testid="collections-message">
          {message ? <p class={message.kind === 'error' ? 'error' : 'done'}>{message.text}</p> : null}
        </div>
        <label>
          Find by name or order
          <input
            type="search"
            ref={search}
            data-testid="collections-search"
            value={query}
            placeholder="Collector's name or order id…"
            onInput={(event) => setQuery(event.currentTarget.value)}
          />
        </label>
        {readAt === null ? (
          read.state === 'loading' && !offline ? (
            <p class="muted">Loading…</p>
          ) : null
        ) : (
          <CollectionTable
            testId="collections-open"
            caption={`To hand over (${open.length}${open.length === waiting.length ? '' : ` of ${waiting.length}`})`}
            collections={open}
            empty={
              waiting.length === 0
                ? 'No collections are waiting at this store.'
                : `No collection matches "${query}".`
            }
            busy={busy}
            disabled={offline}
            onPrepare={(collection) => void act('prepare', collection)}
            onHandOver={setConfirming}
          />
        )}
        {toPutBack.length > 0 ? (
          <CollectionTable
            testId="collections-cancelled"
            caption={`Cancelled: put the goods back on the shelf (${toPutBack.length})`}
            collections={toPutBack}
            empty=""
            busy={busy}
            disabled={offline}
            onPutBack={(collection) => void act('put-back', collection)}
          />
        ) : null}
      </section>
      {confirming ? (
        <HandOverDialog
          collection={confirming}
          onClose={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void act('hand-over', confirming);
          }}
        />
      ) : null}
    </main>
  );
}
