import type { Clipboard, ClipboardWriteOptions } from './ports';

/**
 * Puts secrets on the clipboard and takes them off again: after a delay, and on quit.
 *
 * The clipboard is cleared only while it still holds exactly what Tokendeck put there, so text
 * the user copied since is never lost. One copy at a time: a newer copy replaces the older one's
 * timer. Clipboard failures on clearing are reported to `onError`, never thrown at a timer or
 * at quit, so closing the service goes on.
 */
export interface ClipboardGuard {
  /**
   * Writes `text`; clears it after `clearAfterMs` unless that is null (never). A token is
   * written with `conceal`, to keep it out of clipboard history where the OS allows.
   */
  write(text: string, clearAfterMs: number | null, options?: ClipboardWriteOptions): Promise<void>;
  /** Clears the clipboard if it still holds the last text written; true when it did. */
  clearIfOwned(): Promise<boolean>;
  /** Cancels the timer and clears what is still ours (on quit); a failure goes to `onError`. */
  dispose(): Promise<void>;
}

export interface GuardTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const nodeTimers: GuardTimers = {
  setTimeout: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref?.();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ClipboardGuardOptions {
  timers?: GuardTimers;
  onError?: (error: unknown) => void;
}

export function createClipboardGuard(
  clipboard: Clipboard,
  options: ClipboardGuardOptions = {},
): ClipboardGuard {
  const timers = options.timers ?? nodeTimers;
  let owned: string | null = null;
  let timer: unknown = null;

  const cancelTimer = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };

  const clearIfOwned = async (): Promise<boolean> => {
    cancelTimer();
    const mine = owned;
    owned = null;
    if (mine === null || (await clipboard.readText()) !== mine) return false;
    await clipboard.clear();
    return true;
  };

  return {
    async write(text, clearAfterMs, writeOptions) {
      cancelTimer();
      owned = null;
      await clipboard.writeText(text, { conceal: writeOptions?.conceal === true });
      owned = text;
      if (clearAfterMs === null) return;
      timer = timers.setTimeout(() => {
        clearIfOwned().catch((error: unknown) => options.onError?.(error));
      }, clearAfterMs);
    },
    clearIfOwned,
    dispose: async () => {
      await clearIfOwned().catch((error: unknown) => options.onError?.(error));
    },
  };
}
