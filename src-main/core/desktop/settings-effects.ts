import type { ServiceEventSource } from '../api';
import type { Logger } from '../log';
import type { Settings, SettingsPatch } from '../settings-schema';

/** Whether the app opens when the user logs in, as the OS keeps it. */
export interface LoginItem {
  isEnabled(): Promise<boolean>;
  setEnabled(enabled: boolean): Promise<void>;
  /** Points an existing entry at this copy of the app (a moved or replaced AppImage). */
  renew?(): Promise<void>;
}

export interface SettingsSource extends ServiceEventSource {
  getSettings(): Promise<Settings>;
  saveSettings(patch: SettingsPatch): Promise<Settings>;
}

export interface SettingsEffects {
  applyTheme(theme: Settings['theme']): void;
  /** Null where the OS has no login items Tokendeck can set. */
  loginItem: LoginItem | null;
  logger: Logger;
}

/**
 * Applies the desktop preferences to the OS: the theme, and opening at login. At start and after
 * every save.
 *
 * At start the OS has the last word on opening at login: someone who removed Tokendeck from the
 * OS's login items finds the toggle off, and Tokendeck does not add itself back. After a save
 * the setting goes to the OS, and a change the OS did not take is logged. Failures never throw.
 * Returns the function that stops following.
 */
export async function followSettings(
  source: SettingsSource,
  effects: SettingsEffects,
): Promise<() => void> {
  const { loginItem, logger } = effects;
  let atLogin: boolean | null = null;
  let work = Promise.resolve();

  const apply = async (settings: Settings) => {
    effects.applyTheme(settings.theme);
    if (!loginItem || atLogin === null || settings.openAtLogin === atLogin) return;
    await loginItem.setEnabled(settings.openAtLogin);
    atLogin = await loginItem.isEnabled();
    if (atLogin !== settings.openAtLogin) {
      logger.warn('the OS did not take the open-at-login change', { wanted: settings.openAtLogin });
    }
  };
  const queue = (step: () => Promise<void>) => {
    work = work.then(step).catch((error: unknown) => {
      logger.warn('could not apply the desktop preferences', { error });
    });
    return work;
  };

  const stop = source.on('settingsChanged', (settings) => void queue(() => apply(settings)));
  await queue(async () => {
    const settings = await source.getSettings();
    effects.applyTheme(settings.theme);
    if (!loginItem) return;
    atLogin = await loginItem.isEnabled();
    if (atLogin !== settings.openAtLogin) {
      logger.info('open at login follows the OS', { openAtLogin: atLogin });
      await source.saveSettings({ openAtLogin: atLogin });
    } else if (atLogin) {
      await loginItem.renew?.();
    }
  });
  return stop;
}
