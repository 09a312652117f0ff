import { watch } from 'node:fs';
import type { Logger } from '../log';
import { VAULT_FILE } from './vault-document';

/** How long the vault file must stay quiet before a change is reported. */
const QUIET_MS = 250;

/**
 * Follows changes that another process (the CLI) makes to the vault file while the app runs.
 *
 * Calls `onChange` once a burst of writes has gone quiet. A folder that cannot be watched is
 * logged, and changes from elsewhere then show after a restart. Returns the function that stops
 * watching.
 */
export function watchDataFolder(dir: string, onChange: () => void, logger: Logger): () => void {
  let timer: NodeJS.Timeout | null = null;
  const stopTimer = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  try {
    const watcher = watch(dir, (_event, filename) => {
      if (filename !== VAULT_FILE) return;
      stopTimer();
      timer = setTimeout(onChange, QUIET_MS);
      timer.unref();
    });
    watcher.on('error', (error) => logger.warn('vault watch stopped', { error }));
    return () => {
      watcher.close();
      stopTimer();
    };
  } catch (error) {
    logger.warn('cannot watch the data folder; changes from the CLI show after restart', {
      error,
    });
    return stopTimer;
  }
}
