import { app } from 'electron';
import { APP_NAME, autostartPath, createXdgAutostart, type LoginItem } from '../core';

/**
 * Opening at login, by the OS's own means: Electron's login item on macOS and Windows, an XDG
 * autostart entry on Linux (Electron's call does nothing there).
 *
 * Only the installed app registers itself: a development run would register the bare Electron
 * binary, so it gets none. The app started at login carries {@link OPENED_AT_LOGIN_FLAG} (on
 * macOS the OS says so instead) and then starts in the tray, without a window.
 */

export const OPENED_AT_LOGIN_FLAG = '--opened-at-login';

export function createLoginItem(platform: NodeJS.Platform = process.platform): LoginItem | null {
  if (!app.isPackaged) return null;
  switch (platform) {
    case 'darwin':
      return {
        isEnabled: async () => app.getLoginItemSettings().openAtLogin,
        setEnabled: async (openAtLogin) => app.setLoginItemSettings({ openAtLogin }),
      };
    case 'win32': {
      // The same arguments on both calls, or Windows' answer is about another entry.
      const args = [OPENED_AT_LOGIN_FLAG];
      return {
        isEnabled: async () => app.getLoginItemSettings({ args }).openAtLogin,
        setEnabled: async (openAtLogin) => app.setLoginItemSettings({ openAtLogin, args }),
      };
    }
    case 'linux':
      return createXdgAutostart({
        path: autostartPath(APP_NAME.toLowerCase()),
        appName: APP_NAME,
        // An AppImage runs from a temporary mount; APPIMAGE is the file the user keeps.
        command: [process.env.APPIMAGE ?? process.execPath, OPENED_AT_LOGIN_FLAG],
      });
    default:
      return null;
  }
}

/** True when the OS started this instance at login. */
export function openedAtLogin(
  argv: readonly string[],
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (argv.includes(OPENED_AT_LOGIN_FLAG)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
