import { shell } from 'electron';
import { TokendeckError, type BrowserOpener } from '../core';

/**
 * Opens the authorization URL that main built in the system browser (SECURITY 5, 21).
 *
 * Only absolute http(s) URLs without credentials are passed to `shell.openExternal`; `file:`,
 * `javascript:` and custom schemes are refused, so nothing can make the OS run a handler.
 */
export function isOpenableUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
      parsed.hostname !== '' &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}

export function createSystemBrowser(): BrowserOpener {
  return {
    async open(url: string): Promise<void> {
      if (!isOpenableUrl(url)) {
        throw new TokendeckError('invalid_input', 'Only http(s) URLs are opened in the browser.');
      }
      try {
        await shell.openExternal(url, { activate: true });
      } catch (error) {
        throw new TokendeckError('browser_failed', 'Could not open the system browser.', {
          cause: error,
        });
      }
    },
  };
}
