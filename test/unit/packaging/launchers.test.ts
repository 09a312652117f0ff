import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appImageLauncher } from '../../../src-main/electron/cli/launcher-plan';

/**
 * The `tokendeck` launchers shipped in build/cli, run against a stand-in for the app binary
 * that prints the arguments it was given. They must start it in CLI mode, with `--` before the
 * user's arguments, through a symlink as "Install Command-Line Tool…" makes it.
 */

const root = resolve(import.meta.dirname, '../../..');
const launcher = join(root, 'build', 'cli', 'tokendeck');
const CLI_FLAG = '--tokendeck-cli';
const posix = process.platform !== 'win32';
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** An executable that prints one argument per line. */
function fakeApp(path: string): void {
  writeFileSync(path, '#!/bin/sh\nfor arg in "$@"; do printf "%s\\n" "$arg"; done\n');
  chmodSync(path, 0o755);
}

/** A fake installation; returns the path of a symlink to its launcher, as on the PATH. */
function install(layout: 'linux' | 'mac'): string {
  const dir = mkdtempSync(join(tmpdir(), 'tokendeck launcher '));
  scratch.push(dir);
  const resources =
    layout === 'mac'
      ? join(dir, 'Tokendeck.app', 'Contents', 'Resources')
      : join(dir, 'opt', 'resources');
  mkdirSync(join(resources, 'bin'), { recursive: true });
  copyFileSync(launcher, join(resources, 'bin', 'tokendeck'));
  chmodSync(join(resources, 'bin', 'tokendeck'), 0o755);
  if (layout === 'mac') {
    mkdirSync(join(resources, '..', 'MacOS'));
    fakeApp(join(resources, '..', 'MacOS', 'Tokendeck'));
  } else {
    fakeApp(join(resources, '..', 'tokendeck'));
  }
  mkdirSync(join(dir, 'bin'));
  symlinkSync(join(resources, 'bin', 'tokendeck'), join(dir, 'bin', 'tokendeck'));
  return join(dir, 'bin', 'tokendeck');
}

function run(path: string, args: string[], env: NodeJS.ProcessEnv): string[] {
  const result = spawnSync(path, args, { env, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trimEnd().split('\n');
}

const userArgs = ['request', 'acct', 'GET', 'https://api.example.test/x', '-H', 'A: b', '--json'];

describe.runIf(posix)('the POSIX launcher', () => {
  it('runs the Linux binary in CLI mode, through a symlink, keeping the arguments intact', () => {
    const link = install('linux');
    expect(run(link, userArgs, { PATH: process.env.PATH, DISPLAY: ':0' })).toEqual([
      CLI_FLAG,
      '--',
      ...userArgs,
    ]);
  });

  it('uses the headless platform when there is no display (SSH, CI)', () => {
    const link = install('linux');
    expect(run(link, ['--version'], { PATH: process.env.PATH })).toEqual([
      CLI_FLAG,
      '--ozone-platform=headless',
      '--',
      '--version',
    ]);
  });

  it('runs the binary inside a macOS app bundle', () => {
    const link = install('mac');
    expect(run(link, ['accounts', '--json'], { PATH: process.env.PATH })).toEqual([
      CLI_FLAG,
      '--',
      'accounts',
      '--json',
    ]);
  });

  it('the AppImage launcher runs the AppImage file the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokendeck-appimage-'));
    scratch.push(dir);
    fakeApp(join(dir, "Token'deck.AppImage"));
    writeFileSync(join(dir, 'tokendeck'), appImageLauncher(join(dir, "Token'deck.AppImage")));
    chmodSync(join(dir, 'tokendeck'), 0o755);
    expect(
      run(join(dir, 'tokendeck'), userArgs, { PATH: process.env.PATH, WAYLAND_DISPLAY: 'w' }),
    ).toEqual([CLI_FLAG, '--', ...userArgs]);
  });
});

describe('the Windows launcher', () => {
  const cmd = readFileSync(join(root, 'build', 'cli', 'tokendeck.cmd'), 'utf8');

  it('runs Tokendeck.exe in CLI mode and passes its exit code on', () => {
    const lines = cmd.split('\r\n');
    expect(lines).toContain(`"%~dp0..\\..\\Tokendeck.exe" ${CLI_FLAG} -- %*`);
    expect(lines).toContain('exit /b %ERRORLEVEL%');
    expect(lines).toContain('set ELECTRON_NO_ATTACH_CONSOLE=');
  });

  it('has CRLF line endings throughout, as cmd.exe expects', () => {
    expect(cmd.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });
});
