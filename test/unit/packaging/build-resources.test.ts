import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signingPlan } from '../../../scripts/signing';

const root = resolve(import.meta.dirname, '../../..');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(path: string): { width: number; height: number } {
  const data = readFileSync(path);
  expect(data.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(data.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('the icon', () => {
  it('has its SVG source and the generated 1024 and 512 pixel PNGs', () => {
    expect(readFileSync(join(root, 'build', 'icon.svg'), 'utf8')).toContain('<svg');
    expect(pngSize(join(root, 'build', 'icon.png'))).toEqual({ width: 1024, height: 1024 });
    expect(pngSize(join(root, 'build', 'icons', '512x512.png'))).toEqual({
      width: 512,
      height: 512,
    });
  });
});

describe('the tray icons', () => {
  it('has a 16 and 32 pixel macOS template, and the app icon at 16, 32 and 32 for Linux', () => {
    const tray = (name: string) => pngSize(join(root, 'build', 'tray', name));
    expect(readFileSync(join(root, 'build', 'tray.svg'), 'utf8')).toContain('<svg');
    expect(tray('trayTemplate.png')).toEqual({ width: 16, height: 16 });
    expect(tray('trayTemplate@2x.png')).toEqual({ width: 32, height: 32 });
    expect(tray('tray.png')).toEqual({ width: 16, height: 16 });
    expect(tray('tray@2x.png')).toEqual({ width: 32, height: 32 });
    expect(tray('tray-linux.png')).toEqual({ width: 32, height: 32 });
  });
});

describe('signing and notarisation', () => {
  it('macOS: with nothing set, signing is skipped in one line and no identity is guessed', () => {
    expect(signingPlan({}, 'darwin')).toEqual({
      notes: [expect.stringMatching(/^Signing skipped: set CSC_LINK/)],
      env: { CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
    });
  });

  it('macOS: a certificate without Apple credentials signs, and says notarisation is skipped', () => {
    expect(signingPlan({ CSC_LINK: 'x', CSC_KEY_PASSWORD: 'y' }, 'darwin')).toEqual({
      notes: [expect.stringMatching(/^Notarisation skipped: set APPLE_API_KEY/)],
      env: {},
    });
    const full = {
      CSC_LINK: 'x',
      APPLE_API_KEY: 'k',
      APPLE_API_KEY_ID: 'i',
      APPLE_API_ISSUER: 's',
    };
    expect(signingPlan(full, 'darwin')).toEqual({ notes: [], env: {} });
    expect(signingPlan({ ...full, APPLE_API_ISSUER: ' ' }, 'darwin').notes).toHaveLength(1);
  });

  it('Windows: signs with WIN_CSC_LINK or CSC_LINK, else one line', () => {
    expect(signingPlan({}, 'win32').notes).toEqual([
      expect.stringMatching(/^Signing skipped: set WIN_CSC_LINK/),
    ]);
    expect(signingPlan({ WIN_CSC_LINK: 'x' }, 'win32').notes).toEqual([]);
    expect(signingPlan({}, 'linux')).toEqual({ notes: [], env: {} });
  });
});
