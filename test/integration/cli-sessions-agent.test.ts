import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, TEST_PASSPHRASE, tokendeck, tokendeckOk } from '../helpers/cli';
import { recordSecret, scannedTempDir } from '../helpers/secret-registry';
import { startAluma, type AlumaServer } from '../helpers/servers/aluma';

/**
 * Unlock once, then fast: sessions (`unlock`, `lock`, expiry) and the headless agent, through
 * the real command; and the exit codes that say the cause.
 */

let root: string;
let aluma: AlumaServer;
const client = { client_id: 'aluma-client', client_secret: 'aluma-secret-77777777' };
let counter = 0;
const dir = () => join(root, `d${++counter}`);
const noPassphrase = { TOKENDECK_PASSPHRASE: undefined } as unknown as NodeJS.ProcessEnv;

beforeAll(async () => {
  root = scannedTempDir('tokendeck-cli-sessions-');
  aluma = await startAluma({ clients: [client] });
});

afterAll(async () => {
  await aluma?.close();
});

/** `provider add aluma` for the stand-in, with the secret read from stdin. */
const addAluma = (...extra: string[]) => [
  ...['provider', 'add', 'aluma', ...extra, '--preset', 'aluma', '--base-url', aluma.url],
  ...['--client-id', client.client_id, '--client-secret-stdin'],
];

/** A data folder with an Aluma client-credentials account; returns its id. */
async function alumaAccount(dataDir: string): Promise<string> {
  await tokendeckOk(addAluma(), { dataDir, stdin: client.client_secret });
  return JSON.parse(await tokendeckOk(['connect', 'aluma', '--json'], { dataDir })).id as string;
}

/** `tokendeck unlock --raw`: the session value, remembered for the secret scan. */
async function unlock(dataDir: string, args: string[] = []): Promise<string> {
  const session = await tokendeckOk(['unlock', '--raw', ...args], { dataDir });
  recordSecret(session);
  recordSecret(session.split('.')[2]);
  return session;
}

