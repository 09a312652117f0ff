import { useSyncExternalStore } from 'react';

/**
 * One shared clock for everything that shows a live time.
 *
 * A single interval runs while at least one component listens, and stops when none does, so a
 * countdown ticks only while its row is on screen (the list is virtualised). Each listener
 * re-renders only itself: the row around it does not.
 */
function createTicker(intervalMs: number) {
  const listeners = new Set<() => void>();
  let now = Date.now();
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      if (!timer) {
        now = Date.now();
        timer = setInterval(() => {
          now = Date.now();
          for (const notify of listeners) notify();
        }, intervalMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    now: () => now,
  };
}

const second = createTicker(1000);
const halfMinute = createTicker(30_000);

/** The time now, refreshed every second while the caller is mounted. */
export function useSecondTicker(): number {
  return useSyncExternalStore(second.subscribe, second.now);
}

/** The time now, refreshed every 30 s (relative times such as "renewed 3 min ago"). */
export function useSlowTicker(): number {
  return useSyncExternalStore(halfMinute.subscribe, halfMinute.now);
}
