import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scannedTempDir } from '../helpers/secret-registry';
import { tokendeck, tokendeckOk, type CliResult } from '../helpers/cli';
import { startAluma, type AlumaServer } from '../helpers/servers/aluma';

/**
 * Bad input at the command line: one clear line on stderr, exit code 1, no stack trace, and no
 * change to what is stored.
 */

let root: string;
let aluma: AlumaServer;
const client = { client_id: 'aluma-client', client_secret: 'aluma-secret-55555555' };

beforeAll(async () => {
  root = scannedTempDir('tokendeck-cli-errors-');
  aluma = await startAluma({ clients: [client] });
});

afterAll(async () => {
  await aluma?.close();
});

let counter = 0;
const dir = () => join(root, `d${++counter}`);

/** One line on stderr and the exit code that says the cause (1 unless another is named). */
function expectOneLineError(result: CliResult, pattern: RegExp, code = 1): void {
  expect(result.code).toBe(code);
  // Progress lines (the sign-in URL) may come first; the error itself is one line, the last.
  const errors = result.stderr
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('tokendeck: '));
  expect(errors).toHaveLength(1);
  expect(result.stderr.trim().split('\n').at(-1)).toBe(errors[0]);
  expect(errors[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('tokendeck bad input', () => {
  it('an unknown command', async () => {
    expectOneLineError(
      await tokendeck(['frobnicate'], { dataDir: dir() }),
      /"frobnicate" is not a command/,
      2,
    );
  });

  it('an unknown option', async () => {
    expectOneLineError(await tokendeck(['accounts', '--nope'], { dataDir: dir() }), /--nope/, 2);
  });

  it('a wrong passphrase, leaving the vault as it was', async () => {
    const dataDir = dir();
    await tokendeckOk(['providers'], { dataDir });
    expectOneLineError(
      await tokendeck(['providers'], { dataDir, passphrase: 'not the passphrase' }),
      /passphrase/i,
      5,
    );
    await tokendeckOk(['providers'], { dataDir });
  });

  it('a corrupt vault is reported with its path and kept', async () => {
    const dataDir = dir();
    await tokendeckOk(['providers'], { dataDir });
    writeFileSync(join(dataDir, 'vault.json'), '{"format":"tokendeck-vault", trunc');
    const result = await tokendeck(['accounts'], { dataDir });
    expectOneLineError(result, /vault/i);
  });

  it('a provider with an http endpoint on a non-loopback host', async () => {
    const dataDir = dir();
    expectOneLineError(
      await tokendeck(['provider', 'add', 'bad', '--issuer', 'http://auth.example.com'], {
        dataDir,
      }),
      /https/i,
    );
    expect(JSON.parse(await tokendeckOk(['providers', '--json'], { dataDir }))).toEqual([]);
  });

  it('a profile missing a required field', async () => {
    expectOneLineError(
      await tokendeck(['provider', 'add', 'cc', '--grant', 'client_credentials'], {
        dataDir: dir(),
      }),
      /token/i,
    );
  });

  it('a preset whose placeholders are not filled in', async () => {
    const dataDir = dir();
    expectOneLineError(
      await tokendeck(['provider', 'add', 'gh', '--preset', 'github'], { dataDir }),
      /Fill in client\.clientId/,
    );
    expect(JSON.parse(await tokendeckOk(['providers', '--json'], { dataDir }))).toEqual([]);
  });

  it('adding a provider name twice without --replace', async () => {
    const dataDir = dir();
    const add = ['provider', 'add', 'gh', '--preset', 'github', '--client-id', 'first-client'];
    await tokendeckOk(add, { dataDir });
    expectOneLineError(await tokendeck(add, { dataDir }), /already exists.*--replace/);
    await tokendeckOk([...add.slice(0, -1), 'second-client', '--replace'], { dataDir });
  });

  it('an unknown preset', async () => {
    expectOneLineError(
      await tokendeck(['provider', 'add', 'x', '--preset', 'no-such-preset'], { dataDir: dir() }),
      /no-such-preset/,
      3,
    );
  });

  it('a bad --grant value', async () => {
    expectOneLineError(
      await tokendeck(['provider', 'add', 'x', '--grant', 'password'], { dataDir: dir() }),
      /--grant must be one of/,
      2,
    );
  });

  it('connecting a provider that does not exist', async () => {
    expectOneLineError(await tokendeck(['connect', 'ghost'], { dataDir: dir() }), /ghost/, 3);
  });

  it('an unknown account for token', async () => {
    expectOneLineError(await tokendeck(['token', 'nobody'], { dataDir: dir() }), /nobody/, 3);
  });

  it('client credentials refused by the token endpoint', async () => {
    const dataDir = dir();
    await tokendeckOk(
      [
        'provider',
        'add',
        'aluma',
        '--preset',
        'aluma',
        '--base-url',
        aluma.url,
        '--client-id',
        'aluma-client',
        '--client-secret-stdin',
      ],
      { dataDir, stdin: 'the-wrong-secret' },
    );
    expectOneLineError(
      await tokendeck(['connect', 'aluma'], { dataDir }),
      /invalid_client|client/i,
    );
    expect(JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }))).toEqual([]);
  });

  it('a browser sign-in that never comes back times out', async () => {
    const dataDir = dir();
    await tokendeckOk(
      [
        'provider',
        'add',
        'slow',
        '--authorization-url',
        `${aluma.url}/authorize`,
        '--token-url',
        `${aluma.url}/oauth/token`,
        '--client-id',
        'anyone',
      ],
      { dataDir },
    );
    expectOneLineError(
      await tokendeck(['connect', 'slow', '--no-browser', '--timeout', '1'], { dataDir }),
      /No sign-in arrived within 1 s/,
    );
  });

  it('request: invalid --variables and a CR/LF header', async () => {
    const dataDir = dir();
    await tokendeckOk(
      [
        'provider',
        'add',
        'aluma',
        '--preset',
        'aluma',
        '--base-url',
        aluma.url,
        '--client-id',
        client.client_id,
        '--client-secret-stdin',
        '--graphql-url',
        `${aluma.url}/graphql`,
      ],
      { dataDir, stdin: client.client_secret },
    );
    await tokendeckOk(['connect', 'aluma'], { dataDir });
    expectOneLineError(
      await tokendeck(['graphql', 'aluma', '{ a }', '--variables', '{nope'], { dataDir }),
      /--variables/,
    );
    expectOneLineError(
      await tokendeck(['request', 'aluma', 'GET', '/v1/me', '-H', 'X-A: b\r\nX-Injected: 1'], {
        dataDir,
      }),
      /header/i,
    );
    expectOneLineError(
      await tokendeck(['request', 'aluma', 'GET', 'file:///etc/passwd'], { dataDir }),
      /http/i,
    );
    expectOneLineError(
      await tokendeck(['request', 'aluma', 'GET', 'http://127.0.0.2:9/x'], { dataDir }),
      /allow-origin/,
    );
  });
});
