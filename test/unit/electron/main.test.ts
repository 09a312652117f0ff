import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTRACT_METHODS, callChannel } from '../../../src-preload/contract';

type Handler = (...args: unknown[]) => unknown;

const state = vi.hoisted(() => ({
  lock: true,
  appHandlers: new Map<string, Handler[]>(),
  windows: [] as Array<Record<string, unknown>>,
  service: { close: vi.fn(async () => undefined), on: vi.fn(() => () => undefined) },
  createService: vi.fn(),
  readyResolve: null as null | (() => void),
  dataDirs: [] as string[],
  savedWindow: {} as Record<string, unknown>,
  rememberWindowState: vi.fn(),
}));

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = {
      mainFrame: { url: 'app://tokendeck/index.html' },
      session: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
      on: vi.fn(),
      setWindowOpenHandler: vi.fn(),
    };
    options: Record<string, unknown>;
    loaded: string[] = [];
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => true;
    isDestroyed = () => false;
    constructor(options: Record<string, unknown>) {
      this.options = options;
      state.windows.push(this as unknown as Record<string, unknown>);
    }
    on() {
      return this;
    }
    once() {
      return this;
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  const app = {
    isPackaged: true,
    requestSingleInstanceLock: vi.fn(() => state.lock),
    quit: vi.fn(),
    exit: vi.fn(),
    getVersion: () => '1.2.3',
    on: vi.fn((event: string, handler: Handler) => {
      state.appHandlers.set(event, [...(state.appHandlers.get(event) ?? []), handler]);
    }),
    whenReady: vi.fn(
      () =>
        new Promise<void>((resolve) => {
          state.readyResolve = resolve;
        }),
    ),
  };
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => Buffer.from(text),
      decryptString: (data: Buffer) => data.toString(),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
    shell: { openExternal: vi.fn() },
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
  defaultDataDir: () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokendeck-main-'));
    state.dataDirs.push(dir);
    return dir;
  },
}));

async function loadMain() {
  vi.resetModules();
  state.appHandlers.clear();
  state.windows.length = 0;
  const electron = await import('electron');
  vi.mocked(electron.app.quit).mockClear();
  vi.mocked(electron.app.whenReady).mockClear();
  vi.mocked(electron.ipcMain.handle).mockClear();
  await import('../../../src-main/electron/main');
  return electron;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

afterAll(() => {
  for (const dir of state.dataDirs) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  state.createService.mockReset();
  state.createService.mockResolvedValue(state.service);
  state.service.close.mockClear();
});

describe('main process', () => {
  it('refuses a second instance: it quits without starting (SECURITY 39)', async () => {
    state.lock = false;
    const electron = await loadMain();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.app.whenReady).not.toHaveBeenCalled();
    expect(state.createService).not.toHaveBeenCalled();
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

  it('closes the service before quitting', async () => {
    state.lock = true;
    const electron = await loadMain();
    state.readyResolve?.();
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
    const event = { preventDefault: vi.fn() };
    for (const handler of state.appHandlers.get('before-quit') ?? []) handler(event);
    expect(event.preventDefault).toHaveBeenCalled();
    await flush();
    expect(state.service.close).toHaveBeenCalled();
    expect(electron.app.quit).toHaveBeenCalled();
  });
});
