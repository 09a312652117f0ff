import { powerMonitor } from 'electron';
import type { PowerEvents } from '../core';

/**
 * Tells the core when the machine wakes, so the lifecycle re-checks every timer.
 *
 * Both `resume` (from sleep) and `unlock-screen` count: timers may have drifted during either.
 * Call after `app.whenReady()`, as powerMonitor requires.
 */
export function createPowerEvents(): PowerEvents {
  return {
    onResume(listener: () => void): () => void {
      powerMonitor.on('resume', listener);
      powerMonitor.on('unlock-screen', listener);
      return () => {
        powerMonitor.off('resume', listener);
        powerMonitor.off('unlock-screen', listener);
      };
    },
  };
}
