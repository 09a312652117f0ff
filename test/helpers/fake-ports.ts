import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserOpener, Clipboard, ClipboardWriteOptions } from '../../src-main/core/ports';

/**
 * In-memory stand-ins for the ports that have no loopback equivalent, and a disk check.
 */

/** A clipboard in memory; it satisfies the {@link Clipboard} port synchronously. */
export interface MemoryClipboard extends Clipboard {
  text: string | null;
  /** Whether the text was written as a secret, to be kept out of clipboard history. */
  concealed: boolean;
  writeText(text: string, options?: ClipboardWriteOptions): void;
  readText(): string;
  clear(): void;
}

export function createMemoryClipboard(): MemoryClipboard {
  const clipboard = {
    text: null as string | null,
    concealed: false,
    writeText(text: string, options?: ClipboardWriteOptions) {
      clipboard.text = text;
      clipboard.concealed = options?.conceal === true;
    },
    readText: () => clipboard.text ?? '',
    clear() {
      clipboard.text = null;
      clipboard.concealed = false;
    },
  };
  return clipboard;
}

/** A browser that records the URLs it is asked to open and hands them to `onOpen`. */
export function createRecordingBrowser(
  onOpen: (url: string) => void | Promise<void> = () => {},
): BrowserOpener & { urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    async open(url: string) {
      urls.push(url);
      await onOpen(url);
    },
  };
}

/** Every file below a folder, recursively. */
export function filesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesBelow(path));
    else out.push(path);
  }
  return out;
}

/**
 * Returns the files below `dir` whose bytes contain any of the secrets (SECURITY 12, 22).
 *
 * Empty or short values are ignored so that a test cannot pass by checking nothing useful.
 */
export function filesContainingSecrets(dir: string, secrets: Array<string | undefined>): string[] {
  const needles = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 8);
  if (needles.length === 0) throw new Error('no secrets to look for');
  return filesBelow(dir).filter((file) => {
    const bytes = readFileSync(file);
    return needles.some((needle) => bytes.includes(Buffer.from(needle)));
  });
}
