import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../src-main/core/log';
import {
  DEFAULT_SETTINGS,
  SETTINGS_FILE,
  SettingsFile,
  settingsPatchSchema,
} from '../../../src-main/core/settings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokendeck-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('settings file', () => {
  it('starts from the defaults: 5 min copy TTL, 45 s clipboard, system theme, not at login', async () => {
    expect(await new SettingsFile(dir, nullLogger).read()).toEqual({
      copyMinTtlSeconds: 300,
      clipboardClearSeconds: 45,
      theme: 'system',
      openAtLogin: false,
    });
  });

  it('saves a change and reads it back in a new instance', async () => {
    await new SettingsFile(dir, nullLogger).save({ clipboardClearSeconds: 10, theme: 'dark' });
    expect(await new SettingsFile(dir, nullLogger).read()).toEqual({
      ...DEFAULT_SETTINGS,
      clipboardClearSeconds: 10,
      theme: 'dark',
    });
  });

  it('moves an unreadable file aside on the next save instead of overwriting it', async () => {
    writeFileSync(join(dir, SETTINGS_FILE), '{ not json');
    const settings = new SettingsFile(dir, nullLogger, () => 1234);
    expect(await settings.read()).toEqual(DEFAULT_SETTINGS);
    await settings.save({ theme: 'light' });
    expect(readdirSync(dir).sort()).toEqual([SETTINGS_FILE, `${SETTINGS_FILE}.unreadable-1234`]);
    expect(readFileSync(join(dir, `${SETTINGS_FILE}.unreadable-1234`), 'utf8')).toBe('{ not json');
  });

  it('refuses out-of-range and unknown values', () => {
    expect(settingsPatchSchema.safeParse({ clipboardClearSeconds: -1 }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ theme: 'neon' }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ other: 1 }).success).toBe(false);
  });
});
