import { clipboard, ClipboardItem } from 'electron';
import type { Clipboard, Logger } from '../core';

/**
 * The system clipboard, through Electron's main-process clipboard module.
 *
 * A concealed write (a token) puts the text and, in the same atomic `clipboard.write`, the
 * markers that ask the OS and clipboard managers to keep it out of history and sync. They are
 * requests, not guarantees: a manager may ignore them, which is why the clipboard guard also
 * clears the token later. If the platform refuses the markers, the text is written alone and
 * the refusal logged, so Copy still works.
 *
 * - Windows: `ExcludeClipboardContentFromMonitorProcessing` keeps the copy from clipboard
 *   history, the cloud clipboard and monitoring apps; `CanIncludeInClipboardHistory` and
 *   `CanUploadToCloudClipboard` set to a DWORD 0 say the same to Windows 10's history and sync.
 * - macOS: `org.nspasteboard.ConcealedType` (the nspasteboard.org convention), which clipboard
 *   managers such as Maccy honour. macOS itself keeps no clipboard history.
 * - Linux: X11 and Wayland keep no history themselves; desktop clipboard managers do (Klipper,
 *   GPaste, CopyQ, shell extensions). There is no freedesktop.org standard for it; the de facto
 *   marker is KDE's `x-kde-passwordManagerHint: secret` (password managers such as KeePassXC set
 *   it; Klipper, and wl-paste's `CLIPBOARD_STATE=sensitive`, read it). A manager that ignores it
 *   keeps the token until the guard clears the clipboard. Tokendeck never writes the primary
 *   selection (middle-click paste).
 */

/** A raw platform clipboard format in Electron's custom-format syntax. */
export function osFormat(name: string): string {
  return `electron application/osclipboard;format="${name}"`;
}

/** Windows' boolean clipboard formats take a DWORD; 0 means "no". */
const DWORD_ZERO = (): Blob => new Blob([new Uint8Array(4)]);

/** The formats that mark a copy as a secret on `platform`, written beside `text/plain`. */
export function concealMarkers(platform: NodeJS.Platform): Record<string, string | Blob> {
  switch (platform) {
    case 'win32':
      return {
        [osFormat('ExcludeClipboardContentFromMonitorProcessing')]: DWORD_ZERO(),
        [osFormat('CanIncludeInClipboardHistory')]: DWORD_ZERO(),
        [osFormat('CanUploadToCloudClipboard')]: DWORD_ZERO(),
      };
    case 'darwin':
      return { [osFormat('org.nspasteboard.ConcealedType')]: 'concealed' };
    case 'linux':
      return { [osFormat('x-kde-passwordManagerHint')]: 'secret' };
    default:
      return {};
  }
}

export interface ClipboardOptions {
  platform?: NodeJS.Platform;
  logger?: Logger;
}

export function createClipboard(options: ClipboardOptions = {}): Clipboard {
  const platform = options.platform ?? process.platform;
  return {
    async writeText(text, writeOptions) {
      const markers = writeOptions?.conceal ? concealMarkers(platform) : {};
      if (Object.keys(markers).length === 0) return clipboard.writeText(text);
      try {
        await clipboard.write([new ClipboardItem({ 'text/plain': text, ...markers })]);
      } catch (error) {
        options.logger?.warn('clipboard: the history markers were refused; copied the text alone', {
          error,
        });
        await clipboard.writeText(text);
      }
    },
    readText: () => clipboard.readText(),
    clear: () => clipboard.clear(),
  };
}
