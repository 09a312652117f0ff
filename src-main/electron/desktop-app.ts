import { join } from 'node:path';
import { app, BrowserWindow, dialog, protocol, screen, shell } from 'electron';
import { defaultDataDir } from '../core';
import { createLogger, KEPT_RUNNING_NOTICE } from '../core';
import { createService, type TokendeckService } from '../core';
import { createAgentHost, type AgentHost } from './agent-host';
import { APP_INDEX_URL, APP_SCHEME, type AppOrigins } from './app-origin';
import { createAppProtocolHandler } from './app-protocol';
import { createClipboard } from './clipboard';
import { chromiumSessionDir, prepareDataFolder } from './data-folder';
import { startDesktopShell, type DesktopShell } from './desktop-shell';
import { forwardServiceEvents, registerWindowHandlers, trustedAppSender } from './ipc';
import { installAppMenu } from './app-menu';
import { installCommandLineTool } from './cli';
import { createOsKeychain } from './keychain-slot';
import { createLoginItem, openedAtLogin } from './login-item';
import { createElectronTransport } from './net-transport';
import { APP_USER_MODEL_ID, createNotifier } from './notifier';
import { createPowerEvents } from './power-events';
import { createSystemBrowser } from './system-browser';
import { closeWindow, createMainWindow, installWebContentsGuard } from './window';
import { visibleBounds } from './window-bounds';
import { createWindowStateStore, rememberWindowState, type WindowStateStore } from './window-state';

/**
 * The desktop app: wiring only.
 *
 * One instance at a time (SECURITY 39): a second launch hands over to the first, which comes to
 * the front, even while it is still starting. The UI is served from `app://tokendeck/`
 * (SECURITY 6), the service runs here, and the renderer reaches it only through the typed IPC
 * handlers.
 *
 * The window comes first: it shows "Opening the vault…" while the OS keychain is asked (which
 * may prompt, and has a time limit) and the vault opens; the IPC calls wait for the service.
 * Quitting closes the window before the handlers and the service go, so no call is left
 * without a handler.
 *
 * Closing the window does not quit while the tray icon is up: renewals go on, and the tray's
 * Open Tokendeck brings the window back. Quit (the menu, the tray, Cmd+Q) ends it. Started at
 * login, Tokendeck opens in the tray without a window.
 */

const RENDERER_DIR = join(import.meta.dirname, '../renderer');
const PRELOAD_PATH = join(import.meta.dirname, '../preload/index.cjs');

/** The tray icons: shipped beside the app by electron-builder, from build/tray in a clone. */
function trayIconDir(): string {
  return app.isPackaged
    ? join(process.resourcesPath, 'tray')
    : join(app.getAppPath(), 'build', 'tray');
}

