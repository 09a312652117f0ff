import type { Settings, SettingsPatch } from '../../src-preload/contract';
import { errorMessage, unwrap, type ApiSource } from '../api';
import type { ActionResult, SliceCreator } from './types';

/** The app's preferences, as main keeps them. */
export interface SettingsSlice {
  settings: Settings | null;
  loadSettings(): Promise<void>;
  saveSettings(patch: SettingsPatch): Promise<ActionResult>;
}

export const createSettingsSlice =
  (api: ApiSource): SliceCreator<SettingsSlice> =>
  (set) => ({
    settings: null,

    async loadSettings() {
      try {
        set({ settings: await unwrap(api().getSettings()) });
      } catch {
        // The view shows the defaults' absence as "loading"; the vault gate reports a missing bridge.
      }
    },

    async saveSettings(patch) {
      try {
        set({ settings: await unwrap(api().saveSettings(patch)) });
        return { ok: true };
      } catch (error) {
        return { ok: false, message: errorMessage(error) };
      }
    },
  });
