/**
 * Sleeps until woken or the timeout passes, whichever is first. A wake with nobody waiting is remembered, so
 * a commit that lands while the relay or a worker is busy is not missed.
 */
export class Wakeup {
  private waiting: (() => void) | null = null;
  private pending = false;

  wake(): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve();
    } else {
      this.pending = true;
    }
  }

  /** Resolves true when woken, false when the timeout passed. */
  async wait(timeoutMs: number): Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve(false);
      }, timeoutMs);
      this.waiting = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}
