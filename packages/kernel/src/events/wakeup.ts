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

  async wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve();
      }, timeoutMs);
      this.waiting = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
