import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Tokendeck keeps its data, shared by the desktop app and the `tokendeck` command.
 *
 * `TOKENDECK_DATA_DIR` wins; otherwise it is the folder Electron's `app.getPath('userData')`
 * gives for an app named {@link APP_NAME}, so that the CLI finds the app's vault by default.
 */
export const APP_NAME = 'Tokendeck';

/**
 * The GraphQL introspection cache, inside the data folder.
 *
 * Not `cache/`: on case-insensitive disks that is Chromium's HTTP `Cache/` folder.
 */
export const INTROSPECTION_CACHE_FOLDER = 'introspection';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.TOKENDECK_DATA_DIR) return env.TOKENDECK_DATA_DIR;
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_NAME);
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
  }
}
