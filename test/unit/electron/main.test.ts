import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTRACT_METHODS, callChannel } from '../../../src-preload/contract';
import type { FakeTrayIcon, FakeTrayRecord } from './fake-tray';

type Handler = (...args: unknown[]) => unknown;

const state = vi.hoisted(() => ({
  lock: true,
  appHandlers: new Map<string, Handler[]>(),
  windows: [] as Array<Record<string, unknown>>,
  service: {
    close: vi.fn(async () => undefined),
    on: vi.fn(() => () => undefined),
    listAccounts: vi.fn(async () => []),
    getVaultStatus: vi.fn(async () => ({ state: 'unlocked', path: '/v', slots: [] })),
    getSettings: vi.fn(async () => ({ theme: 'system', openAtLogin: false })),
    saveSettings: vi.fn(async () => ({ theme: 'system', openAtLogin: false })),
    copyToken: vi.fn(),
    getAgentSettings: vi.fn(async () => ({ enabled: false, askOnNewTerminal: true })),
  },
  createService: vi.fn(),
  readyResolve: null as null | (() => void),
  dataDirs: [] as string[],
  savedWindow: {} as Record<string, unknown>,
  rememberWindowState: vi.fn(),
  ready: false,
  keychainAnswer: Promise.resolve(true) as Promise<boolean>,
  /** Every call to the mocked Electron that matters for ordering, in order. */
  calls: [] as string[],
  /** The tray icons made; the tray writes `tray.destroy` into `calls` (set below). */
  tray: { trays: [] as FakeTrayIcon[], fails: false } as FakeTrayRecord,
  notifications: [] as Array<{ title: string }>,
}));

state.tray.calls = state.calls;

type MenuItem = { label?: string; click?: () => void };

