/**
 * Proves the browser harness: Chromium logs in at node-oidc-provider and approves at a stand-in.
 *
 * Each test registers a client, opens a hand-built authorization URL through `createBrowserUser`
 * (as the flow's BrowserOpener would) and captures the code on a tiny loopback listener.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createBrowserUser, type BrowserUser } from '../helpers/browser-user';
import { startAttendium } from '../helpers/servers/attendium';
import { startOidcProvider, type OidcProviderServer } from '../helpers/servers/oidc-provider';

interface Callback {
  redirectUri: string;
  /** Resolves with the callback's query parameters. */
  received: Promise<URLSearchParams>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:0 for one GET /cb and resolves with its query. */
async function loopbackCallback(): Promise<Callback> {
  let resolveReceived: (params: URLSearchParams) => void = () => undefined;
  const received = new Promise<URLSearchParams>((resolve) => {
    resolveReceived = resolve;
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/cb') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>You can close this window.</p>');
    resolveReceived(url.searchParams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/cb`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Rejects after `ms` so a hang fails the test with a message. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('browser user against node-oidc-provider', () => {
  let op: OidcProviderServer;
  let user: BrowserUser;

  beforeAll(async () => {
    op = await startOidcProvider({
      accessTokenTtl: 120,
      clientCredentialsClients: [{ client_id: 'machine', client_secret: 'machine-secret' }],
    });
    user = await createBrowserUser();
  });

  afterAll(async () => {
    await user?.close();
    await op?.close();
  });

  it('serves discovery with the exact issuer, both well-known paths', async () => {
    expect(op.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const path of [
      '/.well-known/openid-configuration',
      '/.well-known/oauth-authorization-server',
    ]) {
      const meta = (await (await fetch(`${op.issuer}${path}`)).json()) as Record<string, unknown>;
      expect(meta.issuer).toBe(op.issuer);
      expect(meta.authorization_response_iss_parameter_supported).toBe(true);
      expect(meta.code_challenge_methods_supported).toEqual(['S256']);
      expect(meta.registration_endpoint).toBe(`${op.issuer}/reg`);
      expect(meta.revocation_endpoint).toBe(`${op.issuer}/token/revocation`);
    }
  });

  it('logs in through Chromium, exchanges the code, rotates and detects refresh reuse, revokes', async () => {
    const callback = await loopbackCallback();
    try {
      const registration = await fetch(`${op.issuer}/reg`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          application_type: 'native',
          redirect_uris: ['http://127.0.0.1/cb'],
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          client_name: 'Tokendeck test',
        }),
      });
      expect(registration.status).toBe(201);
      const { client_id: clientId } = (await registration.json()) as { client_id: string };

      const { verifier, challenge } = pkce();
      const state = randomBytes(16).toString('base64url');
      const authorize = new URL(`${op.issuer}/auth`);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: callback.redirectUri,
        scope: 'openid email',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state,
      }).toString();

      await user.open(authorize.href);
      const params = await within(callback.received, 60_000, 'the loopback callback');
      await user.settled();
      expect(params.get('state')).toBe(state);
      expect(params.get('iss')).toBe(op.issuer);
      const code = params.get('code');
      expect(code).toBeTruthy();

      const before = op.tokenRequests;
      const exchange = await fetch(
        `${op.issuer}/token`,
        form({
          grant_type: 'authorization_code',
          code: code!,
          redirect_uri: callback.redirectUri,
          client_id: clientId,
          code_verifier: verifier,
        }),
      );
      expect(exchange.status).toBe(200);
      const tokens = (await exchange.json()) as Record<string, string | number>;
      expect(tokens.token_type).toBe('Bearer');
      expect(tokens.expires_in).toBe(120);
      expect(typeof tokens.refresh_token).toBe('string');

      const userinfo = await fetch(`${op.issuer}/me`, {
        headers: { Authorization: `Bearer ${tokens.access_token}` },
      });
      expect(((await userinfo.json()) as { sub: string }).sub).toBe('alice');

      const refresh = (refreshToken: string) =>
        fetch(
          `${op.issuer}/token`,
          form({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }),
        );
      const rotated = (await (await refresh(String(tokens.refresh_token))).json()) as Record<
        string,
        string
      >;
      expect(rotated.refresh_token).toBeTruthy();
      expect(rotated.refresh_token).not.toBe(tokens.refresh_token);

      const reuse = await refresh(String(tokens.refresh_token));
      expect(reuse.status).toBe(400);
      expect(((await reuse.json()) as { error: string }).error).toBe('invalid_grant');
      expect(op.refreshReuse).toBe(1);
      expect(op.tokenRequests - before).toBe(3);

      const revoked = await fetch(
        `${op.issuer}/token/revocation`,
        form({ token: rotated.refresh_token, client_id: clientId }),
      );
      expect(revoked.status).toBe(200);
    } finally {
      await callback.close();
    }
  });

  it('cancels the devInteractions login with deny()', async () => {
    const callback = await loopbackCallback();
    try {
      const registration = await fetch(`${op.issuer}/reg`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          application_type: 'native',
          redirect_uris: ['http://127.0.0.1/cb'],
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code', 'refresh_token'],
        }),
      });
      const { client_id: clientId } = (await registration.json()) as { client_id: string };
      const { challenge } = pkce();
      const authorize = new URL(`${op.issuer}/auth`);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: callback.redirectUri,
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'deny-state',
        prompt: 'login',
      }).toString();
      await user.deny(authorize.href);
      const params = await within(callback.received, 60_000, 'the denied callback');
      await user.settled();
      expect(params.get('error')).toBe('access_denied');
      expect(params.get('state')).toBe('deny-state');
    } finally {
      await callback.close();
    }
  });

  it('issues client credentials tokens to the listed clients', async () => {
    const response = await fetch(`${op.issuer}/token`, {
      ...form({ grant_type: 'client_credentials' }),
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from('machine:machine-secret').toString('base64')}`,
      },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.token_type).toBe('Bearer');
    expect(body.refresh_token).toBeUndefined();
  });

  it('approves at the Attendium stand-in through Chromium', async () => {
    const attendium = await startAttendium();
    const callback = await loopbackCallback();
    try {
      const registration = await fetch(`${attendium.url}/oauth2/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ redirect_uris: ['http://127.0.0.1/cb'], client_name: 'Tokendeck' }),
      });
      const { client_id: clientId } = (await registration.json()) as { client_id: string };
      const { verifier, challenge } = pkce();
      const authorize = new URL(`${attendium.url}/oauth2/authorize`);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: callback.redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 'attendium-state',
      }).toString();
      await user.open(authorize.href);
      const params = await within(callback.received, 60_000, 'the Attendium callback');
      await user.settled();
      expect(params.get('state')).toBe('attendium-state');
      const exchange = await fetch(
        `${attendium.url}/oauth2/token`,
        form({
          grant_type: 'authorization_code',
          client_id: clientId,
          redirect_uri: callback.redirectUri,
          code: params.get('code')!,
          code_verifier: verifier,
        }),
      );
      expect(exchange.status).toBe(200);
      const tokens = (await exchange.json()) as { access_token: string };
      const me = await fetch(`${attendium.url}/graphql`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${tokens.access_token}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(await me.json()).toEqual({ data: { me: { id: 'attendium-user-1' } } });
    } finally {
      await callback.close();
      await attendium.close();
    }
  });
});