/** Starts the desktop app; main calls it when the process is not in CLI mode. */
export function startDesktopApp(): void {
  // Before anything writes there: the data folder 0700, and Chromium's session data in its own
  // subfolder. Both paths must be set before `ready` and before the single-instance lock.
  const dataDir = defaultDataDir();
  prepareDataFolder(dataDir);
  app.setPath('userData', dataDir);
  app.setPath('sessionData', chromiumSessionDir(dataDir));
  const logFile = join(dataDir, 'logs', 'tokendeck.log');
  const logger = createLogger({ file: logFile });

  // Must happen before `ready`: the app scheme behaves like https (standard, secure origin).
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);

  let mainWindow: BrowserWindow | null = null;
  let service: TokendeckService | null = null;
  let stopWiring: (() => void) | null = null;
  let agent: AgentHost | null = null;
  /** `closing` while the windows, handlers and service shut down; `closed` lets the quit through. */
  let phase: 'running' | 'closing' | 'closed' = 'running';
  let windowState: WindowStateStore | null = null;
  let desktopShell: DesktopShell | null = null;
  let toldKeptRunning = false;
  const notifier = createNotifier(logger);

  function devOrigins(): AppOrigins {
    const devServerUrl = process.env.ELECTRON_RENDERER_URL;
    return !app.isPackaged && devServerUrl ? { devServerUrl } : {};
  }

  function showMainWindow(origins: AppOrigins): void {
    if (!app.isReady() || phase !== 'running') return;
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
      logger,
      logFile,
      ...(bounds ? { bounds } : {}),
      ...(saved.maximized ? { maximized: true } : {}),
    });
    if (windowState) rememberWindowState(mainWindow, windowState);
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  }

  async function openService(): Promise<TokendeckService> {
    return createService({
      dataDir,
      keychain: await createOsKeychain({ logger }),
      browser: createSystemBrowser(),
      clipboard: createClipboard({ logger }),
      power: createPowerEvents(),
      logger,
      appVersion: app.getVersion(),
      transport: createElectronTransport(),
    });
  }

  function failToStart(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    logger.error('could not start', { error });
    dialog.showErrorBox('Tokendeck could not start', message);
    app.exit(1);
  }

  function start(origins: AppOrigins): void {
    if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
    windowState = createWindowStateStore(dataDir);
    installWebContentsGuard(origins);
    installAppMenu({
      platform: process.platform,
      isPackaged: app.isPackaged,
      onInstallCommandLineTool: () => void installCommandLineTool(mainWindow ?? undefined),
      onShowDataFolder: () => void shell.openPath(dataDir),
    });
    protocol.handle(APP_SCHEME, createAppProtocolHandler(RENDERER_DIR));

    const opening = openService();
    const isAppPage = trustedAppSender(origins);
    const removeHandlers = registerWindowHandlers(opening, {
      isTrustedSender: (frame) =>
        isAppPage(frame) && mainWindow !== null && frame === mainWindow.webContents.mainFrame,
      logger,
    });
    let stopEvents = () => {};
    stopWiring = () => {
      desktopShell?.stop();
      desktopShell = null;
      stopEvents();
      removeHandlers();
    };

    app.on('activate', () => showMainWindow(origins));
    if (!openedAtLogin(process.argv)) showMainWindow(origins);

    opening.then((opened) => {
      if (phase !== 'running') {
        void opened.close();
        return;
      }
      service = opened;
      const stopForwarding = forwardServiceEvents(opened, () => mainWindow?.webContents ?? null);
      // The agent for terminals, while Settings has it on.
      const host = createAgentHost({ dataDir, service: opened, logger, window: () => mainWindow });
      agent = host;
      const stopAgentSettings = opened.on('agentSettingsChanged', (next) => void host.apply(next));
      void opened.getAgentSettings().then((settings) => host.apply(settings));
      stopEvents = () => {
        stopAgentSettings();
        stopForwarding();
      };
      desktopShell = startDesktopShell({
        service: opened,
        platform: process.platform,
        iconDir: trayIconDir(),
        notifier,
        loginItem: createLoginItem(),
        showWindow: () => showMainWindow(origins),
        quit: () => app.quit(),
        logger,
      });
      // Started at login without a window, and no tray to reach it by: show the window after all.
      if (!desktopShell.hasTray && !mainWindow) showMainWindow(origins);
    }, failToStart);
  }

  /** The last window closed: Tokendeck goes on in the tray, or quits where there is none. */
  function windowsClosed(): void {
    if (phase !== 'running') return;
    if (!desktopShell?.hasTray) {
      if (process.platform !== 'darwin') app.quit();
      return;
    }
    if (process.platform !== 'darwin' && !toldKeptRunning) {
      toldKeptRunning = true;
      notifier.show(KEPT_RUNNING_NOTICE);
    }
  }

  async function shutdown(): Promise<void> {
    await Promise.all(BrowserWindow.getAllWindows().map((window) => closeWindow(window)));
    stopWiring?.();
    stopWiring = null;
    await agent?.stop();
    agent = null;
    const running = service;
    service = null;
    await running?.close();
  }

  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    const origins = devOrigins();

    // A second launch was refused by its own lock; bring this instance's window forward.
    app.on('second-instance', () => showMainWindow(origins));

    app.on('window-all-closed', windowsClosed);

    app.on('before-quit', (event) => {
      if (phase === 'closed') return;
      event.preventDefault();
      if (phase === 'closing') return;
      phase = 'closing';
      shutdown()
        .catch((error: unknown) => logger.error('did not close cleanly', { error }))
        .finally(() => {
          phase = 'closed';
          app.quit();
        });
    });

    app
      .whenReady()
      .then(() => start(origins))
      .catch(failToStart);
  }
}
