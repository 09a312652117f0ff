/**
 * Smoke tests proving each seed stand-in is strict to its page, using plain fetch.
 *
 * The authorization pages are driven by posting their form, as a browser would, with
 * `redirect: 'manual'` so the 302 back to the client can be read.
 */
import { createHash, randomBytes } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { ALUMA_PATHS, startAluma } from '../helpers/servers/aluma';
import { ATTENDIUM_PATHS, startAttendium } from '../helpers/servers/attendium';
import { ATTENTIVE_PATHS, ATTENTIVE_SCOPES, startAttentive } from '../helpers/servers/attentive';
import { EVENTBOOKINGS_PATHS, startEventBookings } from '../helpers/servers/eventbookings';
import { PHP_API_PATHS, startPhpApi } from '../helpers/servers/php-api';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Starts a server and closes it after the test. */
async function using<T extends { close(): Promise<void> }>(start: Promise<T>): Promise<T> {
  const server = await start;
  closers.push(() => server.close());
  return server;
}

const formPost = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

const jsonPost = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** GETs an authorize URL, then posts its consent form with `decision`; returns the redirect. */
async function consent(authorizeUrl: string, decision: 'approve' | 'deny'): Promise<URL> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('>Approve</button>');
  expect(html).toContain('>Deny</button>');
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const action = new URL(authorizeUrl);
  const reply = await fetch(
    `${action.origin}${action.pathname}`,
    formPost({ request_id: requestId, decision }),
  );
  expect(reply.status).toBe(302);
  return new URL(reply.headers.get('location') ?? '');
}

const query = (base: string, params: Record<string, string>) =>
  `${base}?${new URLSearchParams(params).toString()}`;

describe('Attendium stand-in', () => {
  async function registered() {
    const server = await using(startAttendium({ expiresIn: 600 }));
    const reg = await fetch(
      `${server.url}${ATTENDIUM_PATHS.register}`,
      jsonPost({
        redirect_uris: ['http://127.0.0.1/callback'],
        client_name: 'Tokendeck',
      }),
    );
    expect(reg.status).toBe(201);
    const { client_id: clientId } = (await reg.json()) as { client_id: string };
    return { server, clientId };
  }

  it('publishes RFC 8414 metadata and no OpenID configuration', async () => {
    const server = await using(startAttendium());
    const meta = (await (await fetch(`${server.url}${ATTENDIUM_PATHS.metadata}`)).json()) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({
      issuer: server.url,
      authorization_endpoint: `${server.url}/oauth2/authorize`,
      token_endpoint: `${server.url}/oauth2/token`,
      registration_endpoint: `${server.url}/oauth2/register`,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
    });
    expect((await fetch(`${server.url}/.well-known/openid-configuration`)).status).toBe(404);
  });

  it('refuses a non-loopback http redirect URI at registration', async () => {
    const server = await using(startAttendium());
    const reg = await fetch(
      `${server.url}${ATTENDIUM_PATHS.register}`,
      jsonPost({ redirect_uris: ['http://evil.example/cb'] }),
    );
    expect(reg.status).toBe(400);
    expect(((await reg.json()) as { error: string }).error).toBe('invalid_redirect_uri');
  });

  it('redirects invalid_request when code_challenge is missing', async () => {
    const { server, clientId } = await registered();
    const reply = await fetch(
      query(`${server.url}${ATTENDIUM_PATHS.authorize}`, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: 'http://127.0.0.1:5555/callback',
        state: 's1',
      }),
      { redirect: 'manual' },
    );
    expect(reply.status).toBe(302);
    const location = new URL(reply.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('s1');
  });

  it('runs code + PKCE, rotates refresh tokens, detects reuse and refuses Basic auth', async () => {
    const { server, clientId } = await registered();
    const { verifier, challenge } = pkce();
    const redirectUri = 'http://127.0.0.1:5555/callback';
    const back = await consent(
      query(`${server.url}${ATTENDIUM_PATHS.authorize}`, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 's2',
      }),
      'approve',
    );
    expect(back.searchParams.get('state')).toBe('s2');
    const code = back.searchParams.get('code') ?? '';
    const tokenUrl = `${server.url}${ATTENDIUM_PATHS.token}`;
    const basic = await fetch(
      tokenUrl,
      formPost(
        {
          grant_type: 'authorization_code',
          client_id: clientId,
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        },
        { Authorization: `Basic ${Buffer.from(`${clientId}:x`).toString('base64')}` },
      ),
    );
    expect(basic.status).toBe(401);
    const wrongVerifier = await fetch(
      tokenUrl,
      formPost({
        grant_type: 'authorization_code',
        client_id: clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: pkce().verifier,
      }),
    );
    expect(((await wrongVerifier.json()) as { error: string }).error).toBe('invalid_grant');

    const second = await consent(
      query(`${server.url}${ATTENDIUM_PATHS.authorize}`, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 's3',
      }),
      'approve',
    );
    const exchange = await fetch(
      tokenUrl,
      formPost({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: second.searchParams.get('code') ?? '',
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    );
    expect(exchange.status).toBe(200);
    const tokens = (await exchange.json()) as Record<string, string | number>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 600 });

    const graphql = (token: string) =>
      fetch(
        `${server.url}${ATTENDIUM_PATHS.graphql}`,
        jsonPost({ query: '{ me { id } }' }, { Authorization: `Bearer ${token}` }),
      );
    expect(await (await graphql(String(tokens.access_token))).json()).toEqual({
      data: { me: { id: 'attendium-user-1' } },
    });

    const refresh = (token: string) =>
      fetch(
        tokenUrl,
        formPost({ grant_type: 'refresh_token', client_id: clientId, refresh_token: token }),
      );
    const rotated = (await (await refresh(String(tokens.refresh_token))).json()) as Record<
      string,
      string
    >;
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    const reuse = await refresh(String(tokens.refresh_token));
    expect(reuse.status).toBe(400);
    expect(((await reuse.json()) as { error: string }).error).toBe('invalid_grant');
    expect(server.refreshReuse).toBe(1);
    expect((await refresh(rotated.refresh_token)).status).toBe(400);
    expect((await graphql(rotated.access_token)).status).toBe(401);
    expect(server.refreshRequests).toBe(3);
  });

  it('answers 401 for an expired access token', async () => {
    const { server, clientId } = await registered();
    const { verifier, challenge } = pkce();
    const back = await consent(
      query(`${server.url}${ATTENDIUM_PATHS.authorize}`, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: 'http://127.0.0.1/callback',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: 's4',
      }),
      'approve',
    );
    const tokens = (await (
      await fetch(
        `${server.url}${ATTENDIUM_PATHS.token}`,
        formPost({
          grant_type: 'authorization_code',
          client_id: clientId,
          code: back.searchParams.get('code') ?? '',
          redirect_uri: 'http://127.0.0.1/callback',
          code_verifier: verifier,
        }),
      )
    ).json()) as { access_token: string };
    server.expireAllAccessTokens();
    const reply = await fetch(
      `${server.url}${ATTENDIUM_PATHS.graphql}`,
      jsonPost({ query: '{ me { id } }' }, { Authorization: `Bearer ${tokens.access_token}` }),
    );
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('redirects access_denied with state on Deny', async () => {
    const { server, clientId } = await registered();
    const back = await consent(
      query(`${server.url}${ATTENDIUM_PATHS.authorize}`, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: 'http://127.0.0.1/callback',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
        state: 's5',
      }),
      'deny',
    );
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('s5');
  });
});

