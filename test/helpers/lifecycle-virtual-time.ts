import type { TimerApi } from '../../src-main/core/lifecycle';
import type { Clock } from '../../src-main/core/ports';

/**
 * A clock and timers that move only when the test says, for tests that also do real I/O.
 *
 * vitest's fake timers would also fake the timers Node's HTTP stack uses; this fakes only the
 * ones handed to the token manager.
 */
export class VirtualTime implements Clock, TimerApi {
  private current: number;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.current + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get timerCount(): number {
    return this.pending.size;
  }

  /** Moves the clock to `target`, firing every timer due by then in time order. */
  advanceTo(target: number): void {
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const item of this.pending) {
        if (item[1].at <= target && (!next || item[1].at < next[1].at)) next = item;
      }
      if (!next) break;
      this.pending.delete(next[0]);
      this.current = Math.max(this.current, next[1].at);
      next[1].fn();
    }
    this.current = Math.max(this.current, target);
  }
}

/** Waits (in real time, without asserting on it) until `done()` holds. */
export async function until(done: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
