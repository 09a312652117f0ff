import { join } from 'node:path';
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { CopyFormat, Logger, TrayModel } from '../core';

/**
 * The tray icon (the menu bar on macOS) and its menu, built from the core's {@link TrayModel}.
 *
 * Each account has Copy token and Copy as header, through the same service call as the window's
 * Copy (a fresh token with the Settings' minimum lifetime, cleared by the clipboard guard). An
 * account that must sign in again offers to open Tokendeck instead. Open Tokendeck and Quit end
 * the menu. On Windows a click on the icon opens the window, as Windows users expect; on macOS
 * and Linux a click opens the menu.
 */

export interface TrayActions {
  copy(accountId: string, format: CopyFormat, label: string): void;
  openWindow(): void;
  quit(): void;
}

/** The icon file in `dir` (see build/tray): a template image on macOS, the app icon elsewhere. */
export function trayIconPath(dir: string, platform: NodeJS.Platform): string {
  const name =
    platform === 'darwin'
      ? 'trayTemplate.png'
      : platform === 'win32'
        ? 'tray.png'
        : 'tray-linux.png';
  return join(dir, name);
}

/** Windows and Linux read `&` in a menu label as a keyboard mnemonic; `&&` is a literal one. */
function menuLabel(text: string, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? text : text.replaceAll('&', '&&');
}

export function trayMenuTemplate(
  model: TrayModel,
  actions: TrayActions,
  platform: NodeJS.Platform,
): MenuItemConstructorOptions[] {
  const label = (text: string) => menuLabel(text, platform);
  const providers = model.providers.map((provider): MenuItemConstructorOptions => ({
    label: label(provider.label),
    submenu: [
      ...provider.accounts.map((account): MenuItemConstructorOptions => ({
        label: label(account.label),
        submenu: account.canCopy
          ? [
              {
                label: 'Copy token',
                click: () => actions.copy(account.id, 'token', account.label),
              },
              {
                label: 'Copy as header',
                click: () => actions.copy(account.id, 'header', account.label),
              },
            ]
          : [{ label: 'Sign in again in Tokendeck…', click: () => actions.openWindow() }],
      })),
      ...(provider.more > 0
        ? [
            { type: 'separator' } as const,
            { label: `${provider.more} more in Tokendeck…`, click: () => actions.openWindow() },
          ]
        : []),
    ],
  }));
  return [
    ...(model.headline ? [{ label: label(model.headline), enabled: false }] : []),
    ...(model.headline && providers.length ? [{ type: 'separator' } as const] : []),
    ...providers,
    { type: 'separator' },
    { label: 'Open Tokendeck', click: () => actions.openWindow() },
    { label: 'Quit Tokendeck', click: () => actions.quit() },
  ];
}

export interface AppTray {
  update(model: TrayModel): void;
  destroy(): void;
}

export function createAppTray(options: {
  iconDir: string;
  platform: NodeJS.Platform;
  actions: TrayActions;
  logger: Logger;
}): AppTray {
  const { platform, actions } = options;
  const image = nativeImage.createFromPath(trayIconPath(options.iconDir, platform));
  if (image.isEmpty()) {
    options.logger.warn('tray: the icon is missing', { dir: options.iconDir });
  }
  if (platform === 'darwin') image.setTemplateImage(true);
  const tray = new Tray(image);
  if (platform === 'win32') tray.on('click', () => actions.openWindow());
  return {
    update(model) {
      if (tray.isDestroyed()) return;
      tray.setToolTip(model.tooltip);
      tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(model, actions, platform)));
    },
    destroy() {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
