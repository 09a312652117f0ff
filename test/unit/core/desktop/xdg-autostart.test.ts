import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  autostartEntry,
  autostartPath,
  createXdgAutostart,
  execArgument,
} from '../../../../src-main/core/desktop';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokendeck-autostart-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('XDG autostart entry', () => {
  it('lives in $XDG_CONFIG_HOME/autostart, or ~/.config/autostart', () => {
    expect(autostartPath('tokendeck', { XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe(
      '/cfg/autostart/tokendeck.desktop',
    );
    expect(autostartPath('tokendeck', {}, '/home/u')).toBe(
      '/home/u/.config/autostart/tokendeck.desktop',
    );
    // The spec ignores a relative XDG_CONFIG_HOME.
    expect(autostartPath('tokendeck', { XDG_CONFIG_HOME: 'cfg' }, '/home/u')).toBe(
      '/home/u/.config/autostart/tokendeck.desktop',
    );
  });

  it('quotes and escapes Exec arguments as the Desktop Entry Specification says', () => {
    expect(execArgument('/opt/Tokendeck/tokendeck')).toBe('/opt/Tokendeck/tokendeck');
    expect(execArgument('/home/me/My Apps/Tokendeck.AppImage')).toBe(
      '"/home/me/My Apps/Tokendeck.AppImage"',
    );
    expect(execArgument('/a/$HOME`x`"q"')).toBe('"/a/\\\\$HOME\\\\`x\\\\`\\\\"q\\\\""');
    expect(execArgument('/a\\b')).toBe('"/a\\\\\\\\b"');
    expect(execArgument('/100%/app')).toBe('/100%%/app');
    expect(() => execArgument('/a\nExec=evil')).toThrow(/line break/);
  });

  it('runs the app with its arguments', () => {
    const entry = autostartEntry('Tokendeck', ['/opt/Tokendeck/tokendeck', '--opened-at-login']);
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Tokendeck\n');
    expect(entry).toContain('\nExec=/opt/Tokendeck/tokendeck --opened-at-login\n');
  });

  it('is on when the file is there and not turned off by the desktop', async () => {
    const path = join(dir, 'autostart', 'tokendeck.desktop');
    const item = createXdgAutostart({ path, appName: 'Tokendeck', command: ['/opt/t', '--x'] });
    expect(await item.isEnabled()).toBe(false);
    await item.setEnabled(true);
    expect(readFileSync(path, 'utf8')).toContain('Exec=/opt/t --x');
    expect(await item.isEnabled()).toBe(true);

    writeFileSync(path, `${readFileSync(path, 'utf8')}Hidden=true\n`);
    expect(await item.isEnabled()).toBe(false);
    await item.renew?.();
    expect(readFileSync(path, 'utf8')).toContain('Hidden=true');

    await item.setEnabled(false);
    expect(existsSync(path)).toBe(false);
    await item.setEnabled(false);
  });

  it('renews an entry that starts another copy of the app', async () => {
    const path = join(dir, 'tokendeck.desktop');
    const old = createXdgAutostart({ path, appName: 'Tokendeck', command: ['/old/T.AppImage'] });
    await old.setEnabled(true);
    const current = createXdgAutostart({
      path,
      appName: 'Tokendeck',
      command: ['/new/T.AppImage'],
    });
    await current.renew?.();
    expect(readFileSync(path, 'utf8')).toContain('Exec=/new/T.AppImage');
  });
});
