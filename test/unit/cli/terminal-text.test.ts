import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TokendeckError } from '../../../src-main/core/errors';
import { parse, seconds } from '../../../src-main/cli/args';
import { isoTime } from '../../../src-main/cli/commands/context';
import { promptHidden, type CliIo } from '../../../src-main/cli/node-ports';
import { clean, relativeTime, table } from '../../../src-main/cli/output';

/** Text at the terminal (issue 20 §3, §9, §10, §11). */

describe('the output sanitiser', () => {
  it('drops control characters, so a server cannot draw lines or clear the screen', () => {
    const hostile = 'ok\u001b[2J\rConnected admin\u0007\u009b1m\u202e';
    expect(clean(hostile)).toBe('ok[2JConnected admin1m');
    expect(clean('a\nb\tc')).toBe('a b c');
    expect(clean('a\nb', true)).toBe('a\nb');
    expect(table(['L'], [['x\u001b]0;title\u0007\ny']])).toBe('L\nx]0;title y\n');
  });
});

describe('formatting never throws', () => {
  it('says "unknown" or null for a time no date can hold', () => {
    expect(relativeTime(Number.NaN, 0)).toBe('unknown');
    expect(isoTime(1e16)).toBeNull();
    expect(isoTime(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('the numeric-flag parser', () => {
  it('names the flag and the range its spec gives, and takes a negative value to the range check', () => {
    expect(seconds({ 'min-ttl': '90' }, 'token', 'min-ttl')).toBe(90_000);
    for (const bad of ['-1', '1e9', 'ten', '', '99999999']) {
      expect(() => seconds({ 'min-ttl': bad }, 'token', 'min-ttl')).toThrow(
        /--min-ttl takes a number of seconds from 0 to 31536000/,
      );
    }
    expect(() => seconds({ ttl: '43201' }, 'unlock', 'ttl')).toThrow(/from 1 to 43200/);
    expect(parse(['token', 'x', '--min-ttl', '-1'], 'token').values['min-ttl']).toBe('-1');
  });
});

describe('the hidden prompt', () => {
  it('decodes a character split across two reads (a non-ASCII passphrase)', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin });
    const io = { stdin, stderr: { write: () => true }, stdout: { write: () => true }, env: {} };
    const answer = promptHidden(
      io as unknown as CliIo,
      'Passphrase: ',
      new TokendeckError('vault_locked', 'no'),
    );
    const bytes = Buffer.from('pässwörd ✓\r', 'utf8');
    // 'ä' is two bytes: the first read ends in the middle of it.
    stdin.write(bytes.subarray(0, 2));
    stdin.write(bytes.subarray(2));
    expect(await answer).toBe('pässwörd ✓');
  });
});
