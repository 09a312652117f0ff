import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  appImageLauncher,
  elevatedSymlinkScript,
  isOnPosixPath,
  planLauncher,
  shellQuote,
  withUserPathEntry,
} from '../../../src-main/electron/cli/launcher-plan';

vi.mock('electron', () => ({ dialog: { showMessageBox: vi.fn() } }));

const { installLauncher } = await import('../../../src-main/electron/cli/launcher-install');

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('where the launcher goes, per OS', () => {
  it('macOS: a symlink in /usr/local/bin to the script in the bundle, with rights if needed', () => {
    expect(
      planLauncher({
        platform: 'darwin',
        resourcesPath: '/Applications/Tokendeck.app/Contents/Resources',
        home: '/Users/ada',
        env: {},
      }),
    ).toEqual({
      kind: 'symlink',
      link: '/usr/local/bin/tokendeck',
      target: '/Applications/Tokendeck.app/Contents/Resources/bin/tokendeck',
      elevateIfNeeded: true,
    });
  });

  it("Windows: the installation's bin folder, on the user's PATH", () => {
    expect(
      planLauncher({
        platform: 'win32',
        resourcesPath: 'C:\\Users\\Ada\\AppData\\Local\\Programs\\Tokendeck\\resources',
        home: 'C:\\Users\\Ada',
        env: {},
      }),
    ).toEqual({
      kind: 'user-path',
      dir: 'C:\\Users\\Ada\\AppData\\Local\\Programs\\Tokendeck\\resources\\bin',
    });
  });

  it('Linux: ~/.local/bin, a symlink into the installation, never with rights', () => {
    expect(
      planLauncher({
        platform: 'linux',
        resourcesPath: '/opt/Tokendeck/resources',
        home: '/home/ada',
        env: {},
      }),
    ).toEqual({
      kind: 'symlink',
      link: '/home/ada/.local/bin/tokendeck',
      target: '/opt/Tokendeck/resources/bin/tokendeck',
      elevateIfNeeded: false,
    });
  });

  it('Linux AppImage: a script that runs the AppImage file, not its temporary mount', () => {
    const plan = planLauncher({
      platform: 'linux',
      resourcesPath: '/tmp/.mount_TokendXYZ/resources',
      home: '/home/ada',
      env: { APPIMAGE: "/home/ada/Apps/Tokendeck's.AppImage" },
    });
    expect(plan).toMatchObject({ kind: 'script', path: '/home/ada/.local/bin/tokendeck' });
    const content = plan.kind === 'script' ? plan.content : '';
    expect(content).not.toContain('.mount_');
    expect(content).toContain(
      `exec '/home/ada/Apps/Tokendeck'\\''s.AppImage' --tokendeck-cli -- "$@"`,
    );
    expect(content).toContain('--ozone-platform=headless');
    expect(content).toBe(appImageLauncher("/home/ada/Apps/Tokendeck's.AppImage"));
  });
});

describe('quoting and PATH editing', () => {
  it('quotes for the shell and for AppleScript', () => {
    expect(shellQuote("a b'c")).toBe(`'a b'\\''c'`);
    expect(
      elevatedSymlinkScript('/usr/local/bin/tokendeck', '/Apps/My "T".app/bin/tokendeck'),
    ).toBe(
      `do shell script "mkdir -p '/usr/local/bin' && ln -sfn '/Apps/My \\"T\\".app/bin/tokendeck' '/usr/local/bin/tokendeck'" with administrator privileges`,
    );
  });

  it("appends to the user's PATH once, keeping every other entry as it was", () => {
    const dir = 'C:\\Apps\\Tokendeck\\resources\\bin';
    expect(withUserPathEntry('%USERPROFILE%\\bin;C:\\Tools', dir)).toBe(
      `%USERPROFILE%\\bin;C:\\Tools;${dir}`,
    );
    expect(withUserPathEntry('', dir)).toBe(dir);
    expect(withUserPathEntry('C:\\Tools;;', dir)).toBe(`C:\\Tools;${dir}`);
    expect(withUserPathEntry(`C:\\Tools;"${dir.toUpperCase()}\\"`, dir)).toBeNull();
  });

  it('knows whether a folder is on a POSIX PATH', () => {
    expect(isOnPosixPath('/home/ada/.local/bin', '/usr/bin:/home/ada/.local/bin/')).toBe(true);
    expect(isOnPosixPath('/home/ada/.local/bin', '/usr/bin')).toBe(false);
    expect(isOnPosixPath('/home/ada/.local/bin', undefined)).toBe(false);
  });
});

