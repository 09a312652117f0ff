import Store from 'electron-store';
import type { BrowserWindow, Rectangle } from 'electron';
import { FILE_MODE } from './data-folder';

/**
 * Where the main window was, kept across launches in a small non-secret settings file.
 *
 * electron-store writes `settings.json` in the data folder, beside (never inside) the vault,
 * owner-only like every file there (SECURITY 26). Nothing secret goes here. Call
 * `prepareDataFolder` first: electron-store would create a missing folder world-readable.
 */

export interface WindowState {
  bounds?: Rectangle;
  maximized?: boolean;
}

export interface WindowStateStore {
  read(): WindowState;
  write(state: WindowState): void;
}

const rectangleSchema = {
  type: 'object',
  properties: {
    x: { type: 'integer' },
    y: { type: 'integer' },
    width: { type: 'integer', minimum: 1 },
    height: { type: 'integer', minimum: 1 },
  },
  required: ['x', 'y', 'width', 'height'],
} as const;

/** The settings file in `dataDir`; an unreadable one is replaced by defaults (it holds no data). */
export function createWindowStateStore(dataDir: string): WindowStateStore {
  const store = new Store<{ window: WindowState }>({
    name: 'settings',
    cwd: dataDir,
    clearInvalidConfig: true,
    configFileMode: FILE_MODE,
    defaults: { window: {} },
    schema: {
      window: {
        type: 'object',
        properties: { bounds: rectangleSchema, maximized: { type: 'boolean' } },
      },
    },
  });
  return {
    read: () => store.get('window'),
    write: (state) => store.set('window', state),
  };
}

/** Saves the window's normal (unmaximized) bounds and maximized flag when it closes. */
export function rememberWindowState(window: BrowserWindow, store: WindowStateStore): void {
  window.on('close', () => {
    store.write({ bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  });
}
