import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { DEFAULT_SETTINGS, type Settings } from '../../../src-main/core/settings-schema';
import type { AccountSummary, CopyResult } from '../../../src-main/core/api';
import { EventBus } from '../../../src-main/core/event-bus';
import { nullLogger } from '../../../src-main/core/log';
import { account } from '../core/desktop/accounts';
import type { FakeTrayIcon } from './fake-tray';

type Item = MenuItemConstructorOptions;

const electron = vi.hoisted(() => ({
  trays: [] as FakeTrayIcon[],
  fails: false,
  notifications: [] as Array<{
    options: { title: string; body: string; silent?: boolean };
    handlers: Map<string, (...args: unknown[]) => void>;
  }>,
  notificationsSupported: true,
  nativeTheme: { themeSource: 'system' as string },
  app: {
    isPackaged: true,
    getLoginItemSettings: vi.fn((_options?: unknown) => ({
      openAtLogin: false,
      wasOpenedAtLogin: false,
    })),
    setLoginItemSettings: vi.fn(),
  },
  setApplicationMenu: vi.fn(),
}));

vi.mock('electron', async () => ({
  Tray: (await import('./fake-tray')).fakeTrayClass(electron),
  app: electron.app,
  nativeTheme: electron.nativeTheme,
  Menu: {
    buildFromTemplate: (template: Item[]) => ({ template }),
    setApplicationMenu: electron.setApplicationMenu,
  },
  nativeImage: {
    createFromPath: () => ({ isEmpty: () => false, setTemplateImage: vi.fn() }),
  },
  Notification: class {
    static isSupported = () => electron.notificationsSupported;
    handlers = new Map<string, (...args: unknown[]) => void>();
    constructor(readonly options: { title: string; body: string }) {}
    on(event: string, handler: (...args: unknown[]) => void) {
      this.handlers.set(event, handler);
    }
    show() {
      electron.notifications.push(this as never);
    }
  },
}));

const { startDesktopShell } = await import('../../../src-main/electron/desktop-shell');
const { createNotifier } = await import('../../../src-main/electron/notifier');
const { createLoginItem, openedAtLogin, OPENED_AT_LOGIN_FLAG } =
  await import('../../../src-main/electron/login-item');
const { appMenuTemplate, INSTALL_CLI_LABEL } = await import('../../../src-main/electron/app-menu');

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const sub = (item: Item | undefined) => (item?.submenu ?? []) as Item[];
const click = (item: Item | undefined) =>
  (item?.click as (() => void) | undefined)?.call(undefined);

