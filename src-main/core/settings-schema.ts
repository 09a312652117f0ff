import { z } from 'zod';

/**
 * The app's preferences: nothing secret, kept in `preferences.json` in the data folder.
 *
 * - `copyMinTtlSeconds`: Copy hands out a token with at least this long left, renewing first
 *   when it has less (default 5 minutes);
 * - `clipboardClearSeconds`: a copied token is cleared from the clipboard after this long
 *   (default 45 s; 0 keeps it until quit);
 * - `theme`: system, light or dark;
 * - `openAtLogin`: the desktop app starts when the user logs in, in the tray (default off).
 */
export const THEMES = ['system', 'light', 'dark'] as const;

export const settingsSchema = z.strictObject({
  copyMinTtlSeconds: z.number().int().min(0).max(86_400).default(300),
  clipboardClearSeconds: z.number().int().min(0).max(3_600).default(45),
  theme: z.enum(THEMES).default('system'),
  openAtLogin: z.boolean().default(false),
});

/** A change to some settings; the rest stay as they are. */
export const settingsPatchSchema = z.strictObject({
  copyMinTtlSeconds: z.number().int().min(0).max(86_400).optional(),
  clipboardClearSeconds: z.number().int().min(0).max(3_600).optional(),
  theme: z.enum(THEMES).optional(),
  openAtLogin: z.boolean().optional(),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});
