/**
 * A FIFO async lock. The SQLite adapter has one connection; a transaction that awaits between its
 * statements must not let another caller's statements run inside it, so both take this lock.
 */
export class Mutex {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  /** Takes the lock at once when it is free (no microtask hop on the hot path). */
  tryLock(): boolean {
    if (this.#locked) return false;
    this.#locked = true;
    return true;
  }

  /** Resolves once the caller holds the lock; waiters are served in arrival order. */
  lock(): Promise<void> {
    if (this.tryLock()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Hands the lock to the next waiter, or frees it. */
  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}
