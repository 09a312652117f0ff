import { beforeEach, describe, expect, it, vi } from 'vitest';
import { nullLogger } from '../../../src-main/core/log';

const electron = vi.hoisted(() => {
  const created: Array<{ options: Record<string, unknown>; loaded: string[] }> = [];
  return { created, appOn: vi.fn(), loadResult: () => Promise.resolve() };
});

vi.mock('electron', () => {
  class FakeWebContents {
    handlers = new Map<string, (...args: unknown[]) => void>();
    windowOpenHandler: (() => unknown) | null = null;
    session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
    };
    on(event: string, handler: (...args: unknown[]) => void) {
      this.handlers.set(event, handler);
      return this;
    }
    setWindowOpenHandler(handler: () => unknown) {
      this.windowOpenHandler = handler;
    }
  }
  class BrowserWindow {
    webContents = new FakeWebContents();
    record: { options: Record<string, unknown>; loaded: string[] };
    constructor(options: Record<string, unknown>) {
      this.record = { options, loaded: [] };
      electron.created.push(this.record);
    }
    once() {
      return this;
    }
    loadURL(url: string) {
      this.record.loaded.push(url);
      return electron.loadResult();
    }
  }
  return { app: { on: electron.appOn }, BrowserWindow };
});

const {
  buildWebPreferences,
  createMainWindow,
  denyAllPermissions,
  guardWebContents,
  installWebContentsGuard,
  isAllowedNavigation,
} = await import('../../../src-main/electron/window');

type Handler = (...args: unknown[]) => unknown;

function fakeContents() {
  const handlers = new Map<string, Handler>();
  let windowOpenHandler: Handler | null = null;
  return {
    handlers,
    get windowOpenHandler() {
      return windowOpenHandler;
    },
    on(event: string, handler: Handler) {
      handlers.set(event, handler);
    },
    setWindowOpenHandler(handler: Handler) {
      windowOpenHandler = handler;
    },
  };
}

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

describe('window webPreferences (SECURITY 1)', () => {
  it('turns on isolation, sandbox and web security, and off every insecure flag', () => {
    const prefs = buildWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });
});

describe('navigation guard (SECURITY 4)', () => {
  it('allows only the app origin, compared with new URL()', () => {
    expect(isAllowedNavigation('app://tokendeck/index.html')).toBe(true);
    expect(isAllowedNavigation('app://tokendeck/accounts?x=1#top')).toBe(true);
    expect(isAllowedNavigation('https://evil.example/')).toBe(false);
    expect(isAllowedNavigation('app://tokendeck.evil/index.html')).toBe(false);
    expect(isAllowedNavigation('app://evil/index.html')).toBe(false);
    expect(isAllowedNavigation('app://user@tokendeck/index.html')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd')).toBe(false);
    expect(isAllowedNavigation('not a url')).toBe(false);
  });

  it('allows the dev server only by its exact origin', () => {
    const origins = { devServerUrl: 'http://localhost:5173' };
    expect(isAllowedNavigation('http://localhost:5173/index.html', origins)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', origins)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173.evil.example/', origins)).toBe(false);
    expect(isAllowedNavigation('https://localhost:5173/', origins)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173/')).toBe(false);
  });

  it('prevents will-navigate, will-redirect and frame navigation away from the app', () => {
    const contents = fakeContents();
    guardWebContents(contents as never);
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      const foreign = navigationEvent('https://login.example/authorize');
      contents.handlers.get(name)?.(foreign);
      expect(foreign.preventDefault, name).toHaveBeenCalled();
      const lookAlike = navigationEvent('app://tokendeck.evil/index.html');
      contents.handlers.get(name)?.(lookAlike);
      expect(lookAlike.preventDefault, name).toHaveBeenCalled();
      const script = navigationEvent('javascript:alert(1)');
      contents.handlers.get(name)?.(script);
      expect(script.preventDefault, name).toHaveBeenCalled();
      const own = navigationEvent('app://tokendeck/index.html');
      contents.handlers.get(name)?.(own);
      expect(own.preventDefault, name).not.toHaveBeenCalled();
    }
  });

  it('denies every window.open and target=_blank', () => {
    const contents = fakeContents();
    guardWebContents(contents as never);
    expect(contents.windowOpenHandler?.({ url: 'app://tokendeck/index.html' })).toEqual({
      action: 'deny',
    });
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    });
  });
});

describe('permissions (SECURITY 4)', () => {
  it('denies every permission request and check', () => {
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() };
    denyAllPermissions(session as never);
    const requestHandler = session.setPermissionRequestHandler.mock.calls[0]?.[0] as Handler;
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      const callback = vi.fn();
      requestHandler({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
    }
    const checkHandler = session.setPermissionCheckHandler.mock.calls[0]?.[0] as Handler;
    expect(checkHandler({}, 'clipboard-read', 'app://tokendeck', {})).toBe(false);
  });
});

describe('web-contents-created guard', () => {
  beforeEach(() => electron.appOn.mockClear());

  it('refuses webviews and guards every new web contents', () => {
    installWebContentsGuard();
    const [event, listener] = electron.appOn.mock.calls[0] as [string, Handler];
    expect(event).toBe('web-contents-created');
    const contents = fakeContents();
    listener({}, contents);
    const attach = { preventDefault: vi.fn() };
    contents.handlers.get('will-attach-webview')?.(attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
    const navigation = navigationEvent('https://evil.example/');
    contents.handlers.get('will-navigate')?.(navigation);
    expect(navigation.preventDefault).toHaveBeenCalled();
    expect(contents.windowOpenHandler?.({})).toEqual({ action: 'deny' });
  });
});

describe('createMainWindow', () => {
  it('creates the window with the secure preferences and loads the app URL', () => {
    const window = createMainWindow({
      preloadPath: '/out/preload/index.cjs',
      url: 'app://tokendeck/index.html',
      logger: nullLogger,
      logFile: '/data/logs/tokendeck.log',
    }) as unknown as {
      webContents: {
        handlers: Map<string, Handler>;
        windowOpenHandler: Handler;
        session: { setPermissionRequestHandler: ReturnType<typeof vi.fn> };
      };
    };
    const record = electron.created.at(-1);
    expect(record?.options.webPreferences).toEqual(buildWebPreferences('/out/preload/index.cjs'));
    expect(record?.loaded).toEqual(['app://tokendeck/index.html']);
    expect(window.webContents.session.setPermissionRequestHandler).toHaveBeenCalled();
    expect(window.webContents.handlers.has('will-navigate')).toBe(true);
    expect(window.webContents.windowOpenHandler()).toEqual({ action: 'deny' });
    expect(window.webContents.handlers.has('did-fail-load')).toBe(true);
    expect(window.webContents.handlers.has('render-process-gone')).toBe(true);
  });

  it('catches a rejected first load instead of leaving it unhandled', async () => {
    electron.loadResult = () => Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
    const warn = vi.fn();
    try {
      createMainWindow({
        preloadPath: '/out/preload/index.cjs',
        url: 'app://tokendeck/index.html',
        logger: { ...nullLogger, warn },
        logFile: '/data/logs/tokendeck.log',
      });
      await vi.waitFor(() =>
        expect(warn).toHaveBeenCalledWith('window: load failed', expect.anything()),
      );
    } finally {
      electron.loadResult = () => Promise.resolve();
    }
  });
});
