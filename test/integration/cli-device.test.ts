import { join } from 'node:path';
import { EXIT } from '../../src-main/cli/exit-codes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserUser, type BrowserUser } from '../helpers/browser-user';
import { tokendeck, tokendeckOk } from '../helpers/cli';
import { scannedTempDir } from '../helpers/secret-registry';
import { startProtocolServer, type ProtocolServer } from '../helpers/servers/oidc-protocols';

/**
 * The device authorization grant (RFC 8628) through the real `tokendeck` command, against
 * node-oidc-provider: the codes on stderr (one JSON line first with --json), Chromium typing the
 * code at the verification page and signing in, slow_down, access_denied, expiry and Ctrl-C.
 */

interface Codes {
  verification_uri: string;
  user_code: string;
  verification_uri_complete?: string;
  expires_at: string;
  interval: number;
}

let browser: BrowserUser;
let server: ProtocolServer;
let root: string;

beforeAll(async () => {
  browser = await createBrowserUser({ login: 'dee' });
  server = await startProtocolServer({ deviceInterval: 1, slowDownPolls: 1 });
  root = scannedTempDir('tokendeck-cli-device-');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function addDeviceProvider(dataDir: string, issuer: string): Promise<void> {
  await tokendeckOk(
    [
      'provider',
      'add',
      'tv',
      '--issuer',
      issuer,
      '--grant',
      'device_code',
      '--client-id',
      'device-client',
      '--scope',
      'openid offline_access',
    ],
    { dataDir },
  );
}

describe('tokendeck connect with the device grant', () => {
  it('shows the codes first, lets Chromium enter the code, slows down when asked, and stores the account', async () => {
    const dataDir = join(root, 'device');
    await addDeviceProvider(dataDir, server.issuer);
    const lines: string[] = [];
    const connected = await tokendeck(['connect', 'tv', '--json', '--no-browser'], {
      dataDir,
      onStderrLine: (line) => {
        lines.push(line);
        if (lines.length !== 1) return;
        const codes = JSON.parse(line) as Codes;
        void browser.enterCode(codes.verification_uri, codes.user_code);
      },
    });
    expect(connected.code, connected.stderr).toBe(0);
    await browser.settled();

    const codes = JSON.parse(lines[0]!) as Codes;
    expect(codes.verification_uri).toBe(`${server.issuer}/device`);
    expect(codes.user_code).toMatch(/^[A-Z]{4}-?[A-Z]{4}$/);
    expect(codes.verification_uri_complete).toContain('user_code=');
    expect(codes.interval).toBe(1);
    expect(Date.parse(codes.expires_at)).toBeGreaterThan(Date.now());

    const { id } = JSON.parse(connected.stdout) as { id: string };
    const [account] = JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }));
    expect(account).toMatchObject({ id, provider: 'tv', subject: 'dee', status: 'fresh' });

    // The first pending poll was answered slow_down: the next one came 1 + 5 s later at least.
    const polls = server.devicePolls;
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls[1]! - polls[0]!).toBeGreaterThanOrEqual(5_900);

    // The refresh token renews the device-grant account like any sign-in.
    const before = server.tokenRequests;
    await tokendeckOk(['token', id, '--min-ttl', '7200'], { dataDir });
    expect(server.tokenRequests).toBe(before + 1);
  });

  it('says where to go and what to enter, in words, without --json', async () => {
    const dataDir = join(root, 'words');
    await addDeviceProvider(dataDir, server.issuer);
    const connected = await tokendeck(['connect', 'tv', '--no-browser'], {
      dataDir,
      onStderrLine: (line) => {
        const match = /^Open (\S+) and enter (\S+) \(or open \S+\)$/.exec(line);
        if (match) void browser.enterCode(match[1]!, match[2]!);
      },
    });
    expect(connected.code, connected.stderr).toBe(0);
    expect(connected.stderr).toMatch(/^Open http:\/\/127\.0\.0\.1:\d+\/device and enter \S+/m);
    expect(connected.stderr).toMatch(/The code expires in \d+ min/);
  });

  it('fails with access_denied when the person aborts at the verification page, storing nothing', async () => {
    const dataDir = join(root, 'denied');
    await addDeviceProvider(dataDir, server.issuer);
    const refused = await tokendeck(['connect', 'tv', '--json', '--no-browser'], {
      dataDir,
      onStderrLine: (line) => {
        if (!line.startsWith('{"verification_uri"')) return;
        const codes = JSON.parse(line) as Codes;
        void browser.refuseCode(codes.verification_uri, codes.user_code);
      },
    });
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, code: 'callback_error' });
    expect(refused.stderr).toMatch(/access_denied/);
    expect(JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }))).toEqual([]);
  });

  it('stops when the code expires before anyone enters it', async () => {
    const short = await startProtocolServer({ deviceInterval: 1, deviceCodeTtl: 3 });
    try {
      const dataDir = join(root, 'expired');
      await addDeviceProvider(dataDir, short.issuer);
      const expired = await tokendeck(['connect', 'tv', '--json', '--no-browser'], { dataDir });
      expect(expired.code).toBe(1);
      expect(JSON.parse(expired.stdout)).toMatchObject({ ok: false, code: 'flow_timeout' });
      expect(expired.stderr).toMatch(/device code expired/);
      expect(short.devicePolls.length).toBeGreaterThan(0);
      expect(JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }))).toEqual([]);
    } finally {
      await short.close();
    }
  });

  it('stops polling at Ctrl-C', async () => {
    const dataDir = join(root, 'cancel');
    await addDeviceProvider(dataDir, server.issuer);
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    const cancelled = await tokendeck(['connect', 'tv', '--json', '--no-browser'], {
      dataDir,
      onSpawn: (spawned) => (child = spawned),
      onStderrLine: (line) => {
        if (line.startsWith('{"verification_uri"')) child?.kill('SIGINT');
      },
    });
    expect(cancelled.code).toBe(EXIT.cancelled);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ ok: false, code: 'flow_cancelled' });
  });
});
