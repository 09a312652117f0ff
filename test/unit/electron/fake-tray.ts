import type { MenuItemConstructorOptions } from 'electron';

/** What a test sees of one tray icon made through the fake `Tray`. */
export interface FakeTrayIcon {
  image: { template: boolean };
  handlers: Map<string, () => void>;
  toolTip?: string;
  menu?: { template: MenuItemConstructorOptions[] };
  destroyed: boolean;
}

export interface FakeTrayRecord {
  trays: FakeTrayIcon[];
  /** The OS refuses a tray icon (some Linux desktops have no status area). */
  fails?: boolean;
  /** Where `tray.destroy` is written down, for tests of the quit order. */
  calls?: string[];
}

/**
 * A stand-in for Electron's `Tray`, for a `vi.mock('electron')` factory (imported there with
 * `await import`): each icon made is pushed to `record.trays`.
 */
export function fakeTrayClass(record: FakeTrayRecord) {
  return class FakeTray implements FakeTrayIcon {
    handlers = new Map<string, () => void>();
    toolTip?: string;
    menu?: { template: MenuItemConstructorOptions[] };
    destroyed = false;
    constructor(readonly image: { template: boolean }) {
      if (record.fails) throw new Error('no status area');
      record.trays.push(this);
    }
    on(event: string, handler: () => void) {
      this.handlers.set(event, handler);
    }
    setToolTip(text: string) {
      this.toolTip = text;
    }
    setContextMenu(menu: { template: MenuItemConstructorOptions[] }) {
      this.menu = menu;
    }
    isDestroyed() {
      return this.destroyed;
    }
    destroy() {
      this.destroyed = true;
      record.calls?.push('tray.destroy');
    }
  };
}
