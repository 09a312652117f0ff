import { posix, win32 } from 'node:path';

/**
 * Where "Install command-line tool…" puts the `tokendeck` launcher, per OS. Pure: the effects
 * are in launcher-install.ts.
 *
 * - macOS: a symlink `/usr/local/bin/tokendeck` to the launcher script inside the app bundle,
 *   made with the administrator's rights when the folder is not writable.
 * - Windows: the folder of `tokendeck.cmd` inside the installation, added to the user's PATH.
 * - Linux: `~/.local/bin/tokendeck`, a symlink to the launcher in the installation; for an
 *   AppImage, whose files live in a new temporary mount each run, a small script that runs the
 *   AppImage file itself.
 */

export type LauncherPlan =
  | { kind: 'symlink'; link: string; target: string; elevateIfNeeded: boolean }
  | { kind: 'script'; path: string; content: string }
  | { kind: 'user-path'; dir: string };

export interface LauncherContext {
  platform: NodeJS.Platform;
  /** `process.resourcesPath`: the installation's `resources` folder. */
  resourcesPath: string;
  home: string;
  env: NodeJS.ProcessEnv;
}

export const LAUNCHER_NAME = 'tokendeck';
const MAC_BIN_DIR = '/usr/local/bin';

export function planLauncher(context: LauncherContext): LauncherPlan {
  switch (context.platform) {
    case 'darwin':
      return {
        kind: 'symlink',
        link: posix.join(MAC_BIN_DIR, LAUNCHER_NAME),
        target: posix.join(context.resourcesPath, 'bin', LAUNCHER_NAME),
        elevateIfNeeded: true,
      };
    case 'win32':
      return { kind: 'user-path', dir: win32.join(context.resourcesPath, 'bin') };
    default: {
      const link = posix.join(context.home, '.local', 'bin', LAUNCHER_NAME);
      const appImage = context.env.APPIMAGE;
      return appImage
        ? { kind: 'script', path: link, content: appImageLauncher(appImage) }
        : {
            kind: 'symlink',
            link,
            target: posix.join(context.resourcesPath, 'bin', LAUNCHER_NAME),
            elevateIfNeeded: false,
          };
    }
  }
}

/** Quotes a string for a POSIX shell. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The Linux launcher for an AppImage: the same switches as build/cli/tokendeck. */
export function appImageLauncher(appImage: string): string {
  return [
    '#!/bin/sh',
    '# tokendeck: installed by the Tokendeck app ("Install command-line tool…").',
    '# Runs the AppImage in its headless command-line mode.',
    'if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then',
    `  exec ${shellQuote(appImage)} --tokendeck-cli --ozone-platform=headless -- "$@"`,
    'fi',
    `exec ${shellQuote(appImage)} --tokendeck-cli -- "$@"`,
    '',
  ].join('\n');
}

/**
 * The AppleScript that makes the macOS symlink with the administrator's rights (the system asks
 * for them). Every path is quoted for the shell, and the command for AppleScript.
 */
export function elevatedSymlinkScript(link: string, target: string): string {
  const command = `mkdir -p ${shellQuote(posix.dirname(link))} && ln -sfn ${shellQuote(target)} ${shellQuote(link)}`;
  const quoted = command.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
  return `do shell script "${quoted}" with administrator privileges`;
}

function normalizeWindowsDir(entry: string): string {
  return entry
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .replace(/[\\/]+$/, '')
    .toLowerCase();
}

/**
 * The user's PATH with `dir` appended, or null when it is already there (in any case, quoted
 * or with a trailing backslash). Every other entry, `%VARIABLE%` forms included, is kept as is.
 */
export function withUserPathEntry(current: string, dir: string): string | null {
  const entries = current.split(';').filter((entry) => entry.trim() !== '');
  const wanted = normalizeWindowsDir(dir);
  if (entries.some((entry) => normalizeWindowsDir(entry) === wanted)) return null;
  return [...entries, dir].join(';');
}

/** True when `dir` is one of the folders of a POSIX `PATH`. */
export function isOnPosixPath(dir: string, path: string | undefined): boolean {
  const wanted = posix.normalize(dir).replace(/\/+$/, '');
  return (path ?? '')
    .split(':')
    .some((entry) => entry !== '' && posix.normalize(entry).replace(/\/+$/, '') === wanted);
}
