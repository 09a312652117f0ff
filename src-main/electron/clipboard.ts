import { clipboard } from 'electron';
import type { Clipboard } from '../core';

/** The system clipboard, through Electron's main-process clipboard module. */
export function createClipboard(): Clipboard {
  return {
    writeText: (text) => clipboard.writeText(text),
    readText: () => clipboard.readText(),
    clear: () => clipboard.clear(),
  };
}