vi.mock('electron', async () => {
  const { fakeTrayClass } = await import('./fake-tray');
  /** The object, with every read of a method recorded in `state.calls` as `<name>.<method>`. */
  function touchRecorder<T extends object>(name: string, target: T): T {
    return new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver) as unknown;
        if (typeof property === 'string' && typeof value === 'function') {
          state.calls.push(`${name}.${property}`);
        }
        return value;
      },
    });
  }
  class BrowserWindow {
    static getAllWindows() {
      return state.windows.filter((window) => !(window as { destroyed: boolean }).destroyed);
    }
    webContents = {
      mainFrame: { url: 'app://tokendeck/index.html' },
      session: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
      on: vi.fn(),
      setWindowOpenHandler: vi.fn(),
    };
    options: Record<string, unknown>;
    loaded: string[] = [];
    handlers = new Map<string, Handler[]>();
    destroyed = false;
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => true;
    isDestroyed = () => this.destroyed;
    close = vi.fn(() => state.calls.push('window.close'));
    destroy = vi.fn();
    constructor(options: Record<string, unknown>) {
      this.options = options;
      state.windows.push(this as unknown as Record<string, unknown>);
    }
    on(event: string, handler: Handler) {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
      return this;
    }
    once(event: string, handler: Handler) {
      return this.on(event, handler);
    }
    /** What the real window does once it has closed. */
    emitClosed() {
      this.destroyed = true;
      for (const handler of this.handlers.get('closed') ?? []) handler();
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  const app = {
    isPackaged: true,
    requestSingleInstanceLock: vi.fn(() => {
      state.calls.push('requestSingleInstanceLock');
      return state.lock;
    }),
    // As Electron's: `before-quit` first, and the app ends only if no listener prevented it.
    quit: vi.fn(() => {
      let prevented = false;
      const event = { preventDefault: () => (prevented = true) };
      for (const handler of state.appHandlers.get('before-quit') ?? []) handler(event);
      if (!prevented) state.calls.push('ended');
    }),
    exit: vi.fn(),
    getVersion: () => '1.2.3',
    getAppPath: () => '/app',
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
    setLoginItemSettings: vi.fn(),
    setAppUserModelId: vi.fn(),
    isReady: () => state.ready,
    setPath: vi.fn((name: string) => state.calls.push(`setPath:${name}`)),
    on: vi.fn((event: string, handler: Handler) => {
      state.appHandlers.set(event, [...(state.appHandlers.get(event) ?? []), handler]);
    }),
    whenReady: vi.fn(
      () =>
        new Promise<void>((resolve) => {
          state.readyResolve = () => {
            state.ready = true;
            state.calls.push('ready');
            resolve();
          };
        }),
    ),
  };
  return {
    app,
    BrowserWindow,
    Tray: fakeTrayClass(state.tray),
    nativeImage: {
      createFromPath: () => ({ isEmpty: () => false, setTemplateImage: vi.fn() }),
    },
    nativeTheme: { themeSource: 'system' },
    Notification: class {
      static isSupported = () => true;
      constructor(readonly options: { title: string }) {}
      on = vi.fn();
      show() {
        state.notifications.push(this.options);
      }
    },
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn() },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown) => ({ template })),
      setApplicationMenu: vi.fn(),
    },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    ipcMain: {
      handle: vi.fn(),
      removeHandler: vi.fn(() => state.calls.push('ipcMain.removeHandler')),
    },
    // Every touch of safeStorage is recorded, to check none comes before ready (SECURITY 24).
    safeStorage: touchRecorder('safeStorage', {
      isAsyncEncryptionAvailable: () => state.keychainAnswer,
      encryptStringAsync: async (text: string) => Buffer.from(text),
      decryptStringAsync: async (data: Buffer) => ({
        result: data.toString(),
        shouldReEncrypt: false,
      }),
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(text),
      decryptString: (data: Buffer) => data.toString(),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    }),
    shell: { openExternal: vi.fn() },
    // The app's transport (net-transport.ts): Chromium's network and the session's proxy.
    net: { fetch: vi.fn() },
    session: {
      defaultSession: { setProxy: vi.fn(async () => undefined), setCertificateVerifyProc: vi.fn() },
    },
    clipboard: { writeText: vi.fn() },
    powerMonitor: { on: vi.fn(), off: vi.fn() },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
});

vi.mock('../../../src-main/electron/window-state', () => ({
  createWindowStateStore: () => ({ read: () => state.savedWindow, write: vi.fn() }),
  rememberWindowState: state.rememberWindowState,
}));

vi.mock('../../../src-main/core/service', () => ({ createService: state.createService }));
vi.mock('../../../src-main/core/data-dir', () => ({
  APP_NAME: 'Tokendeck',
  defaultDataDir: () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokendeck-main-'));
    state.dataDirs.push(dir);
    return dir;
  },
}));

// The installed app's resources folder, where the tray icons are; Electron sets it, Node does not.
Object.defineProperty(process, 'resourcesPath', { value: '/app/resources', configurable: true });

