import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/run';
import { memoryIo } from '../../helpers/memory-io';
import { openTestService } from '../../helpers/test-service';
import { TEST_CLI_HOST, makeTempRoot } from '../../helpers/vault-fixtures';

/** The exit codes that need no server: usage (2), cancelled (130), and the help pages. */
describe('tokendeck exit codes and help', () => {
  it('130 when the user answers no to remove in a terminal, and nothing is removed', async () => {
    const { root: dataDir, cleanup } = await makeTempRoot();
    const passphrase = 'long enough passphrase';
    const service = await openTestService(dataDir, passphrase);
    await service.saveProvider({
      profile: {
        id: 'k',
        name: 'k',
        grant: 'api_key',
        client: { registration: 'static', auth: 'none' },
      },
    });
    const { accountId } = await service.connectAccount({ providerId: 'k', apiKey: 'key-12345678' });
    await service.close();
    const io = memoryIo({ TOKENDECK_PASSPHRASE: passphrase });
    const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
    stdin.isTTY = true;
    io.stdin = stdin;
    stdin.end('n\n');
    expect(await runCli(['--data-dir', dataDir, 'remove', accountId], io, TEST_CLI_HOST)).toBe(130);
    expect(io.err()).toMatch(/Remove .*\? \[y\/N\] tokendeck: Nothing was removed/);
    const list = memoryIo({ TOKENDECK_PASSPHRASE: passphrase });
    expect(await runCli(['--data-dir', dataDir, 'accounts', '--json'], list, TEST_CLI_HOST)).toBe(
      0,
    );
    expect(JSON.parse(list.out())).toHaveLength(1);
    await cleanup();
  });

  it('remove without --yes and without a terminal is a usage error (2), asked nothing', async () => {
    const io = memoryIo();
    expect(await runCli(['--data-dir', '/nowhere', 'remove', 'x'], io)).toBe(2);
    expect(io.err()).toContain('--yes');
  });

  it('prints a help page per command with a line per flag and two examples', async () => {
    const io = memoryIo();
    expect(await runCli(['help', 'token'], io)).toBe(0);
    for (const flag of ['--min-ttl', '--header', '--format', '--env-name', '--no-newline']) {
      expect(io.out()).toContain(flag);
    }
    expect(
      io
        .out()
        .split('Examples:')[1]
        ?.match(/^ {2}tokendeck|^ {2}\S.*tokendeck/gm)?.length,
    ).toBeGreaterThanOrEqual(2);
    const same = memoryIo();
    expect(await runCli(['token', '--help'], same)).toBe(0);
    expect(same.out()).toBe(io.out());
    const overview = memoryIo();
    expect(await runCli(['--help'], overview)).toBe(0);
    expect(overview.out()).toMatch(/Exit codes:[\s\S]*130/);
  });

  it('says "did you mean" for a near miss, in its own words', async () => {
    const io = memoryIo();
    expect(await runCli(['accuonts'], io)).toBe(2);
    expect(io.err()).toBe(
      'tokendeck: "accuonts" is not a command; did you mean "accounts"? See: tokendeck --help\n',
    );
    const flag = memoryIo();
    expect(await runCli(['token', 'x', '--min-tll', '5'], flag)).toBe(2);
    expect(flag.err()).toContain('did you mean "--min-ttl"?');
    expect(flag.err()).not.toMatch(/Unknown option|ERR_PARSE/);
  });
});
