/**
 * Calls `read` again and again while `change` runs, and once more after it: every answer seen. On PostgreSQL each
 * plain statement reads at its own instant, so an answer assembled from several would, now and then, show a
 * document's row from before the change beside its lines from after.
 */
export async function readsDuring(read: () => Promise<any>, change: () => Promise<unknown>) {
  let changed = false;
  const seen: any[] = [];
  const reading = (async () => {
    while (!changed) {
      seen.push(await read());
      // A read on SQLite may finish without leaving the microtask queue: let the change's I/O run too.
      await new Promise((next) => setImmediate(next));
    }
  })();
  try {
    await change();
  } finally {
    changed = true;
    await reading;
  }
  seen.push(await read());
  return seen;
}
