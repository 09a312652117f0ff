import { spawn } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserUser } from '../helpers/browser-user';
import { TEST_PASSPHRASE, tokendeck, tokendeckOk, type CliResult } from '../helpers/cli';
import { scannedTempDir } from '../helpers/secret-registry';
import { startAttendium } from '../helpers/servers/attendium';
import { startAttentive } from '../helpers/servers/attentive';
import { EVENTBOOKINGS_PATHS, startEventBookings } from '../helpers/servers/eventbookings';
import { startPhpApi } from '../helpers/servers/php-api';
import { startScriptedServer, type ScriptedReply } from '../unit/flows/scripted-server';

/**
 * The adversarial findings of issue 20, each through the real `tokendeck` command: races, tokens
 * lost to side failures, terminal injection, bad values, unusable folders and closed pipes.
 */

type BrowserUser = Awaited<ReturnType<typeof createBrowserUser>>;
const ENTRY = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let browser: BrowserUser;
let root: string;
let counter = 0;
const freshDataDir = () => join(root, `data-${++counter}`);

beforeAll(async () => {
  browser = await createBrowserUser();
  root = scannedTempDir('tokendeck-cli-adversarial-');
});

afterAll(async () => {
  await browser?.close();
});

/** The error line of a failed command; `code` 2 for a mistake in the command line. */
function errorLine(result: CliResult, code = 1): string {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toContain('An unexpected error occurred');
  return result.stderr.trim().split('\n').at(-1)!;
}

/** A client-credentials provider on a scripted token endpoint, answering `reply`. */
async function scriptedProvider(dataDir: string, reply: ScriptedReply, extra: string[] = []) {
  const server = await startScriptedServer({ '/token': () => reply, '/api': () => ({ body: {} }) });
  await tokendeckOk(
    [
      'provider',
      'add',
      'odd',
      '--grant',
      'client_credentials',
      '--token-url',
      `${server.origin}/token`,
      '--api-base',
      server.origin,
      '--client-id',
      'odd-client',
      '--client-secret-stdin',
      ...extra.map((arg) => arg.replace('{origin}', server.origin)),
    ],
    { dataDir, stdin: 'odd-client-secret-000' },
  );
  return server;
}

