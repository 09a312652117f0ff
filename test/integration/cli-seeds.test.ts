import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserUser } from '../helpers/browser-user';
import { scannedTempDir } from '../helpers/secret-registry';
import { tokendeck, tokendeckOk } from '../helpers/cli';
import { filesContainingSecrets } from '../helpers/fake-ports';
import { freePort } from '../helpers/free-port';
import { ALUMA_PATHS, startAluma } from '../helpers/servers/aluma';
import { ATTENDIUM_PATHS, startAttendium } from '../helpers/servers/attendium';
import { ATTENTIVE_PATHS, ATTENTIVE_SCOPES, startAttentive } from '../helpers/servers/attentive';
import {
  EVENTBOOKINGS_AUTH_HEADER,
  EVENTBOOKINGS_PATHS,
  startEventBookings,
} from '../helpers/servers/eventbookings';
import { PHP_API_PATHS, startPhpApi } from '../helpers/servers/php-api';

/**
 * Every seed provider connects through the real `tokendeck` command, and its token works.
 *
 * The providers are strict local stand-ins built from their pages; Chromium plays the user in
 * the system browser for the authorization-code providers.
 */

type BrowserUser = Awaited<ReturnType<typeof createBrowserUser>>;

let browser: BrowserUser;
let root: string;

beforeAll(async () => {
  browser = await createBrowserUser();
  root = scannedTempDir('tokendeck-cli-seeds-');
});

afterAll(async () => {
  await browser?.close();
});

let counter = 0;
function freshDataDir(): string {
  counter += 1;
  return join(root, `data-${counter}`);
}

async function accounts(dataDir: string) {
  return JSON.parse(await tokendeckOk(['accounts', '--json'], { dataDir })) as Array<{
    id: string;
    provider: string;
    label: string;
    status: string;
    expiresAt: string | null;
  }>;
}