describe('tokendeck sessions', () => {
  it('unlock → token without TOKENDECK_PASSPHRASE; the session files hold no key; lock ends it', async () => {
    const dataDir = dir();
    const id = await alumaAccount(dataDir);
    const session = await unlock(dataDir);
    expect(session).toMatch(/^tds1\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
    const env = { ...noPassphrase, TOKENDECK_SESSION: session };
    const token = await tokendeckOk(['token', id], { dataDir, env });
    expect(token.trim().length).toBeGreaterThan(8);

    const sessions = join(dataDir, 'sessions');
    expect(statSync(sessions).mode & 0o777).toBe(0o700);
    const [file] = readdirSync(sessions);
    expect(statSync(join(sessions, file!)).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(join(sessions, file!), 'utf8');
    expect(bytes).not.toContain(session.split('.')[2]);
    expect(bytes).not.toContain(token.trim());

    const printed = await tokendeckOk(['unlock'], { dataDir });
    expect(printed).toMatch(/^export TOKENDECK_SESSION='tds1\.[^']+'\n$/);
    recordSecret(/'([^']+)'/.exec(printed)?.[1]);

    const locked = JSON.parse(
      await tokendeckOk(['lock', '--json'], { dataDir, env: noPassphrase }),
    );
    expect(locked.sessionsEnded).toBeGreaterThanOrEqual(2);
    expect(locked.agentStopped).toBe(false);
    expect(readdirSync(sessions)).toEqual([]);
    const after = await tokendeck(['token', id], { dataDir, env });
    expect(after.code).toBe(5);
    expect(after.stderr).toMatch(/session has ended.*tokendeck unlock/);
  });

  it('an expired session is refused with exit 5, and its file removed', async () => {
    const dataDir = dir();
    const id = await alumaAccount(dataDir);
    const session = await unlock(dataDir, ['--ttl', '1']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const result = await tokendeck(['token', id], {
      dataDir,
      env: { ...noPassphrase, TOKENDECK_SESSION: session },
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/session has expired/);
    expect(readdirSync(join(dataDir, 'sessions'))).not.toContain(`${session.split('.')[1]}.json`);
  });
});

/** Starts `tokendeck agent` and waits until it says it serves. */
async function startAgentProcess(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'agent'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TOKENDECK_DATA_DIR: dataDir,
      TOKENDECK_PASSPHRASE: TEST_PASSPHRASE,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('is serving')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the agent exited ${code}: ${text}`)));
  });
  return child;
}

describe('tokendeck agent (headless)', () => {
  it('serves token and request with no passphrase, and one renewal is shared by the agent and two calls', async () => {
    const dataDir = dir();
    aluma.setExpiresIn(1);
    const id = await alumaAccount(dataDir);
    aluma.setExpiresIn(86_400);
    const agent = await startAgentProcess(dataDir);
    try {
      const agentDir = join(dataDir, 'agent');
      expect(statSync(agentDir).mode & 0o777).toBe(0o700);
      expect(statSync(join(agentDir, 'agent.sock')).mode & 0o777).toBe(0o600);
      expect(statSync(join(agentDir, 'agent.key')).mode & 0o777).toBe(0o600);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const before = aluma.tokenRequests;
      const [a, b] = await Promise.all([
        tokendeckOk(['token', id], { dataDir, env: noPassphrase }),
        tokendeckOk(['token', id], { dataDir, env: noPassphrase }),
      ]);
      expect(a).toBe(b);
      expect(aluma.tokenRequests - before).toBe(1);
      const me = JSON.parse(
        await tokendeckOk(['request', id, 'GET', '/v1/me'], { dataDir, env: noPassphrase }),
      );
      expect(me.client_id).toBe(client.client_id);
      const status = JSON.parse(
        await tokendeckOk(['status', '--json'], { dataDir, env: noPassphrase }),
      );
      expect(status.agent).toMatchObject({ mode: 'headless', pid: agent.pid });

      expect(
        JSON.parse(await tokendeckOk(['lock', '--json'], { dataDir, env: noPassphrase })),
      ).toMatchObject({ agentStopped: true });
      await new Promise((resolve) => agent.once('exit', resolve));
      expect((await tokendeck(['token', id], { dataDir, env: noPassphrase })).code).toBe(5);
    } finally {
      agent.kill();
    }
  });
});

describe('tokendeck exit codes', () => {
  it('0 ok, 2 usage, 3 not found, 4 needs you, 5 locked, 6 unreachable, 22 --fail', async () => {
    const dataDir = dir();
    const id = await alumaAccount(dataDir);
    expect((await tokendeck(['token', id], { dataDir })).code).toBe(0);
    expect((await tokendeck(['tokne', id], { dataDir })).stderr).toMatch(/did you mean "token"/);
    expect((await tokendeck(['token', id, '--formt', 'json'], { dataDir })).code).toBe(2);
    expect((await tokendeck(['token', 'nobody'], { dataDir })).code).toBe(3);
    expect(
      (await tokendeck(['token', id], { dataDir, passphrase: 'not the passphrase' })).code,
    ).toBe(5);
    const failed = await tokendeck(['request', id, 'GET', '/nowhere', '--fail'], { dataDir });
    expect(failed.code).toBe(22);
    expect((await tokendeck(['request', id, 'GET', '/nowhere'], { dataDir })).code).toBe(0);

    // The client secret changes under the account: renewal is refused (invalid_client) → 4.
    await tokendeckOk(addAluma('--replace'), { dataDir, stdin: 'a-secret-aluma-will-refuse' });
    const needsYou = await tokendeck(['renew', id], { dataDir });
    expect(needsYou.code).toBe(4);
    expect((await tokendeck(['token', id], { dataDir })).code).toBe(4);

    // A token endpoint where nothing listens → 6.
    const closed = await startAluma({ clients: [client] });
    const closedUrl = closed.url;
    await closed.close();
    await tokendeckOk(
      [
        'provider',
        'add',
        'gone',
        '--grant',
        'client_credentials',
        '--token-url',
        `${closedUrl}/oauth/token`,
        '--client-id',
        'x',
        '--client-secret-stdin',
      ],
      { dataDir, stdin: 'gone-secret-12345678' },
    );
    expect((await tokendeck(['connect', 'gone'], { dataDir })).code).toBe(6);
  });

  it('--header and --format exec-credential follow a provider with a custom header', async () => {
    const dataDir = dir();
    await tokendeckOk(
      [
        'provider',
        'add',
        'keyed',
        '--grant',
        'api_key',
        '--header',
        'X-Api-Key',
        '--header-prefix',
        '',
      ],
      { dataDir },
    );
    const key = 'keyed-api-key-0123456789';
    const id = JSON.parse(
      await tokendeckOk(['connect', 'keyed', '--api-key-stdin', '--json'], { dataDir, stdin: key }),
    ).id as string;
    expect(await tokendeckOk(['token', id, '--header'], { dataDir })).toBe(`X-Api-Key: ${key}\n`);
    expect(
      await tokendeckOk(['token', id, '--format', 'env', '--env-name', 'API', '--no-newline'], {
        dataDir,
      }),
    ).toBe(`export API='${key}'`);
    const credential = JSON.parse(
      await tokendeckOk(['token', id, '--format', 'exec-credential'], { dataDir }),
    );
    expect(credential).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: key },
    });

    const cc = await alumaAccount(dataDir);
    const expiring = JSON.parse(
      await tokendeckOk(['token', cc, '--format', 'exec-credential'], { dataDir }),
    );
    expect(expiring.status.expirationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('completion scripts pass bash -n and list provider names and account ids without unlocking', async () => {
    const dataDir = dir();
    const id = await alumaAccount(dataDir);
    for (const shell of ['bash', 'zsh', 'fish']) {
      const script = await tokendeckOk(['completion', shell], { dataDir, env: noPassphrase });
      expect(script).toContain('__complete');
      if (shell === 'bash') {
        const check = spawn('bash', ['-n'], { stdio: ['pipe', 'ignore', 'pipe'] });
        check.stdin.end(script);
        expect(await new Promise((resolve) => check.once('exit', resolve))).toBe(0);
      }
    }
    expect(await tokendeckOk(['__complete', 'accounts'], { dataDir, env: noPassphrase })).toBe(
      `${id}\n`,
    );
    expect(await tokendeckOk(['__complete', 'providers'], { dataDir, env: noPassphrase })).toBe(
      'aluma\n',
    );
    expect(
      await tokendeckOk(['__complete', 'flags', 'token'], { dataDir, env: noPassphrase }),
    ).toContain('--format\n');
  });
});
