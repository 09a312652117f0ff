import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src-main/cli/exit-codes';
import { runCli } from '../../src-main/cli/run';
import { createService } from '../../src-main/core/service';
import type { ProviderProfileInput } from '../../src-main/core/providers';
import { putAccount, readProvider, writeTokens } from '../../src-main/core/records';
import { Vault, createPassphraseSlot } from '../../src-main/core/vault';
import { createMemoryClipboard, createRecordingBrowser } from '../helpers/fake-ports';
import { memoryIo } from '../helpers/memory-io';
import { recordSecret, scannedTempDir } from '../helpers/secret-registry';
import { TEST_CLI_HOST, TEST_SCRYPT } from '../helpers/vault-fixtures';

/**
 * The CLI's answers to tokens that carry no expiry: `--assume-expires-in` on a provider, and
 * `token --verify`, which asks the provider's who-am-I call before printing and renews on a 401.
 * Also `request --location-trusted`. A small loopback provider whose access tokens never say when
 * they expire, and which the test can revoke.
 */
const PASSPHRASE = 'cli verify passphrase';

interface Provider {
  origin: string;
  live: Set<string>;
  refreshes: number;
  seen: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

async function startProvider(): Promise<Provider> {
  let generation = 1;
  const provider: Omit<Provider, 'origin' | 'close'> = {
    live: new Set(['at-1-no-expiry']),
    refreshes: 0,
    seen: [],
  };
  let refreshToken = 'rt-1-rotating';
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    provider.seen.push({ path: url.pathname, authorization: req.headers.authorization });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/token') {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (form.get('refresh_token') !== refreshToken) return json(400, { error: 'invalid_grant' });
      generation += 1;
      provider.refreshes += 1;
      const access = `at-${generation}-no-expiry`;
      refreshToken = `rt-${generation}-rotating`;
      recordSecret(access);
      recordSecret(refreshToken);
      provider.live.add(access);
      // No expires_in: the token's end is unknown to the client.
      return json(200, { access_token: access, token_type: 'Bearer', refresh_token: refreshToken });
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (url.pathname === '/me') {
      return token && provider.live.has(token)
        ? json(200, { id: 'user-1' })
        : json(401, { error: 'invalid_token' });
    }
    if (url.pathname === '/hop') {
      return json(307, {}, { location: `${url.searchParams.get('to')}` });
    }
    return json(200, { ok: true });
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(provider, {
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

let provider: Provider;
let other: Provider;
let dataDir: string;

beforeAll(async () => {
  provider = await startProvider();
  other = await startProvider();
});
afterAll(async () => {
  await provider.close();
  await other.close();
});

beforeEach(() => {
  dataDir = scannedTempDir('tokendeck-cli-verify-');
  return () => rmSync(dataDir, { recursive: true, force: true });
});

async function cli(...args: string[]) {
  const io = memoryIo({ TOKENDECK_PASSPHRASE: PASSPHRASE });
  const code = await runCli(['--data-dir', dataDir, ...args], io, TEST_CLI_HOST);
  return { code, out: io.out(), err: io.err() };
}

/** Saves the provider and an account holding `at-1-no-expiry`, as a sign-in would have. */
async function seed(
  whoami: ProviderProfileInput['whoami'] = { kind: 'rest', url: '/me', subject: 'id' },
) {
  const service = await createService({
    dataDir,
    passphrase: PASSPHRASE,
    scryptN: TEST_SCRYPT.N,
    browser: createRecordingBrowser(),
    clipboard: createMemoryClipboard(),
    schedule: false,
  });
  await service.saveProvider({
    profile: {
      id: 'forever',
      name: 'Forever',
      grant: 'authorization_code',
      endpoints: {
        authorization: `${provider.origin}/authorize`,
        token: `${provider.origin}/token`,
      },
      client: { registration: 'static', clientId: 'client-1', auth: 'none' },
      use: { headerName: 'Authorization', headerPrefix: 'Bearer', apiBase: provider.origin },
      whoami,
    },
  });
  await service.close();
  recordSecret('at-1-no-expiry');
  recordSecret('rt-1-rotating');
  const vault = await Vault.open(dataDir, createPassphraseSlot(PASSPHRASE, TEST_SCRYPT));
  await vault.update((tx) => {
    putAccount(tx, {
      id: 'forever-1',
      providerId: 'forever',
      subject: 'user-1',
      label: 'user-1',
      grant: 'authorization_code',
      tokenType: 'Bearer',
      scopes: [],
      expiresAt: null,
      receivedAt: Date.now(),
      hasRefreshToken: true,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
    writeTokens(tx, 'forever-1', { accessToken: 'at-1-no-expiry', refreshToken: 'rt-1-rotating' });
  });
}

describe('tokens without an expiry', () => {
  it('token --verify renews a token the provider revoked, where plain token hands it out', async () => {
    await seed();
    provider.live.delete('at-1-no-expiry');
    expect(await cli('token', 'forever-1')).toMatchObject({ code: 0, out: 'at-1-no-expiry\n' });
    const before = provider.refreshes;

    const verified = await cli('token', 'forever-1', '--verify');
    expect(verified.err).toBe('');
    expect(verified.code).toBe(0);
    const token = verified.out.trim();
    expect(token).not.toBe('at-1-no-expiry');
    expect(provider.live.has(token)).toBe(true);
    expect(provider.refreshes).toBe(before + 1);
    // The new token is stored: the next plain call prints it without asking the provider.
    expect((await cli('token', 'forever-1')).out.trim()).toBe(token);

    // A live token is only checked, not renewed.
    expect((await cli('token', 'forever-1', '--verify')).out.trim()).toBe(token);
    expect(provider.refreshes).toBe(before + 1);
  });

  it('token --verify refuses a provider without a who-am-I call, naming the fix', async () => {
    await seed({ kind: 'none' });
    const result = await cli('token', 'forever-1', '--verify');
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err).toContain('cannot be verified');
    expect(result.err).toContain('--whoami rest');
  });

  it('provider add --assume-expires-in stores the assumed lifetime, and checks it', async () => {
    const added = await cli(
      'provider',
      'add',
      'assumed',
      '--authorization-url',
      `${provider.origin}/authorize`,
      '--token-url',
      `${provider.origin}/token`,
      '--client-id',
      'c1',
      '--assume-expires-in',
      '600',
    );
    expect(added.err).toBe('');
    const vault = await Vault.open(dataDir, createPassphraseSlot(PASSPHRASE, TEST_SCRYPT));
    expect(readProvider(await vault.read(), 'assumed').profile.quirks.assumeExpiresIn).toBe(600);
    for (const bad of ['0', 'soon']) {
      const refused = await cli('provider', 'add', 'bad', '--assume-expires-in', bad);
      expect(refused.code).toBe(EXIT.usage);
      expect(refused.err).toContain('--assume-expires-in');
    }
  });
});

describe('request --location-trusted', () => {
  it('keeps the token on a redirect to another origin only when asked', async () => {
    await seed();
    const hop = `/hop?to=${encodeURIComponent(`${other.origin}/landed`)}`;
    expect((await cli('request', 'forever-1', 'GET', hop)).code).toBe(0);
    expect(other.seen.at(-1)).toEqual({ path: '/landed', authorization: undefined });
    expect((await cli('request', 'forever-1', 'GET', hop, '--location-trusted')).code).toBe(0);
    expect(other.seen.at(-1)).toEqual({ path: '/landed', authorization: 'Bearer at-1-no-expiry' });
  });
});
