import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run';
import { PRESETS, findPlaceholders, profileFromPreset } from '../../src-main/core/providers';
import { TEST_PASSPHRASE } from '../helpers/cli';
import { memoryIo } from '../helpers/memory-io';
import { scannedTempDir } from '../helpers/secret-registry';
import { TEST_CLI_HOST } from '../helpers/vault-fixtures';

/**
 * `provider export` and `provider add --from-file` round-trip every preset (issue 9 §4): the
 * `tokendeck` command run in this process, on a real vault.
 */

let dataDir: string;

beforeAll(() => {
  dataDir = join(scannedTempDir('tokendeck-provider-files-'), 'data');
});

async function cli(args: string[]): Promise<string> {
  const io = memoryIo({ TOKENDECK_PASSPHRASE: TEST_PASSPHRASE, TOKENDECK_DATA_DIR: dataDir });
  const code = await runCli(args, io, TEST_CLI_HOST);
  expect(code, `tokendeck ${args.join(' ')}: ${io.err()}`).toBe(0);
  return io.out();
}

/** The preset's profile with every YOUR_… placeholder filled in, as a user would. */
function filled(presetId: string) {
  const text = JSON.stringify(profileFromPreset(presetId));
  return JSON.parse(
    text.replace(/YOUR_[A-Z_]+/g, (m) => m.toLowerCase().replaceAll('_', '-')),
  ) as ReturnType<typeof profileFromPreset>;
}

describe('provider files', () => {
  it.each(PRESETS.map((preset) => preset.id))('round-trips the %s preset', async (presetId) => {
    const first = `a-${presetId}`;
    const placeholders = findPlaceholders(profileFromPreset(presetId));
    if (placeholders.length === 0) {
      await cli(['provider', 'add', first, '--preset', presetId]);
    } else if (placeholders.every((field) => field === 'client.clientId')) {
      await cli(['provider', 'add', first, '--preset', presetId, '--client-id', 'my-client']);
    } else {
      const source = join(dataDir, `${presetId}.source.json`);
      writeFileSync(source, JSON.stringify(filled(presetId)));
      await cli(['provider', 'add', first, '--from-file', source]);
    }
    const exported = await cli(['provider', 'export', first]);
    expect(exported).not.toContain('hasSecret');
    const file = JSON.parse(exported) as { format: string; version: number; profile: object };
    expect(file).toMatchObject({ format: 'tokendeck-provider', version: 1 });

    const path = join(dataDir, `${presetId}.json`);
    writeFileSync(path, exported);
    const second = `b-${presetId}`;
    await cli(['provider', 'add', second, '--from-file', path]);
    const again = JSON.parse(await cli(['provider', 'export', second])) as typeof file;
    expect(again).toEqual({ ...file, profile: { ...file.profile, id: second } });
  });

  it('lays flags over the file', async () => {
    const path = join(dataDir, 'aluma.json');
    writeFileSync(path, await cli(['provider', 'export', 'a-aluma']));
    await cli([
      'provider',
      'add',
      'staging',
      '--from-file',
      path,
      '--token-url',
      'http://127.0.0.1:9/t',
    ]);
    const { profile } = JSON.parse(await cli(['provider', 'export', 'staging'])) as {
      profile: { endpoints: { token: string }; client: { clientId: string } };
    };
    expect(profile.endpoints.token).toBe('http://127.0.0.1:9/t');
    expect(profile.client.clientId).toBe('my-client');
  });

  it('refuses a file that is not a provider file, naming why', async () => {
    const path = join(dataDir, 'bad.json');
    writeFileSync(path, JSON.stringify({ format: 'tokendeck-provider', version: 9, profile: {} }));
    const io = memoryIo({ TOKENDECK_PASSPHRASE: TEST_PASSPHRASE, TOKENDECK_DATA_DIR: dataDir });
    expect(await runCli(['provider', 'add', 'bad', '--from-file', path], io, TEST_CLI_HOST)).toBe(
      1,
    );
    expect(io.err()).toMatch(/not a provider file: its version 9 is not 1/);
  });
});
