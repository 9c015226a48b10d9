import { useEffect, useState } from 'preact/hooks';
import { NetworkError } from '@tillstream/pos-client/browser';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'ready'; value: T }
  | { state: 'offline' }
  | { state: 'failed'; message: string };

/**
 * Reads from the server again whenever `keys` change (e.g. after a sync), keeping the last answer on screen
 * while the next one loads. No answer is `offline`; an answer that is not 2xx is `failed` with what it said.
 */
export function useServer<T>(read: () => Promise<T>, keys: readonly unknown[]): Loaded<T> {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    read().then(
      (value) => current && setLoaded({ state: 'ready', value }),
      (failure: unknown) =>
        current &&
        setLoaded(
          failure instanceof NetworkError
            ? { state: 'offline' }
            : { state: 'failed', message: failure instanceof Error ? failure.message : String(failure) },
        ),
    );
    return () => {
      current = false;
    };
  }, keys);
  return loaded;
}