describe('Attendium: discovery, dynamic registration, PKCE, rotating refresh, GraphQL', () => {
  it('connects through the browser, renews with rotation, and queries { me { id } }', async () => {
    const server = await startAttendium({ userId: 'user-42' });
    const dataDir = freshDataDir();
    try {
      await tokendeckOk(
        ['provider', 'add', 'attendium', '--preset', 'attendium', '--base-url', server.url],
        {
          dataDir,
        },
      );
      const connected = await tokendeck(['connect', 'attendium', '--no-browser', '--json'], {
        dataDir,
        onUrl: (url) => void browser.open(url),
      });
      expect(connected.stderr).toContain(`${server.url}${ATTENDIUM_PATHS.authorize}?`);
      expect(connected.code, connected.stderr).toBe(0);
      const { id } = JSON.parse(connected.stdout) as { id: string };
      expect(server.registrations).toBe(1);

      const [account] = await accounts(dataDir);
      expect(account).toMatchObject({
        id,
        provider: 'attendium',
        label: 'user-42',
        status: 'fresh',
      });

      const first = (await tokendeckOk(['token', id], { dataDir })).trim();
      const me = await fetch(`${server.url}${ATTENDIUM_PATHS.graphql}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${first}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(await me.json()).toEqual({ data: { me: { id: 'user-42' } } });

      // Demand more life than the token has: it is renewed with the rotating refresh token.
      const second = (await tokendeckOk(['token', id, '--min-ttl', '7200'], { dataDir })).trim();
      const third = (await tokendeckOk(['token', id, '--min-ttl', '7200'], { dataDir })).trim();
      expect(second).not.toBe(first);
      expect(third).not.toBe(second);
      expect(server.refreshRequests).toBe(2);
      expect(server.refreshReuse).toBe(0);

      const graphql = await tokendeckOk(['graphql', id, '{ me { id } }'], { dataDir });
      expect(JSON.parse(graphql)).toEqual({ data: { me: { id: 'user-42' } } });

      // The server forgets the token early: the console renews once and retries once.
      server.expireAllAccessTokens();
      const retried = await tokendeck(
        ['request', id, 'POST', ATTENDIUM_PATHS.graphql, '-d', '{"query":"{ me { id } }"}'],
        { dataDir },
      );
      expect(retried.code, retried.stderr).toBe(0);
      expect(JSON.parse(retried.stdout)).toEqual({ data: { me: { id: 'user-42' } } });
      expect(retried.stderr).toMatch(/401; the token was renewed and the request retried once/);
      expect(server.refreshReuse).toBe(0);

      // Reconnecting the same subject updates the account instead of adding one.
      const again = await tokendeck(['connect', 'attendium', '--no-browser', '--json'], {
        dataDir,
        onUrl: (url) => void browser.open(url),
      });
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ id });
      expect(await accounts(dataDir)).toHaveLength(1);
      expect(server.registrations).toBe(1);

      expect(filesContainingSecrets(dataDir, [first, second, third])).toEqual([]);
      await tokendeckOk(['remove', id, '--yes'], { dataDir });
      expect(await accounts(dataDir)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('Attentive', () => {
  it('private app: an API key is the bearer token, checked with /me and GraphQL viewer', async () => {
    const apiKey = 'attentive-private-key-0123456789';
    const server = await startAttentive({ apiKeys: [apiKey] });
    const dataDir = freshDataDir();
    try {
      await tokendeckOk(
        ['provider', 'add', 'attentive', '--preset', 'attentive-private', '--base-url', server.url],
        { dataDir },
      );
      const connected = await tokendeck(['connect', 'attentive', '--api-key-stdin', '--json'], {
        dataDir,
        stdin: `${apiKey}\n`,
      });
      expect(connected.code, connected.stderr).toBe(0);
      const { id } = JSON.parse(connected.stdout) as { id: string };
      const [account] = await accounts(dataDir);
      expect(account).toMatchObject({ id, status: 'no-expiry', expiresAt: null });
      expect((await tokendeckOk(['token', id], { dataDir })).trim()).toBe(apiKey);

      const me = await tokendeck(
        ['request', id, 'GET', ATTENTIVE_PATHS.me.replace(/^\/v1/, ''), '--fail'],
        {
          dataDir,
        },
      );
      expect(me.code, me.stderr).toBe(0);
      expect(server.meRequests).toBeGreaterThanOrEqual(2);

      const viewer = await tokendeckOk(
        ['graphql', id, '{ viewer { installedApplication { installerCompany { id name } } } }'],
        { dataDir },
      );
      expect(JSON.parse(viewer).data.viewer.installedApplication.installerCompany.id).toBeTruthy();
      expect(filesContainingSecrets(dataDir, [apiKey])).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('public app: authorization code with a client secret, fixed redirect, scopes, no expiry', async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    const client = {
      clientId: 'attentive-app',
      clientSecret: 'attentive-app-secret-abcdef',
      redirectUri,
      scopes: [...ATTENTIVE_SCOPES],
    };
    const server = await startAttentive({ clients: [client] });
    const dataDir = freshDataDir();
    try {
      await tokendeckOk(
        [
          'provider',
          'add',
          'attentive-app',
          '--preset',
          'attentive-public',
          '--base-url',
          server.url,
          '--authorization-url',
          `${server.url}${ATTENTIVE_PATHS.authorize}`,
          '--client-id',
          client.clientId,
          '--client-secret-stdin',
          '--redirect-uri',
          redirectUri,
        ],
        { dataDir, stdin: client.clientSecret },
      );
      const connected = await tokendeck(['connect', 'attentive-app', '--no-browser', '--json'], {
        dataDir,
        onUrl: (url) => void browser.open(url),
      });
      expect(connected.code, connected.stderr).toBe(0);
      const { id } = JSON.parse(connected.stdout) as { id: string };
      const [account] = await accounts(dataDir);
      expect(account).toMatchObject({ id, status: 'no-expiry', expiresAt: null });
      const token = (await tokendeckOk(['token', id], { dataDir })).trim();
      const me = await fetch(`${server.url}${ATTENTIVE_PATHS.me}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(200);
      expect(filesContainingSecrets(dataDir, [token, client.clientSecret])).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('the PHP OAuth 2.0 API (custom server preset)', () => {
  it('connects with the secret in the body, names the account by userinfo, and shows its 429', async () => {
    const clientId = 'php-client';
    const clientSecret = 'php-client-secret-123456';
    const server = await startPhpApi({ clientId, clientSecret });
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
          clientId,
          '--client-secret-stdin',
        ],
        { dataDir, stdin: clientSecret },
      );
      const connected = await tokendeck(['connect', 'php', '--no-browser', '--json'], {
        dataDir,
        onUrl: (url) => void browser.open(url),
      });
      expect(connected.code, connected.stderr).toBe(0);
      const { id } = JSON.parse(connected.stdout) as { id: string };
      const [account] = await accounts(dataDir);
      expect(account).toMatchObject({ id, status: 'fresh' });
      expect(account!.label).toContain('@');

      const userinfo = await tokendeckOk(['request', id, 'GET', PHP_API_PATHS.userinfo], {
        dataDir,
      });
      expect(JSON.parse(userinfo)).toHaveProperty('username');

      server.forceRateLimit(2);
      const limited = await tokendeck(['request', id, 'GET', PHP_API_PATHS.userinfo, '--include'], {
        dataDir,
      });
      expect(limited.code).toBe(0);
      expect(limited.stdout).toMatch(/^HTTP 429/);
      expect(limited.stderr).toMatch(/Retry-After/);
      const failing = await tokendeck(['request', id, 'GET', PHP_API_PATHS.userinfo, '--fail'], {
        dataDir,
      });
      expect(failing.code).toBe(22);
      const token = (await tokendeckOk(['token', id], { dataDir })).trim();
      expect(filesContainingSecrets(dataDir, [token, clientSecret])).toEqual([]);

      // No refresh token: more life than the token has needs the user again.
      const stale = await tokendeck(['token', id, '--min-ttl', '7200'], { dataDir });
      expect(stale.code).toBe(4);
      expect(stale.stderr).toMatch(
        new RegExp(`^tokendeck: .*Connect again: tokendeck connect php --account ${id}\\n$`),
      );
    } finally {
      await server.close();
    }
  });
});

describe('Aluma: client credentials with a form body', () => {
  it('connects, uses the token, and fetches a new one at expiry', async () => {
    const client = { client_id: 'aluma-client', client_secret: 'aluma-secret-987654' };
    const server = await startAluma({ clients: [client], expiresIn: 86_400 });
    const dataDir = freshDataDir();
    try {
      await tokendeckOk(
        [
          'provider',
          'add',
          'aluma',
          '--preset',
          'aluma',
          '--base-url',
          server.url,
          '--client-id',
          client.client_id,
          '--client-secret-stdin',
        ],
        { dataDir, stdin: client.client_secret },
      );
      const connected = await tokendeck(['connect', 'aluma', '--json'], { dataDir });
      expect(connected.code, connected.stderr).toBe(0);
      const { id } = JSON.parse(connected.stdout) as { id: string };
      const [account] = await accounts(dataDir);
      expect(account).toMatchObject({ id, label: client.client_id, status: 'fresh' });
      const expiresIn = Date.parse(account!.expiresAt!) - Date.now();
      expect(expiresIn).toBeGreaterThan(86_000_000);

      const token = (await tokendeckOk(['token', id], { dataDir })).trim();
      const api = await fetch(`${server.url}${ALUMA_PATHS.me}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(api.status).toBe(200);

      const renewed = (await tokendeckOk(['token', id, '--min-ttl', '90000'], { dataDir })).trim();
      expect(renewed).not.toBe(token);
      expect(server.tokenRequests).toBe(2);
      expect(filesContainingSecrets(dataDir, [token, renewed, client.client_secret])).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('EventBookings: client credentials as a JSON body, "Authorisation" header', () => {
  it('connects with JSON, and requests carry the configured header name', async () => {
    const client = { client_id: 'eb-client', client_secret: 'eb-secret-24681357' };
    const server = await startEventBookings({ clients: [client] });
    const dataDir = freshDataDir();
    try {
      await tokendeckOk(
        [
          'provider',
          'add',
          'eventbookings',
          '--preset',
          'eventbookings',
          '--base-url',
          server.url,
          '--client-id',
          client.client_id,
          '--client-secret-stdin',
        ],
        { dataDir, stdin: client.client_secret },
      );
      const connected = await tokendeck(['connect', 'eventbookings', '--json'], { dataDir });
      expect(connected.code, connected.stderr).toBe(0);
      const { id } = JSON.parse(connected.stdout) as { id: string };
      expect(server.formRejected).toBe(0);

      const events = await tokendeck(
        ['request', id, 'GET', `${server.url}${EVENTBOOKINGS_PATHS.events}`, '--fail'],
        { dataDir },
      );
      expect(events.code, events.stderr).toBe(0);
      expect(server.wrongHeaderSpelling).toBe(0);
      expect(server.apiRequests).toBe(1);

      const token = (await tokendeckOk(['token', id], { dataDir })).trim();
      const direct = await fetch(`${server.url}${EVENTBOOKINGS_PATHS.events}`, {
        headers: { [EVENTBOOKINGS_AUTH_HEADER]: `Bearer ${token}` },
      });
      expect(direct.status).toBe(200);
      expect(filesContainingSecrets(dataDir, [token, client.client_secret])).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
