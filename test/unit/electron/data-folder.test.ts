import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({
  default: {
    app: { getPath: () => tmpdir(), getVersion: () => '1.2.3' },
    ipcMain: { on: vi.fn() },
  },
}));

const { CHROMIUM_FOLDER, chromiumSessionDir, prepareDataFolder } =
  await import('../../../src-main/electron/data-folder');
const { createWindowStateStore } = await import('../../../src-main/electron/window-state');
const { INTROSPECTION_CACHE_FOLDER } = await import('../../../src-main/core/data-dir');

const posix = process.platform !== 'win32';
const mode = (path: string) => statSync(path).mode & 0o777;
const roots: string[] = [];

function scratch(): string {
  const root = mkdtempSync(join(tmpdir(), 'tokendeck-data-folder-'));
  roots.push(root);
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('the data folder (SECURITY 26)', () => {
  it.runIf(posix)('is 0700 with settings.json 0600, as electron-store really writes it', () => {
    const dataDir = join(scratch(), 'Tokendeck');
    const umask = process.umask(0o022);
    try {
      prepareDataFolder(dataDir);
      createWindowStateStore(dataDir).write({ maximized: true });
    } finally {
      process.umask(umask);
    }
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'settings.json'))).toBe(0o600);
    expect(mode(chromiumSessionDir(dataDir))).toBe(0o700);
  });

  it.runIf(posix)('tightens a folder and a settings file left wider by an earlier version', () => {
    const dataDir = join(scratch(), 'Tokendeck');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(join(dataDir, 'settings.json'), '{}', { mode: 0o644 });
    chmodSync(join(dataDir, 'settings.json'), 0o644);
    prepareDataFolder(dataDir);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'settings.json'))).toBe(0o600);
  });

  it('leaves modes alone on Windows, which has none, and still creates the folder', () => {
    const dataDir = join(scratch(), 'Tokendeck');
    prepareDataFolder(dataDir, 'win32');
    expect(readdirSync(dataDir)).toEqual([CHROMIUM_FOLDER]);
  });
});

describe("Chromium's files", () => {
  /** What Chromium writes into its session folder; on macOS and Windows case does not count. */
  const CHROMIUM_NAMES = ['cache', 'code cache', 'gpucache', 'dawncache', 'local storage'];

  it('go to their own subfolder, whose name no folder of ours shares, in any case', () => {
    expect(chromiumSessionDir('/data/Tokendeck')).toBe(join('/data/Tokendeck', CHROMIUM_FOLDER));
    const ours = [INTROSPECTION_CACHE_FOLDER, 'logs', 'locks', CHROMIUM_FOLDER];
    for (const name of ours) expect(CHROMIUM_NAMES).not.toContain(name.toLowerCase());
  });
});