describe('installing the launcher', () => {
  function setup() {
    const root = mkdtempSync(join(tmpdir(), 'tokendeck-launcher-'));
    roots.push(root);
    const target = join(root, 'resources', 'bin', 'tokendeck');
    mkdirSync(join(root, 'resources', 'bin'), { recursive: true });
    writeFileSync(target, '#!/bin/sh\n', { mode: 0o755 });
    const effects = {
      confirmReplace: vi.fn(async () => false),
      runElevated: vi.fn(async () => undefined),
      readUserPath: vi.fn(async () => ''),
      writeUserPath: vi.fn(async () => undefined),
      symlink: vi.fn(async (from: string, to: string) => {
        const { symlink } = await import('node:fs/promises');
        await symlink(from, to);
      }),
    };
    return { root, target, link: join(root, 'home', '.local', 'bin', 'tokendeck'), effects };
  }

  it('links, creating the folder, then reports it as already installed', async () => {
    const { target, link, effects } = setup();
    const plan = { kind: 'symlink' as const, link, target, elevateIfNeeded: false };
    const env = { PATH: '/usr/bin' };
    await expect(installLauncher(plan, effects, env)).resolves.toMatchObject({
      status: 'installed',
      message: expect.stringContaining('Add'),
    });
    expect(readlinkSync(link)).toBe(target);
    await expect(installLauncher(plan, effects, env)).resolves.toMatchObject({ status: 'already' });
    expect(effects.confirmReplace).not.toHaveBeenCalled();
  });

  it('never replaces something else without asking, and keeps it when the user says no', async () => {
    const { target, link, effects } = setup();
    mkdirSync(join(link, '..'), { recursive: true });
    writeFileSync(link, 'my own tokendeck\n');
    const plan = { kind: 'symlink' as const, link, target, elevateIfNeeded: false };
    await expect(installLauncher(plan, effects)).resolves.toEqual({ status: 'cancelled' });
    expect(effects.confirmReplace).toHaveBeenCalledWith(link, 'a file');
    expect(readFileSync(link, 'utf8')).toBe('my own tokendeck\n');
    effects.confirmReplace.mockResolvedValue(true);
    await expect(installLauncher(plan, effects)).resolves.toMatchObject({ status: 'installed' });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('asks for the administrator only where the plan allows it, on a permission error', async () => {
    const { target, link, effects } = setup();
    const denied = Object.assign(new Error('denied'), { code: 'EACCES' });
    effects.symlink.mockRejectedValue(denied);
    const plan = { kind: 'symlink' as const, link, target, elevateIfNeeded: true };
    await expect(installLauncher(plan, effects)).resolves.toMatchObject({ status: 'installed' });
    expect(effects.runElevated).toHaveBeenCalledWith(elevatedSymlinkScript(link, target));
    await expect(installLauncher({ ...plan, elevateIfNeeded: false }, effects)).rejects.toThrow(
      'denied',
    );
  });

  it('refuses when the installation has no launcher to link to', async () => {
    const { root, link, effects } = setup();
    const plan = {
      kind: 'symlink' as const,
      link,
      target: join(root, 'nope'),
      elevateIfNeeded: false,
    };
    await expect(installLauncher(plan, effects)).rejects.toThrow(/no launcher/);
  });

  it('writes the AppImage script executable', async () => {
    const { link, effects } = setup();
    const plan = {
      kind: 'script' as const,
      path: link,
      content: appImageLauncher('/a/T.AppImage'),
    };
    await installLauncher(plan, effects);
    expect(readFileSync(link, 'utf8')).toBe(plan.content);
    if (process.platform !== 'win32') expect(statSync(link).mode & 0o111).not.toBe(0);
    await expect(installLauncher(plan, effects)).resolves.toMatchObject({ status: 'already' });
  });

  it("adds the folder to the user's PATH once", async () => {
    const { root, effects } = setup();
    const dir = join(root, 'resources', 'bin');
    writeFileSync(join(dir, 'tokendeck.cmd'), '@echo off\r\n');
    effects.readUserPath.mockResolvedValue('C:\\Tools');
    await expect(installLauncher({ kind: 'user-path', dir }, effects)).resolves.toMatchObject({
      status: 'installed',
    });
    expect(effects.writeUserPath).toHaveBeenCalledWith(`C:\\Tools;${dir}`);
    effects.readUserPath.mockResolvedValue(`C:\\Tools;${dir}`);
    await expect(installLauncher({ kind: 'user-path', dir }, effects)).resolves.toMatchObject({
      status: 'already',
    });
  });
});
