import { Menu, type MenuItemConstructorOptions } from 'electron';

/**
 * The application menu: the standard roles, plus "Install command-line tool…" in the installed
 * app (a clone uses `bin/tokendeck.js` instead). The developer tools are left out of the
 * installed app.
 *
 * macOS: the app, Edit, View, Window and Help menus, with Quit (Cmd+Q) in the app menu. Windows
 * and Linux: File (Close Window, Quit), Edit, View, Window and Help, with About in Help. Closing
 * the window leaves Tokendeck in the tray; Quit ends it.
 */

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  onInstallCommandLineTool(): void;
  /** Opens the data folder (vault, preferences, logs) in the file manager. */
  onShowDataFolder(): void;
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
  const help = (about: MenuItemConstructorOptions[]): MenuItemConstructorOptions => ({
    role: 'help',
    submenu: [
      { label: 'Show Data Folder', click: () => options.onShowDataFolder() },
      ...(about.length ? [{ type: 'separator' } as const, ...about] : []),
    ],
  });
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
      help([]),
    ];
  }
  return [
    {
      label: 'File',
      submenu: [
        ...installCli,
        ...(installCli.length ? [{ type: 'separator' } as const] : []),
        { role: 'close', label: 'Close Window' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    help([{ role: 'about' }]),
  ];
}

export function installAppMenu(options: AppMenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options)));
}