describe('Attentive stand-in', () => {
  const client = {
    clientId: 'attn-client',
    clientSecret: 'attn-secret',
    redirectUri: 'http://127.0.0.1:4567/callback',
    scopes: [...ATTENTIVE_SCOPES],
  };

  it('answers /v1/me and viewer GraphQL for an API key, 401 otherwise', async () => {
    const server = await using(startAttentive({ apiKeys: ['key-1'] }));
    const me = await fetch(`${server.url}${ATTENTIVE_PATHS.me}`, {
      headers: { Authorization: 'Bearer key-1' },
    });
    expect(await me.json()).toEqual({
      companyId: 'company-1',
      companyName: 'Test Company',
      applicationId: 'private-app',
      applicationName: 'Private app',
    });
    const viewer = await fetch(
      `${server.url}${ATTENTIVE_PATHS.graphql}`,
      jsonPost(
        {
          query:
            '\nquery {\n  viewer {\n    installedApplication {\n      installerCompany {\n id\n name\n }\n }\n }\n}\n',
          variables: {},
        },
        { Authorization: 'Bearer key-1' },
      ),
    );
    expect(await viewer.json()).toEqual({
      data: {
        viewer: {
          installedApplication: { installerCompany: { id: 'company-1', name: 'Test Company' } },
        },
      },
    });
    expect(
      (
        await fetch(`${server.url}${ATTENTIVE_PATHS.me}`, {
          headers: { Authorization: 'Bearer nope' },
        })
      ).status,
    ).toBe(401);
  });

  it('refuses mismatched scopes and redirect URIs', async () => {
    const server = await using(startAttentive({ clients: [client] }));
    const url = `${server.url}${ATTENTIVE_PATHS.authorize}`;
    const wrongScope = await fetch(
      query(url, {
        client_id: client.clientId,
        redirect_uri: client.redirectUri,
        scope: 'events:write',
        state: 'x',
      }),
      { redirect: 'manual' },
    );
    expect(new URL(wrongScope.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'invalid_scope',
    );
    const wrongRedirect = await fetch(
      query(url, {
        client_id: client.clientId,
        redirect_uri: 'http://127.0.0.1:9999/callback',
        scope: client.scopes.join(' '),
      }),
      { redirect: 'manual' },
    );
    expect(wrongRedirect.status).toBe(400);
  });

  it('exchanges a code with client_secret_post for a non-expiring token, once', async () => {
    const server = await using(startAttentive({ clients: [client] }));
    const back = await consent(
      query(`${server.url}${ATTENTIVE_PATHS.authorize}`, {
        client_id: client.clientId,
        redirect_uri: client.redirectUri,
        scope: [...client.scopes].reverse().join(' '),
        state: 'attn-state',
      }),
      'approve',
    );
    expect(back.searchParams.get('state')).toBe('attn-state');
    const fields = {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: client.redirectUri,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    };
    const tokenUrl = `${server.url}${ATTENTIVE_PATHS.token}`;
    expect((await fetch(tokenUrl, formPost({ ...fields, client_secret: 'wrong' }))).status).toBe(
      401,
    );
    const reply = await fetch(tokenUrl, formPost(fields));
    expect(reply.status).toBe(200);
    const tokens = (await reply.json()) as Record<string, unknown>;
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expires_in).toBeUndefined();
    expect(tokens.refresh_token).toBeUndefined();
    const replay = await fetch(tokenUrl, formPost(fields));
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
    const me = await fetch(`${server.url}${ATTENTIVE_PATHS.me}`, {
      headers: { Authorization: `Bearer ${String(tokens.access_token)}` },
    });
    expect(((await me.json()) as { applicationId: string }).applicationId).toBe(client.clientId);
  });

  it('expires codes after the configured lifetime', async () => {
    const server = await using(startAttentive({ clients: [client], codeTtlMs: 1 }));
    const back = await consent(
      query(`${server.url}${ATTENTIVE_PATHS.authorize}`, {
        client_id: client.clientId,
        redirect_uri: client.redirectUri,
        scope: client.scopes.join(' '),
      }),
      'approve',
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reply = await fetch(
      `${server.url}${ATTENTIVE_PATHS.token}`,
      formPost({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') ?? '',
        redirect_uri: client.redirectUri,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    );
    expect(reply.status).toBe(400);
  });
});

describe('PHP API stand-in', () => {
  const options = { clientId: 'php-client', clientSecret: 'php-secret' };

  it('issues a token for code + client_id + client_secret and serves userinfo', async () => {
    const server = await using(startPhpApi(options));
    const back = await consent(
      query(`${server.url}${PHP_API_PATHS.authorize}`, {
        client_id: options.clientId,
        redirect_uri: 'http://127.0.0.1:7777/callback',
        response_type: 'code',
        state: 'php-state',
      }),
      'approve',
    );
    expect(back.searchParams.get('state')).toBe('php-state');
    const code = back.searchParams.get('code') ?? '';
    const tokenUrl = `${server.url}${PHP_API_PATHS.token}`;
    const reply = await fetch(
      tokenUrl,
      formPost({
        code,
        client_id: options.clientId,
        client_secret: options.clientSecret,
        grant_type: 'authorization_code',
        code_verifier: 'ignored',
      }),
    );
    const tokens = (await reply.json()) as Record<string, unknown>;
    expect(Object.keys(tokens).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const replay = await fetch(
      tokenUrl,
      formPost({ code, client_id: options.clientId, client_secret: options.clientSecret }),
    );
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({
      error: 'invalid_code',
      error_description: 'The authorization code is invalid or expired',
    });
    const user = await fetch(`${server.url}${PHP_API_PATHS.userinfo}`, {
      headers: { Authorization: `Bearer ${String(tokens.access_token)}` },
    });
    expect(await user.json()).toEqual({
      username: 'johndoe',
      email: 'john@example.com',
      full_name: 'John Doe',
    });
  });

  it('uses the page error codes and statuses', async () => {
    const server = await using(startPhpApi(options));
    const tokenUrl = `${server.url}${PHP_API_PATHS.token}`;
    const missing = await fetch(tokenUrl, formPost({ code: 'x' }));
    expect([missing.status, ((await missing.json()) as { error: string }).error]).toEqual([
      400,
      'invalid_request',
    ]);
    const badClient = await fetch(
      tokenUrl,
      formPost({ code: 'x', client_id: 'php-client', client_secret: 'nope' }),
    );
    expect([badClient.status, ((await badClient.json()) as { error: string }).error]).toEqual([
      401,
      'invalid_client',
    ]);
    const badCode = await fetch(
      tokenUrl,
      formPost({ code: 'x', ...{ client_id: 'php-client', client_secret: 'php-secret' } }),
    );
    expect([badCode.status, ((await badCode.json()) as { error: string }).error]).toEqual([
      400,
      'invalid_code',
    ]);
    const badToken = await fetch(`${server.url}${PHP_API_PATHS.userinfo}`, {
      headers: { Authorization: 'Bearer nope' },
    });
    expect([badToken.status, ((await badToken.json()) as { error: string }).error]).toEqual([
      401,
      'invalid_token',
    ]);
  });

  it('answers 429 with retry headers when rate limited', async () => {
    const server = await using(
      startPhpApi({ ...options, rateLimit: { limit: 2, windowMs: 60_000 } }),
    );
    const userinfo = () => fetch(`${server.url}${PHP_API_PATHS.userinfo}`);
    expect((await userinfo()).status).toBe(401);
    expect((await userinfo()).status).toBe(401);
    const limited = await userinfo();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-limit')).toBe('2');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    const forced = await using(startPhpApi(options));
    forced.forceRateLimit(1);
    expect((await fetch(`${forced.url}${PHP_API_PATHS.userinfo}`)).status).toBe(429);
    expect((await fetch(`${forced.url}${PHP_API_PATHS.userinfo}`)).status).toBe(401);
    expect(forced.rateLimited).toBe(1);
  });
});

describe('Aluma stand-in', () => {
  const clients = [{ client_id: 'aluma-id', client_secret: 'aluma-secret' }];

  it('issues client credentials from a form body and refuses JSON', async () => {
    const server = await using(startAluma({ clients }));
    const tokenUrl = `${server.url}${ALUMA_PATHS.token}`;
    const json = await fetch(
      tokenUrl,
      jsonPost({ client_id: 'aluma-id', client_secret: 'aluma-secret' }),
    );
    expect(json.status).toBe(400);
    const reply = await fetch(
      tokenUrl,
      formPost({ client_id: 'aluma-id', client_secret: 'aluma-secret' }),
    );
    const tokens = (await reply.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 86400 });
    const api = () =>
      fetch(`${server.url}${ALUMA_PATHS.me}`, {
        headers: { Authorization: `Bearer ${String(tokens.access_token)}` },
      });
    expect((await api()).status).toBe(200);
    server.expireAllAccessTokens();
    expect((await api()).status).toBe(401);
    expect((await fetch(`${server.url}${ALUMA_PATHS.me}`)).status).toBe(401);
    expect(
      (await fetch(tokenUrl, formPost({ client_id: 'aluma-id', client_secret: 'x' }))).status,
    ).toBe(401);
  });

  it('honours a configured expires_in', async () => {
    const server = await using(startAluma({ clients, expiresIn: 5 }));
    const reply = await fetch(
      `${server.url}${ALUMA_PATHS.token}`,
      formPost({ grant_type: 'client_credentials', ...clients[0]! }),
    );
    expect(((await reply.json()) as { expires_in: number }).expires_in).toBe(5);
  });
});

describe('EventBookings stand-in', () => {
  const clients = [{ client_id: 'eb-id', client_secret: 'eb-secret' }];

  it('refuses a form body and counts it', async () => {
    const server = await using(startEventBookings({ clients }));
    const reply = await fetch(
      `${server.url}${EVENTBOOKINGS_PATHS.token}`,
      formPost({
        grant_type: 'client_credentials',
        client_id: 'eb-id',
        client_secret: 'eb-secret',
      }),
    );
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { error: string }).error).toBe('invalid_request');
    expect(server.formRejected).toBe(1);
  });

  it('answers JSON credentials exactly as the page, and wants the "Authorisation" header', async () => {
    const server = await using(startEventBookings({ clients }));
    const reply = await fetch(
      `${server.url}${EVENTBOOKINGS_PATHS.token}`,
      jsonPost({
        grant_type: 'client_credentials',
        client_id: 'eb-id',
        client_secret: 'eb-secret',
      }),
    );
    const tokens = (await reply.json()) as Record<string, unknown>;
    expect(Object.keys(tokens).sort()).toEqual(['access_token', 'expires_in', 'refresh_token']);
    expect(tokens.expires_in).toBe(3600);
    const events = (header: string) =>
      fetch(`${server.url}${EVENTBOOKINGS_PATHS.events}`, {
        headers: { [header]: `Bearer ${String(tokens.access_token)}` },
      });
    expect((await events('Authorization')).status).toBe(401);
    expect(server.wrongHeaderSpelling).toBe(1);
    expect((await events('Authorisation')).status).toBe(200);
  });
});