/** Runs the command with raw process plumbing the helper does not offer. */
function runRaw(
  args: string[],
  options: {
    dataDir: string;
    stdout?: number | 'pipe';
    shellPassphrase?: string;
    closeStdout?: boolean;
  },
): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TOKENDECK_DATA_DIR: options.dataDir,
    TOKENDECK_PASSPHRASE: TEST_PASSPHRASE,
  };
  const command = options.shellPassphrase
    ? spawn(
        'sh',
        [
          '-c',
          `TOKENDECK_PASSPHRASE="$(printf '${options.shellPassphrase}')" exec "$@"`,
          'sh',
          process.execPath,
          '--import',
          'tsx',
          ENTRY,
          ...args,
        ],
        { cwd: ROOT, env, stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'] },
      )
    : spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
        cwd: ROOT,
        env,
        stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
      });
  let stdout = '';
  let stderr = '';
  if (options.closeStdout) command.stdout?.destroy();
  else command.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  command.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    command.once('error', reject);
    command.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('data loss', () => {
  it('1: of two concurrent `provider add NAME`, exactly one succeeds', async () => {
    for (let round = 0; round < 3; round += 1) {
      const dataDir = freshDataDir();
      await tokendeckOk(['providers'], { dataDir });
      const add = (clientId: string) =>
        tokendeck(['provider', 'add', 'gh', '--preset', 'github', '--client-id', clientId], {
          dataDir,
        });
      const results = await Promise.all([add('first-client'), add('second-client')]);
      expect(results.map((r) => r.code).sort()).toEqual([0, 1]);
      const loser = results.find((r) => r.code === 1)!;
      expect(errorLine(loser)).toMatch(/already exists/);
    }
  });

  it('2: an unwritable log never costs a renewal its rotated refresh token', async () => {
    const server = await startAttendium({ userId: 'log-user' });
    const dataDir = freshDataDir();
    try {
      await tokendeckOk(
        ['provider', 'add', 'attendium', '--preset', 'attendium', '--base-url', server.url],
        { dataDir },
      );
      const connected = await tokendeck(['connect', 'attendium', '--no-browser', '--json'], {
        dataDir,
        onUrl: (url) => void browser.open(url),
      });
      expect(connected.code, connected.stderr).toBe(0);
      // The log file becomes a folder: every write to it fails.
      const log = join(dataDir, 'logs', 'cli.log');
      rmSync(log, { force: true });
      mkdirSync(log);
      const first = await tokendeck(['token', 'attendium', '--min-ttl', '7200'], { dataDir });
      expect(first.code, first.stderr).toBe(0);
      const second = await tokendeck(['token', 'attendium', '--min-ttl', '7200'], { dataDir });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).not.toBe(first.stdout);
      expect(server.refreshReuse).toBe(0);
      await tokendeckOk(['providers'], { dataDir });
    } finally {
      await server.close();
    }
  });

  it('4: `provider remove` during `connect` leaves no account without a provider', async () => {
    const server = await startPhpApi({ clientId: 'rm-client', clientSecret: 'rm-secret-0000000' });
    const dataDir = freshDataDir();
    try {
      await tokendeckOk(
        [
          'provider',
          'add',
          'php',
          '--preset',
          'custom-oauth2',
          '--base-url',
          server.url,
          '--client-id',
          'rm-client',
          '--client-secret-stdin',
        ],
        { dataDir, stdin: 'rm-secret-0000000' },
      );
      let removed: Promise<string> | undefined;
      const connected = await tokendeck(['connect', 'php', '--no-browser'], {
        dataDir,
        onUrl: (url) => {
          removed = tokendeckOk(['provider', 'remove', 'php'], { dataDir }).then((out) => {
            void browser.open(url);
            return out;
          });
        },
      });
      await removed;
      expect(errorLine(connected)).toMatch(/removed while connecting; nothing was stored/);
      expect(JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('secrets going where they should not', () => {
  it('6: a hand edit of an endpoint in vault.json stops the vault and sends nothing', async () => {
    const dataDir = freshDataDir();
    const server = await startEventBookings({
      clients: [{ client_id: 'c', client_secret: 'edit-secret-1234' }],
    });
    const elsewhere = await startScriptedServer();
    try {
      await tokendeckOk(
        [
          'provider',
          'add',
          'eb',
          '--grant',
          'client_credentials',
          '--token-url',
          `${server.url}${EVENTBOOKINGS_PATHS.token}`,
          '--client-id',
          'c',
          '--client-secret-stdin',
          '--client-auth',
          'json',
        ],
        { dataDir, stdin: 'edit-secret-1234' },
      );
      await tokendeckOk(['connect', 'eb'], { dataDir });
      const file = join(dataDir, 'vault.json');
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      doc.collections.providers.eb.profile.endpoints.token = `${elsewhere.origin}/steal`;
      writeFileSync(file, JSON.stringify(doc));
      const result = await tokendeck(['token', 'eb', '--min-ttl', '99999'], { dataDir });
      expect(errorLine(result)).toMatch(/changed outside Tokendeck \(providers\/eb was changed\)/);
      expect(elsewhere.requests).toEqual([]);
    } finally {
      await server.close();
      await elsewhere.close();
    }
  });

  it('7: a passphrase that is not valid UTF-8 is refused, not decoded lossily', async () => {
    const result = await runRaw(['providers'], {
      dataDir: freshDataDir(),
      shellPassphrase: 'pass\\377phrase-long',
    });
    expect(errorLine(result)).toMatch(/U\+FFFD/);
  });

  it('8: a Host header is refused, so the token goes only where the URL says', async () => {
    const dataDir = freshDataDir();
    const server = await scriptedProvider(dataDir, {
      body: { access_token: 'host-token-000111', token_type: 'Bearer', expires_in: 3600 },
    });
    try {
      await tokendeckOk(['connect', 'odd'], { dataDir });
      const result = await tokendeck(['request', 'odd', 'GET', '/api', '-H', 'Host: evil.test'], {
        dataDir,
      });
      expect(errorLine(result)).toMatch(/Host header .* cannot be set by hand/);
      expect(server.requests.filter((r) => r.path === '/api')).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('server-controlled text reaching the terminal', () => {
  it('9: labels and error descriptions are cleaned; a token with control characters is refused', async () => {
    const dataDir = freshDataDir();
    const apiKey = 'attentive-ansi-key-000';
    const attentive = await startAttentive({
      apiKeys: [apiKey],
      company: { id: 'co-x', name: 'Evil\u001b[2J\rConnected admin\u0007' },
    });
    try {
      await tokendeckOk(
        ['provider', 'add', 'att', '--preset', 'attentive-private', '--base-url', attentive.url],
        { dataDir },
      );
      const connected = await tokendeck(['connect', 'att', '--api-key-stdin'], {
        dataDir,
        stdin: apiKey,
      });
      expect(connected.code, connected.stderr).toBe(0);
      const listed = await tokendeckOk(['accounts'], { dataDir });
      for (const output of [connected.stdout, listed]) {
        expect(output).not.toMatch(/[^\P{Cc}\n]/u);
        expect(output).toContain('Evil[2JConnected admin');
      }
    } finally {
      await attentive.close();
    }

    const refusing = freshDataDir();
    const server = await scriptedProvider(refusing, {
      status: 400,
      body: { error: 'invalid_scope', error_description: 'no\u001b[2J\rConnected fine' },
    });
    try {
      const line = errorLine(await tokendeck(['connect', 'odd'], { dataDir: refusing }));
      expect(line).not.toMatch(/\p{Cc}/u);
      server.route('/token', () => ({
        body: { access_token: 'abc\u001b[2Jdef-0000', token_type: 'Bearer' },
      }));
      const token = errorLine(await tokendeck(['connect', 'odd'], { dataDir: refusing }));
      expect(token).toMatch(/access token holding whitespace or control characters/);
    } finally {
      await server.close();
    }
  });
});

describe('bad values that break commands later', () => {
  it('10: expires_in 1e13 is clamped, and every listing still works', async () => {
    const dataDir = freshDataDir();
    const server = await scriptedProvider(dataDir, {
      body: { access_token: 'forever-token-0000', token_type: 'Bearer', expires_in: 1e13 },
    });
    try {
      await tokendeckOk(['connect', 'odd'], { dataDir });
      const [account] = JSON.parse(
        await tokendeckOk(['accounts', '--json'], { dataDir }),
      ) as Array<{
        expiresAt: string;
      }>;
      const years = (Date.parse(account!.expiresAt) - Date.now()) / (365 * 86_400_000);
      expect(years).toBeGreaterThan(9);
      expect(years).toBeLessThanOrEqual(10);
      await tokendeckOk(['accounts'], { dataDir });
      expect((await tokendeckOk(['token', 'odd'], { dataDir })).trim()).toBe('forever-token-0000');
    } finally {
      await server.close();
    }
  });

  it('11: every numeric flag names its range', async () => {
    const dataDir = freshDataDir();
    const usage = async (args: string[]) => errorLine(await tokendeck(args, { dataDir }), 2);
    expect(await usage(['token', 'x', '--min-ttl', '-1'])).toMatch(
      /--min-ttl takes a number of seconds from 0 to 31536000/,
    );
    expect(await usage(['connect', 'x', '--timeout', '0'])).toMatch(
      /--timeout takes a number of seconds from 1 to 3600/,
    );
    expect(await usage(['request', 'x', 'GET', '/', '--timeout', '3000000'])).toMatch(
      /--timeout takes a number of seconds from 1 to 600/,
    );
    expect(await usage(['unlock', '--ttl', '43201'])).toMatch(
      /--ttl takes a number of seconds from 1 to 43200/,
    );
  });

  it('12: a header prefix Node could never send is refused when the profile is saved', async () => {
    const dataDir = freshDataDir();
    for (const prefix of ['Bearér', 'Bearer\u0001']) {
      const result = await tokendeck(
        ['provider', 'add', 'k', '--grant', 'api_key', '--header-prefix', prefix],
        { dataDir },
      );
      expect(errorLine(result)).toMatch(/use\.headerPrefix: must be printable ASCII/);
    }
  });
});

describe('history that grows without bound', () => {
  it('13: requests leave vault.json as it was; their history is sealed beside it', async () => {
    const dataDir = freshDataDir();
    const server = await scriptedProvider(dataDir, {
      body: { access_token: 'history-token-0000', token_type: 'Bearer', expires_in: 3600 },
    });
    try {
      await tokendeckOk(['connect', 'odd'], { dataDir });
      const before = statSync(join(dataDir, 'vault.json')).size;
      // Large, but under the 16 KiB of headers a Node server takes.
      const big = 'x'.repeat(1200);
      const headers = Array.from({ length: 10 }, (_, i) => ['-H', `X-Big-${i}: ${big}`]).flat();
      for (let i = 0; i < 3; i += 1) {
        await tokendeckOk(['request', 'odd', 'GET', '/api', ...headers], { dataDir });
      }
      expect(statSync(join(dataDir, 'vault.json')).size).toBe(before);
      expect(statSync(join(dataDir, 'history')).isDirectory()).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('messages and exits', () => {
  it('14: a closed stdout exits quietly; a full one says so in one line', async () => {
    const dataDir = freshDataDir();
    await tokendeckOk(['provider', 'add', 'k', '--grant', 'api_key'], { dataDir });
    const closed = await runRaw(['providers'], { dataDir, closeStdout: true });
    expect(closed.code).toBe(0);
    expect(closed.stderr).toBe('');
    const full = openSync('/dev/full', 'w');
    try {
      const result = await runRaw(['providers'], { dataDir, stdout: full });
      expect(errorLine(result)).toMatch(/output could not be written \(no space left/);
    } finally {
      closeSync(full);
    }
  });

  it('15: unusable data folders are named with their problem', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    expect(
      errorLine(await tokendeck(['--data-dir', file, 'providers'], { dataDir: file })),
    ).toMatch(
      new RegExp(`data folder ${file} cannot be used: a file stands where a folder should be`),
    );
    expect(
      errorLine(await tokendeck(['--data-dir', '/proc/self', 'providers'], { dataDir: file })),
    ).toMatch(/cannot be used: it is on a virtual file system/);
    expect(
      errorLine(await tokendeck(['--data-dir', '/dev/null', 'providers'], { dataDir: file })),
    ).toMatch(/cannot be used: it is on a virtual file system/);
    const dataDir = freshDataDir();
    await tokendeckOk(['providers'], { dataDir });
    mkdirSync(join(dataDir, 'vault.json.lock'));
    expect(
      errorLine(await tokendeck(['provider', 'add', 'k', '--grant', 'api_key'], { dataDir })),
    ).toMatch(
      /lock file .*vault\.json\.lock cannot be used: a folder stands where a file should be/,
    );
  });

  it('16: each unreadable vault says what is wrong with it', async () => {
    for (const [bytes, problem] of [
      ['', /is empty/],
      ['{}', /is not a Tokendeck vault/],
      ['{"format":"tokendeck-vault","version":0}', /has an unknown format version 0/],
    ] as const) {
      const dataDir = freshDataDir();
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, 'vault.json'), bytes);
      expect(errorLine(await tokendeck(['accounts'], { dataDir }))).toMatch(problem);
    }
  });

  it('17: an API-key connect without a key and without a terminal asks for the key', async () => {
    const dataDir = freshDataDir();
    await tokendeckOk(['provider', 'add', 'k', '--grant', 'api_key'], { dataDir });
    const line = errorLine(await tokendeck(['connect', 'k'], { dataDir }));
    expect(line).toMatch(/needs its API key: pass it on standard input with --api-key-stdin/);
    expect(line).not.toMatch(/passphrase/i);
  });

  it('18: remove says when revocation failed, and removes the account', async () => {
    const dataDir = freshDataDir();
    const server = await scriptedProvider(
      dataDir,
      { body: { access_token: 'revoke-token-0000', token_type: 'Bearer', expires_in: 3600 } },
      ['--revocation-url', '{origin}/revoke'],
    );
    server.route('/revoke', () => ({ status: 503, body: 'down for maintenance' }));
    try {
      await tokendeckOk(['connect', 'odd'], { dataDir });
      const removed = await tokendeck(['remove', 'odd', '--yes'], { dataDir });
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stderr).toMatch(
        /note: the revocation failed \(.*503.*\); the account was removed here only/,
      );
      expect(JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('19: error codes reach the log as codes, not "[redacted]"', async () => {
    const dataDir = freshDataDir();
    await tokendeckOk(['providers'], { dataDir });
    await tokendeck(['providers'], { dataDir, passphrase: 'not the passphrase at all' });
    expect(readFileSync(join(dataDir, 'logs', 'cli.log'), 'utf8')).toContain(
      '"code":"vault_wrong_passphrase"',
    );
  });
});
