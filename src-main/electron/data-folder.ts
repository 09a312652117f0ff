import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The data folder, made private before anything writes into it, and kept apart from Chromium.
 *
 * Files are 0600 and folders 0700 where the OS has modes (SECURITY 26). electron-store would
 * otherwise create the folder 0755 and `settings.json` 0644 (the usual umask) before the service
 * could tighten them, so main calls {@link prepareDataFolder} first, before `ready`.
 *
 * Chromium keeps its session data (`Cache/`, `Code Cache/`, `GPUCache/`, `Preferences`, …) in
 * Electron's `sessionData` path, which defaults to the data folder itself. On the case-insensitive
 * disks that macOS and Windows use by default, its `Cache/` would be the same folder as any
 * `cache/` of ours, and every Chromium write would wake the data-folder watcher, so main points
 * `sessionData` at {@link CHROMIUM_FOLDER} instead.
 */

/** The subfolder that holds Chromium's session data. */
export const CHROMIUM_FOLDER = 'chromium';

/** electron-store's file, in the data folder. */
export const SETTINGS_FILE = 'settings.json';

/** Owner-only modes (SECURITY 26). */
export const FOLDER_MODE = 0o700;
export const FILE_MODE = 0o600;

/**
 * Creates the data folder and Chromium's subfolder 0700, and tightens a folder or `settings.json` left wider by an earlier
 * version. Windows has no such modes; there the folder is only created.
 */
export function prepareDataFolder(
  dataDir: string,
  platform: NodeJS.Platform = process.platform,
): void {
  mkdirSync(dataDir, { recursive: true, mode: FOLDER_MODE });
  // Electron's setPath refuses a folder that does not exist yet.
  mkdirSync(chromiumSessionDir(dataDir), { recursive: true, mode: FOLDER_MODE });
  if (platform === 'win32') return;
  chmodSync(dataDir, FOLDER_MODE);
  const settings = join(dataDir, SETTINGS_FILE);
  if (existsSync(settings)) chmodSync(settings, FILE_MODE);
}

/** Where Chromium's session data goes for this data folder. */
export function chromiumSessionDir(dataDir: string): string {
  return join(dataDir, CHROMIUM_FOLDER);
}
