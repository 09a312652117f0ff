import { describe, expect, it } from 'vitest';
import { relativeTime, table } from '../../../src-main/cli/output';
import { defaultDataDir } from '../../../src-main/core/data-dir';

describe('CLI output', () => {
  it('aligns table columns and prints nothing for no rows', () => {
    expect(
      table(
        ['ID', 'NAME'],
        [
          ['a', 'Alpha'],
          ['long-id', 'B'],
        ],
      ),
    ).toBe('ID       NAME\na        Alpha\nlong-id  B\n');
    expect(table(['ID'], [])).toBe('');
  });

  it('says when a token expires in plain words', () => {
    const now = 1_000_000_000;
    expect(relativeTime(null, now)).toBe('never');
    expect(relativeTime(now + 30_000, now)).toBe('in 30s');
    expect(relativeTime(now + 52 * 60_000, now)).toBe('in 52m');
    expect(relativeTime(now - 3 * 3_600_000, now)).toBe('3h ago');
    expect(relativeTime(now + 2 * 86_400_000, now)).toBe('in 2d');
  });
});

describe('data folder', () => {
  it('prefers TOKENDECK_DATA_DIR', () => {
    expect(defaultDataDir({ TOKENDECK_DATA_DIR: '/x' }, 'linux', '/home/u')).toBe('/x');
  });
  it("matches Electron's userData per platform", () => {
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Tokendeck');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/u')).toBe('/cfg/Tokendeck');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe(
      '/Users/u/Library/Application Support/Tokendeck',
    );
  });
});
