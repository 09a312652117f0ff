import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayModel } from '../../../src-main/core';
import type { FakeTrayIcon } from './fake-tray';

const electron = vi.hoisted(() => ({ trays: [] as FakeTrayIcon[], empty: false }));

vi.mock('electron', async () => {
  const { fakeTrayClass } = await import('./fake-tray');
  return {
    Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }) },
    nativeImage: {
      createFromPath: (path: string) => ({
        path,
        template: false,
        isEmpty: () => electron.empty,
        setTemplateImage(this: { template: boolean }, on: boolean) {
          this.template = on;
        },
      }),
    },
    Tray: fakeTrayClass(electron),
  };
});

const { createAppTray, trayIconPath, trayMenuTemplate } =
  await import('../../../src-main/electron/tray');

const model: TrayModel = {
  headline: '1 account needs you to sign in again',
  tooltip: 'Tokendeck: 1 account needs you to sign in again',
  providers: [
    {
      id: 'aluma',
      label: 'Aluma & Co',
      accounts: [
        { id: 'a1', label: 'ci-bot', canCopy: true },
        { id: 'a2', label: 'old — sign in again', canCopy: false },
      ],
      more: 3,
    },
  ],
};

function actions() {
  return { copy: vi.fn(), openWindow: vi.fn(), quit: vi.fn() };
}

type Item = MenuItemConstructorOptions;
const sub = (item: Item | undefined) => (item?.submenu ?? []) as Item[];
const click = (item: Item | undefined) =>
  (item?.click as (() => void) | undefined)?.call(undefined);

describe('tray menu', () => {
  it('lists accounts under their provider, with Copy token and Copy as header', () => {
    const act = actions();
    const template = trayMenuTemplate(model, act, 'darwin');
    expect(template.map((item) => item.label ?? item.type)).toEqual([
      '1 account needs you to sign in again',
      'separator',
      'Aluma & Co',
      'separator',
      'Open Tokendeck',
      'Quit Tokendeck',
    ]);
    expect(template[0]?.enabled).toBe(false);
    const accounts = sub(template[2]);
    expect(accounts.map((item) => item.label ?? item.type)).toEqual([
      'ci-bot',
      'old — sign in again',
      'separator',
      '3 more in Tokendeck…',
    ]);
    const [copyToken, copyHeader] = sub(accounts[0]);
    expect([copyToken?.label, copyHeader?.label]).toEqual(['Copy token', 'Copy as header']);
    click(copyToken);
    click(copyHeader);
    expect(act.copy.mock.calls).toEqual([
      ['a1', 'token', 'ci-bot'],
      ['a1', 'header', 'ci-bot'],
    ]);
  });

  it('offers an account that must sign in again the window instead of a copy', () => {
    const act = actions();
    const accounts = sub(trayMenuTemplate(model, act, 'darwin')[2]);
    const items = sub(accounts[1]);
    expect(items.map((item) => item.label)).toEqual(['Sign in again in Tokendeck…']);
    click(items[0]);
    click(accounts[3]);
    expect(act.openWindow).toHaveBeenCalledTimes(2);
    expect(act.copy).not.toHaveBeenCalled();
  });

  it('Open Tokendeck opens the window and Quit quits', () => {
    const act = actions();
    const template = trayMenuTemplate(model, act, 'linux');
    click(template.find((item) => item.label === 'Open Tokendeck'));
    click(template.find((item) => item.label === 'Quit Tokendeck'));
    expect(act.openWindow).toHaveBeenCalledTimes(1);
    expect(act.quit).toHaveBeenCalledTimes(1);
  });

  it('escapes & on Windows and Linux, where it would mark a mnemonic', () => {
    expect(trayMenuTemplate(model, actions(), 'win32')[2]?.label).toBe('Aluma && Co');
    expect(trayMenuTemplate(model, actions(), 'linux')[2]?.label).toBe('Aluma && Co');
  });

  it('has no separator after an empty headline list', () => {
    const quiet = { headline: 'No accounts yet', tooltip: 'Tokendeck', providers: [] };
    expect(trayMenuTemplate(quiet, actions(), 'darwin').map((i) => i.label ?? i.type)).toEqual([
      'No accounts yet',
      'separator',
      'Open Tokendeck',
      'Quit Tokendeck',
    ]);
  });
});

describe('tray icon', () => {
  it('is a template image on macOS and the app icon elsewhere', () => {
    expect(trayIconPath('/res/tray', 'darwin')).toBe('/res/tray/trayTemplate.png');
    expect(trayIconPath('/res/tray', 'win32')).toBe('/res/tray/tray.png');
    expect(trayIconPath('/res/tray', 'linux')).toBe('/res/tray/tray-linux.png');
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    createAppTray({ iconDir: '/res/tray', platform: 'darwin', actions: actions(), logger });
    expect(electron.trays.at(-1)?.image.template).toBe(true);
    createAppTray({ iconDir: '/res/tray', platform: 'linux', actions: actions(), logger });
    expect(electron.trays.at(-1)?.image.template).toBe(false);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('says in the log when the icon file is missing', () => {
    electron.empty = true;
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    createAppTray({ iconDir: '/nowhere', platform: 'linux', actions: actions(), logger });
    electron.empty = false;
    expect(logger.warn).toHaveBeenCalledWith('tray: the icon is missing', { dir: '/nowhere' });
  });

  it('opens the window on a click on Windows only; updates its menu and tooltip', () => {
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const act = actions();
    const tray = createAppTray({ iconDir: '/r', platform: 'win32', actions: act, logger });
    const native = electron.trays.at(-1)!;
    native.handlers.get('click')?.();
    expect(act.openWindow).toHaveBeenCalled();
    tray.update(model);
    expect(native.toolTip).toBe(model.tooltip);
    expect(native.menu?.template[2]?.label).toBe('Aluma && Co');
    tray.destroy();
    expect(native.destroyed).toBe(true);
    tray.update(model);
    tray.destroy();

    createAppTray({ iconDir: '/r', platform: 'darwin', actions: act, logger });
    expect(electron.trays.at(-1)?.handlers.has('click')).toBe(false);
  });
});