function logger() {
  return { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

/** A service stand-in with the real event bus. */
function service(accounts: AccountSummary[], settings: Settings = DEFAULT_SETTINGS) {
  const bus = new EventBus(nullLogger);
  return {
    bus,
    on: bus.on.bind(bus),
    listAccounts: vi.fn(async () => accounts),
    getVaultStatus: vi.fn(async () => ({
      state: 'unlocked' as const,
      path: '/vault.json',
      slots: ['os-keychain' as const],
    })),
    getSettings: vi.fn(async () => settings),
    saveSettings: vi.fn(async () => settings),
    copyToken: vi.fn(async (): Promise<CopyResult> => ({
      expiresAt: null,
      clearsAfterSeconds: 45,
    })),
  };
}

function start(from: ReturnType<typeof service>, log = logger()) {
  const showWindow = vi.fn();
  const quit = vi.fn();
  const shell = startDesktopShell({
    service: from,
    platform: 'linux',
    iconDir: '/icons',
    notifier: createNotifier(log),
    loginItem: null,
    showWindow,
    quit,
    logger: log,
  });
  return { shell, showWindow, quit, log };
}

/** The account's item in the tray menu, under its provider. */
function trayAccount(label: string): Item | undefined {
  const menu = electron.trays.at(-1)?.menu?.template ?? [];
  return menu.flatMap((item) => sub(item)).find((item) => item.label === label);
}

beforeEach(() => {
  electron.trays.length = 0;
  electron.notifications.length = 0;
  electron.fails = false;
  electron.notificationsSupported = true;
  electron.nativeTheme.themeSource = 'system';
});

describe('desktop shell', () => {
  it('fills the tray with the accounts by provider, and its Copy token copies a fresh token', async () => {
    const from = service([account('ci-bot')]);
    const { shell } = start(from);
    expect(shell.hasTray).toBe(true);
    await vi.waitFor(() => expect(trayAccount('ci-bot')).toBeDefined());
    expect(electron.trays[0]?.menu?.template.map((item) => item.label)).toContain('Attendium');

    click(sub(trayAccount('ci-bot')).find((item) => item.label === 'Copy token'));
    await settle();
    expect(from.copyToken).toHaveBeenCalledWith({ accountId: 'ci-bot', format: 'token' });
    expect(electron.notifications.map((n) => n.options)).toEqual([
      {
        title: 'Copied — ci-bot',
        body: 'The clipboard is cleared in 45 s.',
        silent: true,
      },
    ]);
    shell.stop();
  });

  it('a failed copy says why, and a click on the notification opens the window', async () => {
    const from = service([account('ci-bot')]);
    from.copyToken.mockRejectedValue(new Error('The vault is locked.'));
    const { shell, showWindow } = start(from);
    await vi.waitFor(() => expect(trayAccount('ci-bot')).toBeDefined());
    click(sub(trayAccount('ci-bot'))[0]);
    await vi.waitFor(() => expect(electron.notifications).toHaveLength(1));
    expect(electron.notifications[0]?.options.title).toBe('Could not copy ci-bot');
    electron.notifications[0]?.handlers.get('click')?.();
    expect(showWindow).toHaveBeenCalled();
    shell.stop();
  });

  it('notifies once when an account starts needing the user; the click opens the window', async () => {
    const from = service([account('ci-bot')]);
    const { shell, showWindow } = start(from);
    await vi.waitFor(() => expect(trayAccount('ci-bot')).toBeDefined());
    from.bus.emit('accountChanged', account('ci-bot', 'needs-reauth'));
    from.bus.emit('accountChanged', account('ci-bot', 'expired'));
    await settle();
    expect(electron.notifications.map((n) => n.options.title)).toEqual([
      'Sign in to Attendium again',
    ]);
    electron.notifications[0]?.handlers.get('click')?.();
    expect(showWindow).toHaveBeenCalledTimes(1);
    // In the tray, the account now says so and offers the window instead of a copy.
    const menu = () => electron.trays[0]?.menu?.template ?? [];
    await vi.waitFor(() =>
      expect(menu().map((item) => item.label)).toContain('Attendium (1 to sign in again)'),
    );
    const row = sub(menu().find((item) => item.label === 'Attendium (1 to sign in again)'))[0];
    expect(row?.label).toMatch(/^ci-bot — /);
    click(sub(row)[0]);
    expect(sub(row).map((item) => item.label)).toEqual(['Sign in again in Tokendeck…']);
    expect(showWindow).toHaveBeenCalledTimes(2);
    shell.stop();
  });

  it('applies the theme at start and when the settings change', async () => {
    const from = service([], { ...DEFAULT_SETTINGS, theme: 'dark' });
    const { shell } = start(from);
    await vi.waitFor(() => expect(electron.nativeTheme.themeSource).toBe('dark'));
    from.bus.emit('settingsChanged', { ...DEFAULT_SETTINGS, theme: 'light' });
    await vi.waitFor(() => expect(electron.nativeTheme.themeSource).toBe('light'));
    shell.stop();
  });

  it("the tray's Open Tokendeck and Quit reach the app; stop removes the icon", async () => {
    const { shell, showWindow, quit } = start(service([]));
    await vi.waitFor(() => expect(electron.trays[0]?.menu).toBeDefined());
    const items = electron.trays[0]?.menu?.template ?? [];
    click(items.find((item) => item.label === 'Open Tokendeck'));
    click(items.find((item) => item.label === 'Quit Tokendeck'));
    expect(showWindow).toHaveBeenCalledTimes(1);
    expect(quit).toHaveBeenCalledTimes(1);
    shell.stop();
    expect(electron.trays[0]?.destroyed).toBe(true);
    expect(shell.hasTray).toBe(false);
  });

  it('without a tray icon it says so in the log, and closing the window must quit', async () => {
    electron.fails = true;
    const { shell, log } = start(service([account('ci-bot')]));
    expect(shell.hasTray).toBe(false);
    expect(log.warn).toHaveBeenCalledWith(
      expect.stringContaining('could not create the tray icon'),
      expect.any(Object),
    );
    await settle();
    shell.stop();
  });
});

describe('notifier', () => {
  it('shows a notice, and forgets it once closed', () => {
    const onClick = vi.fn();
    createNotifier(nullLogger).show({ title: 'T', body: 'B', silent: true }, onClick);
    expect(electron.notifications[0]?.options).toEqual({ title: 'T', body: 'B', silent: true });
    electron.notifications[0]?.handlers.get('click')?.();
    expect(onClick).toHaveBeenCalled();
  });

  it('logs a failed notification', () => {
    const log = logger();
    createNotifier(log).show({ title: 'T', body: 'B' });
    electron.notifications[0]?.handlers.get('failed')?.({}, 'no daemon');
    expect(log.warn).toHaveBeenCalledWith('a notification failed', { error: 'no daemon' });
  });

  it('where the OS has none, shows nothing and says so in the log once', () => {
    electron.notificationsSupported = false;
    const log = logger();
    const notifier = createNotifier(log);
    notifier.show({ title: 'T', body: 'B' });
    notifier.show({ title: 'T', body: 'B' });
    expect(electron.notifications).toHaveLength(0);
    expect(log.info).toHaveBeenCalledTimes(1);
  });
});

describe('open at login', () => {
  const configHome = mkdtempSync(join(tmpdir(), 'tokendeck-login-'));
  afterAll(() => rmSync(configHome, { recursive: true, force: true }));

  it('is not offered by a development run, which would register the bare Electron binary', () => {
    electron.app.isPackaged = false;
    try {
      expect(createLoginItem('darwin')).toBeNull();
    } finally {
      electron.app.isPackaged = true;
    }
  });

  it("macOS uses Electron's login item", async () => {
    const item = createLoginItem('darwin');
    await item?.setEnabled(true);
    expect(electron.app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true });
    await expect(item?.isEnabled()).resolves.toBe(false);
  });

  it('Windows asks about and sets the same entry, with the at-login flag', async () => {
    const item = createLoginItem('win32');
    await item?.setEnabled(true);
    await item?.isEnabled();
    const args = [OPENED_AT_LOGIN_FLAG];
    expect(electron.app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true, args });
    expect(electron.app.getLoginItemSettings).toHaveBeenLastCalledWith({ args });
  });

  it('Linux writes and removes an XDG autostart entry', async () => {
    vi.stubEnv('XDG_CONFIG_HOME', configHome);
    try {
      const item = createLoginItem('linux');
      await expect(item?.isEnabled()).resolves.toBe(false);
      await item?.setEnabled(true);
      await expect(item?.isEnabled()).resolves.toBe(true);
      await item?.setEnabled(false);
      await expect(item?.isEnabled()).resolves.toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('knows a start at login by its flag, or on macOS by what the OS says', () => {
    expect(openedAtLogin(['tokendeck', OPENED_AT_LOGIN_FLAG], 'linux')).toBe(true);
    expect(openedAtLogin(['tokendeck'], 'linux')).toBe(false);
    electron.app.getLoginItemSettings.mockReturnValueOnce({
      openAtLogin: true,
      wasOpenedAtLogin: true,
    });
    expect(openedAtLogin(['tokendeck'], 'darwin')).toBe(true);
  });
});

describe('application menu', () => {
  const options = (platform: NodeJS.Platform, isPackaged: boolean) => ({
    platform,
    isPackaged,
    onInstallCommandLineTool: vi.fn(),
    onShowDataFolder: vi.fn(),
  });
  const roles = (template: Item[]) =>
    template.flatMap((item) => [item, ...sub(item)]).map((item) => item.role ?? item.label);

  it('macOS: the app menu with Quit, then Edit, View, Window and Help', () => {
    const template = appMenuTemplate(options('darwin', true));
    expect(template.map((item) => item.role ?? item.label)).toEqual([
      'appMenu',
      'editMenu',
      'View',
      'windowMenu',
      'help',
    ]);
    expect(sub(template[0]).map((item) => item.role ?? item.label)).toEqual(
      expect.arrayContaining(['about', INSTALL_CLI_LABEL, 'services', 'hide', 'quit']),
    );
  });

  it('Windows and Linux: File with Close Window and Quit, About under Help', () => {
    const template = appMenuTemplate(options('linux', true));
    expect(sub(template[0]).map((item) => item.role ?? item.label)).toEqual([
      INSTALL_CLI_LABEL,
      undefined,
      'close',
      'quit',
    ]);
    expect(sub(template.at(-1)).map((item) => item.role ?? item.label)).toContain('about');
  });

  it('developer tools and no Install Command-Line Tool only in a development run', () => {
    expect(roles(appMenuTemplate(options('linux', true)))).not.toContain('toggleDevTools');
    const dev = roles(appMenuTemplate(options('linux', false)));
    expect(dev).toContain('toggleDevTools');
    expect(dev).not.toContain(INSTALL_CLI_LABEL);
  });

  it('Show Data Folder and Install Command-Line Tool call the app', () => {
    const opts = options('win32', true);
    const template = appMenuTemplate(opts);
    click(sub(template[0]).find((item) => item.label === INSTALL_CLI_LABEL));
    click(sub(template.at(-1)).find((item) => item.label === 'Show Data Folder'));
    expect(opts.onInstallCommandLineTool).toHaveBeenCalled();
    expect(opts.onShowDataFolder).toHaveBeenCalled();
  });
});
