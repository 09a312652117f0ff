import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followSettings, type LoginItem } from '../../../../src-main/core/desktop';
import { EventBus } from '../../../../src-main/core/event-bus';
import { nullLogger } from '../../../../src-main/core/log';
import { SettingsFile, type SettingsPatch } from '../../../../src-main/core/settings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokendeck-effects-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The service's settings calls over a real preferences file, with its event. */
function settingsSource() {
  const file = new SettingsFile(dir, nullLogger);
  const bus = new EventBus(nullLogger);
  return {
    file,
    on: bus.on.bind(bus),
    getSettings: () => file.read(),
    async saveSettings(patch: SettingsPatch) {
      const saved = await file.save(patch);
      bus.emit('settingsChanged', saved);
      return saved;
    },
  };
}

/** A login item the OS keeps in memory; `refuse` plays an OS that does not take the change. */
function osLoginItem(enabled = false, refuse = false) {
  const state = { enabled };
  const item: LoginItem & { state: typeof state } = {
    state,
    isEnabled: vi.fn(async () => state.enabled),
    setEnabled: vi.fn(async (on: boolean) => {
      if (!refuse) state.enabled = on;
    }),
    renew: vi.fn(async () => undefined),
  };
  return item;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('desktop preferences', () => {
  it('applies the saved theme at start and every theme saved after', async () => {
    const source = settingsSource();
    await source.file.save({ theme: 'dark' });
    const applyTheme = vi.fn();
    const stop = await followSettings(source, { applyTheme, loginItem: null, logger: nullLogger });
    expect(applyTheme).toHaveBeenLastCalledWith('dark');
    await source.saveSettings({ theme: 'light' });
    await settle();
    expect(applyTheme).toHaveBeenLastCalledWith('light');
    stop();
    await source.saveSettings({ theme: 'system' });
    await settle();
    expect(applyTheme).toHaveBeenLastCalledWith('light');
  });

  it('turns opening at login on and off in the OS when the setting is saved', async () => {
    const source = settingsSource();
    const loginItem = osLoginItem(false);
    await followSettings(source, { applyTheme: vi.fn(), loginItem, logger: nullLogger });
    expect(loginItem.setEnabled).not.toHaveBeenCalled();
    await source.saveSettings({ openAtLogin: true });
    await settle();
    expect(loginItem.state.enabled).toBe(true);
    await source.saveSettings({ theme: 'dark' });
    await settle();
    expect(loginItem.setEnabled).toHaveBeenCalledTimes(1);
    await source.saveSettings({ openAtLogin: false });
    await settle();
    expect(loginItem.state.enabled).toBe(false);
  });

  it('at start, takes the OS’s word: removed from the login items means the toggle is off', async () => {
    const source = settingsSource();
    await source.file.save({ openAtLogin: true });
    const loginItem = osLoginItem(false);
    await followSettings(source, { applyTheme: vi.fn(), loginItem, logger: nullLogger });
    expect(loginItem.setEnabled).not.toHaveBeenCalled();
    expect((await source.getSettings()).openAtLogin).toBe(false);
  });

  it('at start, brings an entry that is on up to date (a moved AppImage)', async () => {
    const source = settingsSource();
    await source.file.save({ openAtLogin: true });
    const loginItem = osLoginItem(true);
    await followSettings(source, { applyTheme: vi.fn(), loginItem, logger: nullLogger });
    expect(loginItem.renew).toHaveBeenCalled();
    expect((await source.getSettings()).openAtLogin).toBe(true);
  });

  it('logs an OS that did not take the change, and a failing OS call, without throwing', async () => {
    const source = settingsSource();
    const warn = vi.fn();
    const loginItem = osLoginItem(false, true);
    await followSettings(source, {
      applyTheme: vi.fn(),
      loginItem,
      logger: { ...nullLogger, warn },
    });
    await source.saveSettings({ openAtLogin: true });
    await settle();
    expect(warn).toHaveBeenCalledWith('the OS did not take the open-at-login change', {
      wanted: true,
    });

    vi.mocked(loginItem.setEnabled).mockRejectedValueOnce(new Error('registry locked'));
    await source.saveSettings({ openAtLogin: false });
    await source.saveSettings({ openAtLogin: true });
    await settle();
    expect(warn).toHaveBeenCalledWith('could not apply the desktop preferences', {
      error: expect.any(Error),
    });
  });
});
