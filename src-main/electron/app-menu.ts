import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The application menu: the standard roles, plus "Install command-line tool…" in the installed
 * app (a clone uses `bin/tokendeck.js` instead). The developer tools are left out of the
 * installed app.
 */

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  onInstallCommandLineTool(): void;
}

export const INSTALL_CLI_LABEL = 'Install Command-Line Tool…';

export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const installCli: MenuItemConstructorOptions[] = options.isPackaged
    ? [{ label: INSTALL_CLI_LABEL, click: () => options.onInstallCommandLineTool() }]
    : [];
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(options.isPackaged ? [] : [{ role: 'toggleDevTools' } as const]),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  if (options.platform === 'darwin') {
    return [
      {
        role: 'appMenu',
        submenu: [
          { role: 'about' },
          { type: 'separator' },
          ...installCli,
          { type: 'separator' },
          { role: 'services' },
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { role: 'unhide' },
          { type: 'separator' },
          { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      view,
      { role: 'windowMenu' },
    ];
  }
  return [
    {
      label: 'File',
      submenu: [
        ...installCli,
        ...(installCli.length ? [{ type: 'separator' } as const] : []),
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
  ];
}

export function installAppMenu(options: AppMenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options)));
}
