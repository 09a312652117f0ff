/**
 * A counting semaphore per key.
 *
 * The lifecycle keys it by provider id, so at most `limit` renewals talk to one provider at once,
 * while other providers are not held up. Waiters are served first in, first out.
 */
export class KeyedSemaphore {
  private readonly limit: number;
  private readonly slots = new Map<string, { active: number; waiting: Array<() => void> }>();

  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  /** Waits for a slot under `key`; the returned function gives it back (calling it twice is harmless). */
  async acquire(key: string): Promise<() => void> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    if (slot.active >= this.limit) {
      const queue = slot.waiting;
      await new Promise<void>((resolve) => queue.push(resolve));
    } else {
      slot.active += 1;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(key);
    };
  }

  private release(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    const next = slot.waiting.shift();
    if (next) {
      next();
      return;
    }
    slot.active -= 1;
    if (slot.active === 0) this.slots.delete(key);
  }
}
