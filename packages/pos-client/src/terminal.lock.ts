/** A named lock held across tabs or processes (e.g. `navigator.locks.request`). */
export type CrossTabLock = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** Serializes async work in this process: one holder at a time, in call order, whether or not one fails. */
export function mutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * A lock of one terminal: in this process always, and across the tabs or processes that share the terminal's
 * storage when `crossTab` is given. Without it, a second tab would keep its own copy of the counters.
 */
export function terminalLock(name: string, crossTab?: CrossTabLock) {
  const local = mutex();
  return <T>(fn: () => Promise<T>): Promise<T> => (crossTab ? crossTab(name, () => local(fn)) : local(fn));
}