async function loadMain() {
  vi.resetModules();
  state.appHandlers.clear();
  state.windows.length = 0;
  state.calls.length = 0;
  state.tray.trays.length = 0;
  state.notifications.length = 0;
  state.ready = false;
  const electron = await import('electron');
  vi.mocked(electron.app.quit).mockClear();
  vi.mocked(electron.app.whenReady).mockClear();
  vi.mocked(electron.ipcMain.handle).mockClear();
  vi.mocked(electron.ipcMain.removeHandler).mockClear();
  vi.mocked(electron.app.setPath).mockClear();
  await import('../../../src-main/electron/main');
  return electron;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

// The Linux autostart entry (open at login) is looked for here, never in the real home folder.
const configHome = mkdtempSync(join(tmpdir(), 'tokendeck-xdg-'));
vi.stubEnv('XDG_CONFIG_HOME', configHome);

afterAll(() => {
  rmSync(configHome, { recursive: true, force: true });
  for (const dir of state.dataDirs) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  state.createService.mockReset();
  state.createService.mockResolvedValue(state.service);
  state.service.close.mockClear();
  state.keychainAnswer = Promise.resolve(true);
});

type FakeWindow = {
  loaded: string[];
  focus: ReturnType<typeof vi.fn>;
  close: ReturnType<typeof vi.fn>;
  emitClosed(): void;
};

/** The listener main registered for one contract call, called as the app's own window. */
async function callFromWindow(electron: typeof import('electron'), method: string) {
  const entry = vi
    .mocked(electron.ipcMain.handle)
    .mock.calls.find(([channel]) => channel === callChannel(method as never));
  const listener = entry?.[1] as (event: unknown, arg: unknown) => Promise<unknown>;
  const window = state.windows[0] as { webContents: { mainFrame: unknown } };
  const frame = window.webContents.mainFrame;
  return listener({ senderFrame: frame, sender: { mainFrame: frame } }, undefined);
}

describe('main process', () => {
  it('refuses a second instance: it quits without starting (SECURITY 39)', async () => {
    state.lock = false;
    const electron = await loadMain();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(state.createService).not.toHaveBeenCalled();
  });

  it('touches safeStorage only after ready (SECURITY 24)', async () => {
    state.lock = true;
    const electron = await loadMain();
    await flush();
    expect(state.calls.filter((call) => call.startsWith('safeStorage.'))).toEqual([]);
    state.readyResolve?.();
    await vi.waitFor(() => expect(state.createService).toHaveBeenCalled());
    const ready = state.calls.indexOf('ready');
    const touches = state.calls.flatMap((call, index) =>
      call.startsWith('safeStorage.') ? [index] : [],
    );
    expect(touches.length).toBeGreaterThan(0);
    expect(Math.min(...touches)).toBeGreaterThan(ready);
    vi.mocked(electron.protocol.handle).mockClear();
  });

  it('registers the app scheme as privileged before ready', async () => {
    state.lock = true;
    const electron = await loadMain();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(electron.protocol.handle).not.toHaveBeenCalled();
  });

  it('after ready: serves app://, starts the service, registers IPC, opens the window', async () => {
    state.lock = true;
    const electron = await loadMain();
    state.readyResolve?.();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(state.createService).toHaveBeenCalledWith(
      expect.objectContaining({
        keychain: expect.objectContaining({ status: expect.any(Function) }),
        browser: expect.any(Object),
        clipboard: expect.any(Object),
        power: expect.any(Object),
        appVersion: '1.2.3',
      }),
    );
    const channels = vi.mocked(electron.ipcMain.handle).mock.calls.map(([channel]) => channel);
    expect(channels).toEqual(CONTRACT_METHODS.map((method) => callChannel(method)));
    expect(state.windows).toHaveLength(1);
    const window = state.windows[0] as {
      loaded: string[];
      options: { webPreferences: Record<string, unknown> };
      focus: ReturnType<typeof vi.fn>;
    };
    expect(window.loaded).toEqual(['app://tokendeck/index.html']);
    expect(window.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });

    for (const handler of state.appHandlers.get('second-instance') ?? []) handler();
    expect(window.focus).toHaveBeenCalled();
    expect(state.windows).toHaveLength(1);
  });

  it('reopens the window where it was, if that is still on screen, and remembers it', async () => {
    state.lock = true;
    state.savedWindow = { bounds: { x: 40, y: 50, width: 900, height: 640 }, maximized: false };
    await loadMain();
    state.readyResolve?.();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    const window = state.windows[0] as { options: Record<string, unknown> };
    expect(window.options).toMatchObject({ x: 40, y: 50, width: 900, height: 640 });
    expect(state.rememberWindowState).toHaveBeenCalledWith(window, expect.any(Object));
    state.savedWindow = {};
  });

  it('on quit, closes the window before removing the handlers, then closes the service', async () => {
    state.lock = true;
    const electron = await loadMain();
    state.readyResolve?.();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    await flush();
    const window = state.windows[0] as unknown as FakeWindow;
    const event = { preventDefault: vi.fn() };
    for (const handler of state.appHandlers.get('before-quit') ?? []) handler(event);
    expect(event.preventDefault).toHaveBeenCalled();
    await flush();
    // Until the window is gone, its calls still have their handlers and the service.
    expect(window.close).toHaveBeenCalled();
    expect(electron.ipcMain.removeHandler).not.toHaveBeenCalled();
    expect(state.service.close).not.toHaveBeenCalled();
    expect(electron.app.quit).not.toHaveBeenCalled();

    window.emitClosed();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
    expect(state.calls.indexOf('window.close')).toBeLessThan(
      state.calls.indexOf('ipcMain.removeHandler'),
    );
    expect(state.service.close).toHaveBeenCalled();

    // The quit that follows goes through; a second Cmd+Q meanwhile changes nothing.
    const again = { preventDefault: vi.fn() };
    for (const handler of state.appHandlers.get('before-quit') ?? []) handler(again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('opens the window before the keychain answers, and the calls wait for the service', async () => {
    state.lock = true;
    let answer: (value: boolean) => void = () => undefined;
    state.keychainAnswer = new Promise<boolean>((resolve) => {
      answer = resolve;
    });
    const electron = await loadMain();
    state.readyResolve?.();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    expect(state.createService).not.toHaveBeenCalled();
    const channels = vi.mocked(electron.ipcMain.handle).mock.calls.map(([channel]) => channel);
    expect(channels).toEqual(CONTRACT_METHODS.map((method) => callChannel(method)));

    const status = { state: 'unlocked', path: '/v', slots: ['os-keychain'] };
    const service = { ...state.service, getVaultStatus: vi.fn(async () => status) };
    state.createService.mockResolvedValue(service);
    let settled = false;
    const call = callFromWindow(electron, 'getVaultStatus').then((result) => {
      settled = true;
      return result;
    });
    await flush();
    expect(settled).toBe(false);

    // A second launch while the keychain is still thinking brings the window forward.
    for (const handler of state.appHandlers.get('second-instance') ?? []) handler();
    expect((state.windows[0] as unknown as FakeWindow).focus).toHaveBeenCalled();
    expect(state.windows).toHaveLength(1);

    answer(true);
    await expect(call).resolves.toEqual({ ok: true, value: status });
  });

  it("moves Chromium's session data out of the data folder, before the lock and ready", async () => {
    state.lock = true;
    const electron = await loadMain();
    const dataDir = state.dataDirs.at(-1) as string;
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', dataDir);
    expect(electron.app.setPath).toHaveBeenCalledWith('sessionData', join(dataDir, 'chromium'));
    expect(state.calls.slice(0, 3)).toEqual([
      'setPath:userData',
      'setPath:sessionData',
      'requestSingleInstanceLock',
    ]);
    expect(state.ready).toBe(false);
  });
});

/** The app started, its service open and the tray menu filled in from the accounts. */
async function startWithTray() {
  const electron = await loadMain();
  state.readyResolve?.();
  await vi.waitFor(() => expect(state.tray.trays[0]?.menu).toBeDefined());
  return electron;
}

function trayItem(label: string): MenuItem {
  const item = state.tray.trays[0]?.menu?.template.find((entry) => entry.label === label);
  if (!item) throw new Error(`no tray item ${label}`);
  return item as MenuItem;
}

function closeLastWindow(): void {
  for (const window of state.windows) (window as unknown as FakeWindow).emitClosed();
  for (const handler of state.appHandlers.get('window-all-closed') ?? []) handler();
}

describe('the tray keeps Tokendeck running', () => {
  it('closing the window leaves the app, the service and the tray running', async () => {
    state.lock = true;
    state.tray.fails = false;
    const electron = await startWithTray();
    closeLastWindow();
    await flush();
    expect(electron.app.quit).not.toHaveBeenCalled();
    expect(state.service.close).not.toHaveBeenCalled();
    expect(electron.ipcMain.removeHandler).not.toHaveBeenCalled();
    expect(state.tray.trays[0]?.destroyed).toBe(false);
    if (process.platform !== 'darwin') {
      expect(state.notifications.map((notice) => notice.title)).toEqual([
        'Tokendeck is still running',
      ]);
    }

    // Open Tokendeck in the tray brings a new window; closing it again says nothing new.
    trayItem('Open Tokendeck').click?.();
    expect(openWindows()).toHaveLength(1);
    closeLastWindow();
    expect(state.notifications).toHaveLength(process.platform === 'darwin' ? 0 : 1);
  });

  it("the tray's Quit ends it, in order: window, handlers and tray, then the service", async () => {
    state.lock = true;
    state.tray.fails = false;
    const electron = await startWithTray();
    const window = state.windows[0] as unknown as FakeWindow;
    trayItem('Quit Tokendeck').click?.();
    expect(electron.app.quit).toHaveBeenCalledTimes(1);
    await flush();
    expect(window.close).toHaveBeenCalled();
    expect(state.calls).not.toContain('ended');
    expect(state.service.close).not.toHaveBeenCalled();

    window.emitClosed();
    await vi.waitFor(() => expect(state.calls).toContain('ended'));
    expect(state.service.close).toHaveBeenCalledTimes(1);
    expect(state.tray.trays[0]?.destroyed).toBe(true);
    const order = ['window.close', 'tray.destroy', 'ipcMain.removeHandler', 'ended'];
    const seen = order.map((call) => state.calls.indexOf(call));
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen).not.toContain(-1);
  });

  it('quits when the window closes where there is no tray icon (Windows and Linux)', async () => {
    state.lock = true;
    state.tray.fails = true;
    const electron = await loadMain();
    state.readyResolve?.();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    await vi.waitFor(() => expect(state.createService).toHaveBeenCalled());
    await flush();
    expect(state.tray.trays).toHaveLength(0);
    closeLastWindow();
    if (process.platform === 'darwin') {
      expect(electron.app.quit).not.toHaveBeenCalled();
    } else {
      expect(electron.app.quit).toHaveBeenCalled();
      await vi.waitFor(() => expect(state.calls).toContain('ended'));
      expect(state.service.close).toHaveBeenCalledTimes(1);
    }
    state.tray.fails = false;
  });

  it('started at login, opens in the tray without a window until asked', async () => {
    state.lock = true;
    state.tray.fails = false;
    process.argv.push('--opened-at-login');
    try {
      await startWithTray();
      expect(state.windows).toHaveLength(0);
      trayItem('Open Tokendeck').click?.();
      expect(state.windows).toHaveLength(1);
    } finally {
      process.argv.pop();
    }
  });
});

function openWindows() {
  return state.windows.filter((window) => !(window as { destroyed: boolean }).destroyed);
}

describe('the application menu', () => {
  it('has the standard roles and, in the installed app, Install Command-Line Tool…', async () => {
    state.lock = true;
    const electron = await loadMain();
    state.readyResolve?.();
    await vi.waitFor(() => expect(electron.Menu.setApplicationMenu).toHaveBeenCalled());
    const menu = vi.mocked(electron.Menu.setApplicationMenu).mock.lastCall?.[0] as unknown as {
      template: Array<{ role?: string; submenu?: Array<{ label?: string; role?: string }> }>;
    };
    const items: Array<{ label?: string; role?: string }> = menu.template.flatMap((entry) => [
      entry,
      ...(entry.submenu ?? []),
    ]);
    expect(items.map((item) => item.role)).toEqual(
      expect.arrayContaining(['editMenu', 'windowMenu', 'quit']),
    );
    expect(items.some((item) => item.label === 'Install Command-Line Tool…')).toBe(true);
  });
});
