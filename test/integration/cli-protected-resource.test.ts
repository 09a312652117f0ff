import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserUser, type BrowserUser } from '../helpers/browser-user';
import { tokendeck, tokendeckOk } from '../helpers/cli';
import { scannedTempDir } from '../helpers/secret-registry';
import { startProtocolServer, type ProtocolServer } from '../helpers/servers/oidc-protocols';
import { startResourceServer, type ResourceServer } from '../helpers/servers/resource-server';

/**
 * An API known only by its URL (RFC 9728), DPoP-bound tokens (RFC 9449) and pushed authorization
 * requests (RFC 9126), through the real `tokendeck` command against node-oidc-provider and a
 * resource server that checks every token and proof.
 */

let browser: BrowserUser;
let server: ProtocolServer;
let api: ResourceServer;
let root: string;

beforeAll(async () => {
  browser = await createBrowserUser({ login: 'ada' });
  api = await startResourceServer({ requireNonce: true });
  server = await startProtocolServer({ resource: api.url, dpopNonce: true });
  api.trust(server.issuer);
  root = scannedTempDir('tokendeck-cli-resource-');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await api?.close();
});

/** Connects a provider through Chromium and returns the authorize URL it opened. */
async function connect(dataDir: string, provider: string): Promise<URL> {
  const connected = await tokendeck(['connect', provider, '--no-browser', '--json'], {
    dataDir,
    onUrl: (url) => void browser.open(url),
  });
  expect(connected.code, connected.stderr).toBe(0);
  await browser.settled();
  return new URL(/^(https?:\/\/\S+)$/m.exec(connected.stderr)![1]!);
}

describe('provider add --api (RFC 9728)', () => {
  it('finds the authorization server from the API URL alone, connects with the resource, and calls the API', async () => {
    const dataDir = join(root, 'api');
    const added = await tokendeck(['provider', 'add', 'api', '--api', api.url, '--json'], {
      dataDir,
    });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toContain(`Found ${api.url}`);
    expect(added.stderr).toContain(`its authorization server is ${server.issuer}`);
    const profile = JSON.parse(await tokendeckOk(['provider', 'export', 'api'], { dataDir }))
      .profile as Record<string, unknown>;
    expect(profile).toMatchObject({
      issuer: server.issuer,
      client: { registration: 'dynamic' },
      authorizeParams: { resource: api.url },
      tokenParams: { resource: api.url },
      use: { apiBase: api.url },
      scopes: ['openid', 'offline_access', 'api:read'],
    });

    const authorize = await connect(dataDir, 'api');
    expect(authorize.searchParams.get('resource')).toBe(api.url);

    const response = JSON.parse(
      await tokendeckOk(['request', 'api', 'GET', '/items'], { dataDir }),
    );
    expect(response).toEqual({ sub: 'ada', scheme: 'Bearer', path: '/items' });
  });

  it('names the step that failed, in plain words', async () => {
    const dataDir = join(root, 'api-fail');
    const notAnApi = await tokendeck(
      ['provider', 'add', 'x', '--api', `${server.issuer}/nothing-here`, '--json'],
      { dataDir },
    );
    expect(notAnApi.code).toBe(1);
    const failure = JSON.parse(notAnApi.stdout) as { code: string; message: string };
    expect(failure.code).toBe('discovery_failed');
    expect(failure.message).toMatch(/^Step 2 of 4: .*without naming its metadata/);

    const wrongResource = await tokendeck(
      ['provider', 'add', 'x', '--api', `${api.url}v2`, '--json'],
      { dataDir },
    );
    expect(wrongResource.code).toBe(1);
    expect(JSON.parse(wrongResource.stdout).message).toMatch(
      /^Step 3 of 4: the metadata at .* is for .*, not .*\/v2/,
    );
  });
});

describe('DPoP (RFC 9449)', () => {
  it('binds the tokens to a key kept in the vault, and proves it at the token endpoint and the API, nonces included', async () => {
    const dataDir = join(root, 'dpop');
    await tokendeckOk(['provider', 'add', 'bound', '--api', api.url, '--dpop'], { dataDir });
    const authorize = await connect(dataDir, 'bound');
    expect(authorize.searchParams.get('dpop_jkt')).toMatch(/^[\w-]{43}$/);

    const token = JSON.parse(await tokendeckOk(['token', 'bound', '--json'], { dataDir }));
    expect(token).toMatchObject({ tokenType: 'DPoP', dpopBound: true });
    const plain = await tokendeck(['token', 'bound'], { dataDir });
    expect(plain.stderr).toMatch(/DPoP-bound/);

    // Without a proof the API refuses it: the token alone is useless.
    const stolen = await fetch(`${api.url}items`, {
      headers: { authorization: `Bearer ${token.accessToken as string}` },
    });
    expect(stolen.status).toBe(401);

    // Another process, the same key: a fresh proof, and the API's nonce after one retry.
    const before = api.accepted.length;
    const response = JSON.parse(
      await tokendeckOk(['request', 'bound', 'GET', '/items'], { dataDir }),
    );
    expect(response).toEqual({ sub: 'ada', scheme: 'DPoP', path: '/items' });
    expect(api.accepted.slice(before)).toEqual([{ scheme: 'DPoP', nonce: true, path: '/items' }]);
    expect(api.refusals).toContain('the proof lacks the nonce');

    // Renewal proves possession of the same key (the refresh token is bound to it too).
    const renewed = JSON.parse(
      await tokendeckOk(['token', 'bound', '--json', '--min-ttl', '7200'], { dataDir }),
    );
    expect(renewed.accessToken).not.toBe(token.accessToken);
    expect(renewed.tokenType).toBe('DPoP');
    expect(
      JSON.parse(await tokendeckOk(['request', 'bound', 'GET', '/again'], { dataDir })),
    ).toMatchObject({ scheme: 'DPoP' });

    // The key is sealed: no JWK member of it is readable in the vault file.
    const vault = readFileSync(join(dataDir, 'vault.json'), 'utf8');
    expect(vault).not.toMatch(/"crv"|"kty"/);
  });
});

describe('pushed authorization requests (RFC 9126)', () => {
  it('pushes the request first when the server requires it', async () => {
    const strict = await startProtocolServer({ requirePar: true });
    try {
      const dataDir = join(root, 'par');
      await tokendeckOk(
        ['provider', 'add', 'par', '--issuer', strict.issuer, '--register', '--scope', 'openid'],
        { dataDir },
      );
      const authorize = await connect(dataDir, 'par');
      expect(authorize.searchParams.get('request_uri')).toMatch(
        /^urn:ietf:params:oauth:request_uri:/,
      );
      expect(authorize.searchParams.get('code_challenge')).toBeNull();
      expect([...authorize.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
      const [account] = JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir }));
      expect(account).toMatchObject({ provider: 'par', subject: 'ada' });
    } finally {
      await strict.close();
    }
  });
});
