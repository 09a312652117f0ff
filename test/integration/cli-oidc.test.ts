import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserUser, type BrowserUser } from '../helpers/browser-user';
import { scannedTempDir } from '../helpers/secret-registry';
import { tokendeck, tokendeckOk } from '../helpers/cli';
import { filesBelow, filesContainingSecrets } from '../helpers/fake-ports';
import { startOidcProvider, type OidcProviderServer } from '../helpers/servers/oidc-provider';

/**
 * The whole authorization-code life of an account at a real OpenID provider, through the CLI:
 * discovery, dynamic registration, code + PKCE in the system browser, refresh with rotation,
 * and revocation on remove.
 */

let browser: BrowserUser;
let server: OidcProviderServer;
let root: string;

beforeAll(async () => {
  browser = await createBrowserUser({ login: 'ada' });
  server = await startOidcProvider({ accessTokenTtl: 3600, refreshTokenRotation: true });
  root = scannedTempDir('tokendeck-cli-oidc-');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('tokendeck against node-oidc-provider', () => {
  it('discovers, registers, signs in, renews with rotation and revokes', async () => {
    const dataDir = join(root, 'full');
    await tokendeckOk(
      [
        'provider',
        'add',
        'local',
        '--issuer',
        server.issuer,
        '--register',
        '--scope',
        'openid email offline_access',
        '--whoami',
        'userinfo',
      ],
      { dataDir },
    );
    const connected = await tokendeck(['connect', 'local', '--no-browser', '--json'], {
      dataDir,
      onUrl: (url) => void browser.open(url),
    });
    expect(connected.code, connected.stderr).toBe(0);
    await browser.settled();
    const authorizeUrl = new URL(/^(https?:\/\/\S+)$/m.exec(connected.stderr)![1]!);
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('state')).toBeTruthy();
    expect(new URL(authorizeUrl.searchParams.get('redirect_uri')!).hostname).toBe('127.0.0.1');

    const { id } = JSON.parse(connected.stdout) as { id: string };
    const [account] = JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }));
    expect(account).toMatchObject({ id, provider: 'local', subject: 'ada', status: 'fresh' });

    const before = server.tokenRequests;
    const first = (await tokendeckOk(['token', id], { dataDir })).trim();
    expect(server.tokenRequests).toBe(before);
    const second = (await tokendeckOk(['token', id, '--min-ttl', '7200'], { dataDir })).trim();
    const third = (await tokendeckOk(['token', id, '--min-ttl', '7200'], { dataDir })).trim();
    expect(new Set([first, second, third]).size).toBe(3);
    expect(server.tokenRequests).toBe(before + 2);
    expect(server.refreshReuse).toBe(0);

    const userinfo = await fetch(`${server.issuer}/me`, {
      headers: { authorization: `Bearer ${third}` },
    });
    expect(((await userinfo.json()) as { sub: string }).sub).toBe('ada');

    expect(filesContainingSecrets(dataDir, [first, second, third])).toEqual([]);

    const removed = JSON.parse(await tokendeckOk(['remove', id, '--yes', '--json'], { dataDir }));
    expect(removed).toEqual({ id, revoked: true });
    const afterRevoke = await fetch(`${server.issuer}/me`, {
      headers: { authorization: `Bearer ${third}` },
    });
    expect(afterRevoke.status).toBe(401);

    // The logs say what happened and never what the secrets were.
    const logs = filesBelow(dataDir).filter((file) => file.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.map((file) => readFileSync(file, 'utf8')).join('\n')).toContain(
      'account connected',
    );
  });

  it('opens the sign-in URL with $BROWSER', async () => {
    const dataDir = join(root, 'browser-env');
    const opened = join(root, 'opened-url.txt');
    const script = join(root, 'fake-browser.mjs');
    writeFileSync(
      script,
      "import { writeFileSync } from 'node:fs';\nwriteFileSync(process.argv[2], process.argv[3]);\n",
    );
    await tokendeckOk(
      ['provider', 'add', 'local', '--issuer', server.issuer, '--register', '--scope', 'openid'],
      { dataDir },
    );
    const watcher = (async () => {
      for (let attempt = 0; attempt < 1200 && !existsSync(opened); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await browser.open(readFileSync(opened, 'utf8'));
    })();
    const connected = await tokendeck(['connect', 'local', '--json'], {
      dataDir,
      env: { BROWSER: `${process.execPath} ${script} ${opened} %s` },
    });
    await watcher;
    expect(connected.code, connected.stderr).toBe(0);
    expect(readFileSync(opened, 'utf8')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\?/);
  });

  it('refuses a callback that says access_denied, and stores nothing', async () => {
    const dataDir = join(root, 'denied');
    await tokendeckOk(
      ['provider', 'add', 'local', '--issuer', server.issuer, '--register', '--scope', 'openid'],
      { dataDir },
    );
    const denied = await tokendeck(['connect', 'local', '--no-browser'], {
      dataDir,
      onUrl: (url) => void browser.deny(url),
    });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/access_denied/);
    expect(denied.stderr.trim().split('\n').at(-1)).toMatch(/^tokendeck: /);
    expect(JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }))).toEqual([]);
  });
});
