/**
 * An in-process mutex per key, with an optional wait limit.
 *
 * The vault queues every write of one file, and every holder of one named lock, through this
 * before it touches the cross-process lock file, so callers in one process never contend with
 * each other at the file level, and two Vault objects for one folder share the same queue.
 */
export type Release = () => void;

interface Waiter {
  grant(): void;
}

export class KeyedMutex {
  private readonly queues = new Map<string, Waiter[]>();

  /**
   * Waits for `key`, first come first served.
   *
   * With `timeoutMs`, rejects with `onTimeout()` if the key is not granted in time; the waiter is
   * then removed from the queue and never granted.
   */
  acquire(key: string, timeoutMs?: number, onTimeout?: () => Error): Promise<Release> {
    const waiters = this.queues.get(key);
    if (!waiters) {
      this.queues.set(key, []);
      return Promise.resolve(this.releaser(key));
    }
    return new Promise<Release>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = {
        grant: () => {
          if (timer) clearTimeout(timer);
          resolve(this.releaser(key));
        },
      };
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
        timer = setTimeout(
          () => {
            const index = waiters.indexOf(waiter);
            if (index >= 0) waiters.splice(index, 1);
            reject(onTimeout ? onTimeout() : new Error(`Timed out waiting for ${key}`));
          },
          Math.max(0, timeoutMs),
        );
      }
      waiters.push(waiter);
    });
  }

  private releaser(key: string): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const waiters = this.queues.get(key);
      const next = waiters?.shift();
      if (next) next.grant();
      else this.queues.delete(key);
    };
  }
}

const TABLE_KEY = Symbol.for('tokendeck.vault.processLocks');

/** The one mutex table of this thread, shared even by two copies of this module. */
export const processLocks: KeyedMutex = ((globalThis as Record<symbol, unknown>)[TABLE_KEY] ??=
  new KeyedMutex()) as KeyedMutex;
