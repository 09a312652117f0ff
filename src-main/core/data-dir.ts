import { mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { TokendeckError } from './errors';

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

/** Virtual file systems: a data folder cannot live there, and making one there may never end. */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev'];

/**
 * Makes sure the data folder exists and is a folder (made 0700), or says plainly why it cannot
 * be used, naming the path: a file in the way, no permission, a read-only or virtual file system.
 */
export function ensureDataDir(path: string): void {
  const folder = resolve(path);
  const virtual = VIRTUAL_ROOTS.some((root) => folder === root || folder.startsWith(`${root}/`));
  if (process.platform !== 'win32' && virtual) {
    throw unusable(folder, 'it is on a virtual file system');
  }
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!statSync(folder).isDirectory()) throw unusable(folder, 'it is not a folder');
  } catch (error) {
    if (error instanceof TokendeckError) throw error;
    throw unusable(folder, fsProblem(error), error);
  }
}

/** A file-system failure in plain words, with its errno: "permission denied (EACCES)". */
export function fsProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a file stands where a folder should be',
    EEXIST: 'a file stands where a folder should be',
    EISDIR: 'a folder stands where a file should be',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    ENOENT: 'it does not exist',
    ELOOP: 'it is a loop of symbolic links',
  };
  if (!code) return error instanceof Error ? error.message : String(error);
  return `${words[code] ?? 'it cannot be used'} (${code})`;
}

function unusable(path: string, why: string, cause?: unknown): TokendeckError {
  return new TokendeckError('invalid_input', `The data folder ${path} cannot be used: ${why}.`, {
    cause,
    details: { path, reason: why },
  });
}
