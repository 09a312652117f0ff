import {
  app,
  BrowserWindow,
  type Rectangle,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron';
import type { Logger } from '../core';
import { isAppUrl, type AppOrigins } from './app-origin';
import { loadLogged, recoverFromFailures } from './window-recovery';

/**
 * The main window and every guard around it (SECURITY 1, 4, 21).
 *
 * The renderer is sandboxed and isolated, cannot navigate away from the app, cannot open
 * windows, and is refused every permission. No app window ever loads a remote page: logins
 * happen in the system browser.
 */

/** The only webPreferences any Tokendeck window gets. */
export function buildWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** True when the window may go to `url`: only the app's own pages, compared with `new URL()`. */
export function isAllowedNavigation(url: string, origins: AppOrigins = {}): boolean {
  return isAppUrl(url, origins);
}

/** Deny-all handlers for a session's permission requests and checks. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Refuses navigation and redirects away from the app, and every new window. */
export function guardWebContents(contents: WebContents, origins: AppOrigins = {}): void {
  const refuseForeign = (event: { url: string; preventDefault(): void }) => {
    if (!isAllowedNavigation(event.url, origins)) event.preventDefault();
  };
  contents.on('will-navigate', refuseForeign);
  contents.on('will-redirect', refuseForeign);
  contents.on('will-frame-navigate', refuseForeign);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Applies {@link guardWebContents} to every web contents the app ever creates, and refuses
 * `<webview>` outright, so a future window cannot forget the guards.
 */
export function installWebContentsGuard(origins: AppOrigins = {}): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    guardWebContents(contents, origins);
  });
}

export interface MainWindowOptions {
  /** The built preload script (CommonJS: sandboxed preloads cannot be ESM). */
  preloadPath: string;
  /** `app://tokendeck/index.html`, or the dev server's URL in development. */
  url: string;
  origins?: AppOrigins;
  /** Where the window was last time, if that is still on screen. */
  bounds?: Rectangle;
  maximized?: boolean;
  /** Where load failures and renderer crashes are logged. */
  logger: Logger;
  /** The log file, named on the error page shown when the window cannot recover. */
  logFile: string;
}

/**
 * Creates and loads the main window, with every guard installed before the first load, and
 * recovery from a failed load or a crashed renderer.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    ...options.bounds,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Tokendeck',
    webPreferences: buildWebPreferences(options.preloadPath),
  });
  denyAllPermissions(window.webContents.session);
  guardWebContents(window.webContents, options.origins);
  window.once('ready-to-show', () => {
    if (options.maximized) window.maximize();
    window.show();
  });
  recoverFromFailures(window, options);
  loadLogged(window, options.url, options.logger);
  return window;
}

/**
 * Closes a window and resolves once it is gone.
 *
 * `close()` lets the window save its bounds on `close`; a window that has not gone after
 * `graceMs` is destroyed, so quitting never hangs on it.
 */
export function closeWindow(window: BrowserWindow, graceMs = 3000): Promise<void> {
  if (window.isDestroyed()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (!window.isDestroyed()) window.destroy();
      resolve();
    }, graceMs);
    timer.unref();
    window.once('closed', () => {
      clearTimeout(timer);
      resolve();
    });
    window.close();
  });
}
