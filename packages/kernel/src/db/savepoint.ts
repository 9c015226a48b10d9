/**
 * `Tx.savepoint` for both adapters. Savepoints of one transaction run one at a time, and a second one asked
 * for while one is open is refused: on a single connection, savepoints whose statements interleave nest
 * inside each other, so rolling one back would silently undo the work of another that then reports success
 * (and releasing one releases the others). A batch applies its items one after another, each in its own.
 */
export function savepointRunner(exec: (sql: string) => Promise<void>) {
  let open = false;
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (open) throw new Error('a savepoint of this transaction is already open: run them one after another');
    open = true;
    // One name serves them all since they never overlap; fixed statements are prepared once (SQLite).
    try {
      await exec('SAVEPOINT tx_item');
      let value: T;
      try {
        value = await fn();
      } catch (error) {
        await exec('ROLLBACK TO SAVEPOINT tx_item');
        await exec('RELEASE SAVEPOINT tx_item');
        throw error;
      }
      await exec('RELEASE SAVEPOINT tx_item');
      return value;
    } finally {
      open = false;
    }
  };
}
