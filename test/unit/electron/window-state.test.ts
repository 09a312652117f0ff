import { describe, expect, it, vi } from 'vitest';
import { visibleBounds } from '../../../src-main/electron/window-bounds';

const stores = vi.hoisted(() => ({
  options: [] as Array<Record<string, unknown>>,
  data: new Map(),
}));

vi.mock('electron-store', () => ({
  default: class FakeStore {
    constructor(options: Record<string, unknown>) {
      stores.options.push(options);
    }
    get(key: string) {
      return stores.data.get(key) ?? {};
    }
    set(key: string, value: unknown) {
      stores.data.set(key, value);
    }
  },
}));

const { createWindowStateStore, rememberWindowState } =
  await import('../../../src-main/electron/window-state');

const screen = { x: 0, y: 0, width: 1920, height: 1080 };

describe('window bounds', () => {
  it('keeps bounds that are on a screen', () => {
    const bounds = { x: 100, y: 100, width: 900, height: 600 };
    expect(visibleBounds(bounds, [screen])).toEqual(bounds);
  });

  it('drops bounds left on a monitor that is gone, or barely visible', () => {
    expect(visibleBounds({ x: 2500, y: 100, width: 900, height: 600 }, [screen])).toBeUndefined();
    expect(visibleBounds({ x: 1850, y: 100, width: 900, height: 600 }, [screen])).toBeUndefined();
    expect(visibleBounds(undefined, [screen])).toBeUndefined();
  });

  it('accepts a second monitor to the left', () => {
    const left = { x: -1280, y: 0, width: 1280, height: 1024 };
    const bounds = { x: -1000, y: 200, width: 800, height: 600 };
    expect(visibleBounds(bounds, [screen, left])).toEqual(bounds);
  });
});

describe('window state store', () => {
  it('keeps settings.json in the data folder, apart from the vault, with a schema', () => {
    const store = createWindowStateStore('/data/dir');
    expect(stores.options.at(-1)).toMatchObject({
      name: 'settings',
      cwd: '/data/dir',
      clearInvalidConfig: true,
    });
    store.write({ bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: true });
    expect(store.read()).toEqual({ bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: true });
  });

  it('saves the normal bounds and the maximized flag when the window closes', () => {
    const handlers = new Map<string, () => void>();
    const window = {
      on: (event: string, handler: () => void) => handlers.set(event, handler),
      getNormalBounds: () => ({ x: 5, y: 6, width: 700, height: 500 }),
      isMaximized: () => true,
    };
    const write = vi.fn();
    rememberWindowState(window as never, { read: () => ({}), write });
    handlers.get('close')?.();
    expect(write).toHaveBeenCalledWith({
      bounds: { x: 5, y: 6, width: 700, height: 500 },
      maximized: true,
    });
  });
});
