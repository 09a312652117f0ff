import { mkdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { TokendeckError } from '../errors';
import { errnoOf, writeFileAtomic } from '../vault';
import type { LoginItem } from './settings-effects';

/**
 * Opening at login on Linux desktops: an XDG autostart entry (`~/.config/autostart/*.desktop`,
 * the freedesktop.org Desktop Application Autostart Specification), which GNOME, KDE, Xfce and
 * the others read at login. Electron's login item calls do nothing on Linux.
 */

/** `$XDG_CONFIG_HOME/autostart/<name>.desktop`, `~/.config/autostart/` when that is unset. */
export function autostartPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  const config = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, 'autostart', `${name}.desktop`);
}

const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * One argument of an Exec line (Desktop Entry Specification, "The Exec key"): quoted when it
 * holds a reserved character, with `"`, `` ` ``, `$` and `\` escaped inside the quotes; then the
 * string-value escaping doubles every backslash, and `%` becomes `%%` (no field code).
 */
export function execArgument(arg: string): string {
  if (/[\n\r\0]/.test(arg)) {
    throw new TokendeckError('invalid_input', 'A path with a line break cannot start at login.');
  }
  const quoted = RESERVED.test(arg) ? `"${arg.replace(/["`$\\]/g, '\\$&')}"` : arg;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

/** The autostart entry that runs `command` (the executable, then its arguments). */
export function autostartEntry(appName: string, command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${appName}`,
    `Comment=Keeps your OAuth tokens fresh; starts in the tray`,
    `Exec=${command.map(execArgument).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

async function readEntry(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}

/** Whether an entry starts at login: present, and not turned off (`Hidden=true`). */
function isActive(entry: string): boolean {
  return (
    !/^Hidden\s*=\s*true\s*$/m.test(entry) &&
    !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(entry)
  );
}

/**
 * The login item over an autostart entry at `path` that runs `command`.
 *
 * Turning it off removes the entry (only ever our own file, by its fixed name); an entry the
 * desktop turned off stays off until the user turns it on again in Settings.
 */
export function createXdgAutostart(options: {
  path: string;
  appName: string;
  command: readonly string[];
}): LoginItem {
  const entry = autostartEntry(options.appName, options.command);
  const write = async () => {
    await mkdir(dirname(options.path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(options.path, Buffer.from(entry));
  };
  return {
    async isEnabled() {
      const current = await readEntry(options.path);
      return current !== null && isActive(current);
    },
    async setEnabled(enabled) {
      if (enabled) await write();
      else await rm(options.path, { force: true });
    },
    async renew() {
      const current = await readEntry(options.path);
      if (current !== null && isActive(current) && current !== entry) await write();
    },
  };
}
