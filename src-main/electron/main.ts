import { join } from 'node:path';
import { app, BrowserWindow, dialog, protocol, screen } from 'electron';
import { defaultDataDir } from '../core/data-dir';
import { createLogger } from '../core/log';
import { createService, type TokendeckService } from '../core/service';
import { APP_INDEX_URL, APP_SCHEME, type AppOrigins } from './app-origin';
import { createAppProtocolHandler } from './app-protocol';
import { createClipboard } from './clipboard';
import { forwardServiceEvents } from './ipc/events';
import { registerWindowHandlers } from './ipc/electron-ipc';
import { trustedAppSender } from './ipc/typed-ipc';
import { createOsKeychain } from './keychain-slot';
import { createPowerEvents } from './power-events';
import { createSystemBrowser } from './system-browser';
import { createMainWindow, installWebContentsGuard } from './window';
import { visibleBounds } from './window-bounds';
import { createWindowStateStore, rememberWindowState, type WindowStateStore } from './window-state';

/**
 * The Electron main process: wiring only.
 *
 * One instance at a time (SECURITY 39): a second launch hands over to the first, which comes to
 * the front. The UI is served from `app://tokendeck/` (SECURITY 6), the service runs here, and
 * the renderer reaches it only through the typed IPC handlers.
 */

const RENDERER_DIR = join(import.meta.dirname, '../renderer');
const PRELOAD_PATH = join(import.meta.dirname, '../preload/index.cjs');

// Must happen before `ready`: the app scheme behaves like https (standard, secure origin).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | null = null;
let service: TokendeckService | null = null;
let stopWiring: (() => void) | null = null;
let closing = false;
let windowState: WindowStateStore | null = null;

function devOrigins(): AppOrigins {
  const devServerUrl = process.env.ELECTRON_RENDERER_URL;
  return !app.isPackaged && devServerUrl ? { devServerUrl } : {};
}

function showMainWindow(origins: AppOrigins): void {
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
    return;
  }
  const saved = windowState?.read() ?? {};
  const bounds = visibleBounds(
    saved.bounds,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  mainWindow = createMainWindow({
    preloadPath: PRELOAD_PATH,
    url: origins.devServerUrl ?? APP_INDEX_URL,
    origins,
    ...(bounds ? { bounds } : {}),
    ...(saved.maximized ? { maximized: true } : {}),
  });
  if (windowState) rememberWindowState(mainWindow, windowState);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

async function start(origins: AppOrigins): Promise<void> {
  const dataDir = defaultDataDir();
  windowState = createWindowStateStore(dataDir);
  const logger = createLogger({ file: join(dataDir, 'logs', 'tokendeck.log') });
  installWebContentsGuard(origins);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(RENDERER_DIR));

  service = await createService({
    dataDir,
    keychain: await createOsKeychain(),
    browser: createSystemBrowser(),
    clipboard: createClipboard(),
    power: createPowerEvents(),
    logger,
    appVersion: app.getVersion(),
  });

  const isAppPage = trustedAppSender(origins);
  const removeHandlers = registerWindowHandlers(service, {
    isTrustedSender: (frame) =>
      isAppPage(frame) && mainWindow !== null && frame === mainWindow.webContents.mainFrame,
    logger,
  });
  const stopEvents = forwardServiceEvents(service, () => mainWindow?.webContents ?? null);
  stopWiring = () => {
    stopEvents();
    removeHandlers();
  };

  app.on('activate', () => showMainWindow(origins));
  showMainWindow(origins);
}

async function shutdown(): Promise<void> {
  stopWiring?.();
  stopWiring = null;
  const running = service;
  service = null;
  await running?.close();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const origins = devOrigins();

  // A second launch was refused by its own lock; bring this instance's window forward.
  app.on('second-instance', () => {
    if (service) showMainWindow(origins);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', (event) => {
    if (closing || !service) return;
    event.preventDefault();
    closing = true;
    shutdown()
      .catch((error: unknown) => {
        process.stderr.write(`Tokendeck did not close cleanly: ${String(error)}\n`);
      })
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(() => start(origins))
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('Tokendeck could not start', message);
      app.exit(1);
    });
}
