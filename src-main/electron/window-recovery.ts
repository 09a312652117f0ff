import type { BrowserWindow, Event, RenderProcessGoneDetails } from 'electron';
import type { Logger } from '../core';

/**
 * Keeps the main window from ever staying blank.
 *
 * A page that fails to load (`did-fail-load`) or a renderer that dies (`render-process-gone`) is
 * reloaded once. If that fails too, the window shows a plain error page, with no script, that
 * says what happened and where the log is. Every load's rejection is caught and logged; the
 * events above do the recovering.
 */

/** Chromium's net::ERR_ABORTED: a load replaced by another one, which is not a failure. */
const ERR_ABORTED = -3;

export interface WindowRecoveryOptions {
  /** The app page the window shows. */
  url: string;
  logger: Logger;
  /** The log file, named on the error page. */
  logFile: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The error page: plain HTML in a `data:` URL, so it needs nothing that may have failed. */
export function errorPageUrl(reason: string, logFile: string): string {
  const html =
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    '<title>Tokendeck</title><style>body{font:15px/1.5 system-ui,sans-serif;margin:3em;max-width:40em}' +
    'code{word-break:break-all}</style></head><body>' +
    '<h1>Tokendeck could not show its window</h1>' +
    `<p>${escapeHtml(reason)}</p>` +
    '<p>Your vault was not touched. Quit Tokendeck and open it again.</p>' +
    `<p>If this keeps happening, the log is at <code>${escapeHtml(logFile)}</code>.</p>` +
    '</body></html>';
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

/** Loads a URL, logging a rejection instead of leaving it unhandled. */
export function loadLogged(window: BrowserWindow, url: string, logger: Logger): void {
  window.loadURL(url).catch((error: unknown) => {
    logger.warn('window: load failed', { url: url.startsWith('data:') ? 'data:' : url, error });
  });
}

/** Installs the reload-once-then-error-page handlers on the window. */
export function recoverFromFailures(window: BrowserWindow, options: WindowRecoveryOptions): void {
  let reloaded = false;
  let showingError = false;
  const recover = (reason: string) => {
    if (showingError || window.isDestroyed()) return;
    if (!reloaded) {
      reloaded = true;
      options.logger.warn('window: reloading once', { reason });
      loadLogged(window, options.url, options.logger);
      return;
    }
    showingError = true;
    options.logger.error('window: showing the error page', { reason });
    loadLogged(window, errorPageUrl(reason, options.logFile), options.logger);
  };

  window.webContents.on(
    'did-fail-load',
    (
      _event: Event,
      errorCode: number,
      errorDescription: string,
      _validatedUrl: string,
      isMainFrame: boolean,
    ) => {
      if (!isMainFrame || errorCode === ERR_ABORTED) return;
      recover(`The page did not load (${errorDescription || `error ${errorCode}`}).`);
    },
  );
  window.webContents.on(
    'render-process-gone',
    (_event: Event, details: RenderProcessGoneDetails) => {
      if (details.reason === 'clean-exit') return;
      recover(`The window's process stopped (${details.reason}, exit code ${details.exitCode}).`);
    },
  );
}
