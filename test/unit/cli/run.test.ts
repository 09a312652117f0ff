import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../helpers/memory-io';
import { version } from '../../../package.json';
import { runCli } from '../../../src-main/cli/run';

describe('tokendeck command line', () => {
  it('takes the global --data-dir DIR before the command, as the usage shows', async () => {
    const io = memoryIo();
    expect(await runCli(['--data-dir', '/nowhere', 'accounts', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: tokendeck');
    expect(io.err()).toBe('');
  });

  it('prints the version after --data-dir DIR', async () => {
    const io = memoryIo();
    expect(await runCli(['--data-dir', '/nowhere', '--version'], io)).toBe(0);
    expect(io.out()).toBe(`${version}\n`);
  });

  it('still refuses an unknown command', async () => {
    const io = memoryIo();
    expect(await runCli(['--data-dir', '/nowhere', 'nonsense'], io)).toBe(2);
    expect(io.err()).toContain('"nonsense" is not a command');
  });

  it.each([
    ['token', '--verify'],
    ['request', '--location-trusted'],
    ['graphql', '--location-trusted'],
    ['provider add', '--assume-expires-in'],
  ])('%s has %s in its help page and its completion', async (command, flag) => {
    const help = memoryIo();
    expect(await runCli(['help', ...command.split(' ')], help)).toBe(0);
    expect(help.out()).toContain(flag);
    const completion = memoryIo();
    expect(await runCli(['__complete', 'flags', ...command.split(' ')], completion)).toBe(0);
    expect(completion.out().split('\n')).toContain(flag);
  });
});

describe('tokendeck --version (issue 20 §19)', () => {
  it('answers the version wherever it stands, and runs no command', async () => {
    const io = memoryIo();
    expect(await runCli(['--version', 'providers'], io)).toBe(0);
    expect(io.out()).toBe(`${version}\n`);
    expect(io.err()).toBe('');
  });
});
