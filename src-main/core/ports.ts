import type { KeySlot } from './vault';

/**
 * The small interfaces behind which Electron lives.
 *
 * The core only ever sees these. `src-main/electron/` implements them with Electron; the CLI
 * implements them with plain Node; tests use the fakes in `test/helpers/`.
 */

/**
 * Opens a URL in the user's system browser. Only http(s) URLs that a flow built, or a device
 * verification page the server named (checked https or loopback), are passed.
 *
 * `purpose` is `device` for a device verification page: the caller has already shown the code,
 * so a terminal need not print the URL again.
 */
export interface BrowserOpener {
  open(url: string, purpose?: 'sign-in' | 'device'): Promise<void>;
}

/** What a clipboard write asks of the OS beyond the text itself. */
export interface ClipboardWriteOptions {
  /**
   * A secret: ask the OS and clipboard managers to keep it out of clipboard history and cloud
   * sync, where the OS has a way to say so. The text is written either way.
   */
  conceal?: boolean;
}

/** The system clipboard. Reading back lets the core clear only what it put there. */
export interface Clipboard {
  writeText(text: string, options?: ClipboardWriteOptions): void | Promise<void>;
  readText(): string | Promise<string>;
  clear(): void | Promise<void>;
}

/** Tells the core when the machine wakes, so timers can be re-checked. */
export interface PowerEvents {
  onResume(listener: () => void): () => void;
}

/** A clock the lifecycle and flows read, so tests can move time. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** What the desktop adapter says about the OS keychain (safeStorage). */
export interface KeychainStatus {
  available: boolean;
  /** False on Linux `basic_text` (a hard-coded password) or when unavailable. */
  secure: boolean;
  backend: string | null;
  warning?: string;
}

/** The OS keychain, as the Electron adapter provides it. */
export interface KeychainPort {
  status(): KeychainStatus;
  /** A slot over the keychain; `allowInsecure` is the user's explicit opt-in on basic_text. */
  slot(options: { allowInsecure: boolean }): KeySlot;
}
