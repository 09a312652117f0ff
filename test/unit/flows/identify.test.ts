import { afterEach, describe, expect, it } from 'vitest';
import {
  apiKeyTokens,
  identifyAccount,
  resolveProvider,
  type FlowResult,
} from '../../../src-main/core/flows';
import { validateProfile, type ProviderProfileInput } from '../../../src-main/core/providers';
import { startScriptedServer, type Route, type ScriptedServer } from './scripted-server';
import { failure } from '../../helpers/expect-error';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const TOKEN = 'whoami-access-token-1';
const result: FlowResult = {
  tokens: { accessToken: TOKEN, tokenType: 'Bearer', expiresAt: null, receivedAt: 0, scopes: [] },
};

async function setup(
  routes: Record<string, Route>,
  extra: (origin: string) => Partial<ProviderProfileInput>,
) {
  server = await startScriptedServer(routes);
  const profile = validateProfile({
    id: 'p',
    name: 'P',
    grant: 'authorization_code',
    endpoints: { authorization: `${server.origin}/authorize`, token: `${server.origin}/token` },
    client: { registration: 'static', clientId: 'client-9', auth: 'none' },
    ...extra(server.origin),
  });
  return resolveProvider(profile, {});
}

describe('identifyAccount', () => {
  it('names the account by OIDC userinfo', async () => {
    const resolved = await setup(
      {
        '/userinfo': (r) =>
          r.headers.authorization === `Bearer ${TOKEN}`
            ? { body: { sub: 'user-42', email: 'a@b.test' } }
            : { status: 401 },
      },
      (origin) => ({
        endpoints: {
          authorization: `${origin}/a`,
          token: `${origin}/t`,
          userinfo: `${origin}/userinfo`,
        },
        whoami: { kind: 'userinfo', label: 'email' },
      }),
    );
    expect(await identifyAccount(resolved, result)).toEqual({
      subject: 'user-42',
      identifiedBy: 'sub',
      label: 'a@b.test',
    });
  });

  it('refuses a userinfo sub that differs from the ID token’s', async () => {
    const resolved = await setup(
      { '/userinfo': () => ({ body: { sub: 'someone-else' } }) },
      (origin) => ({
        endpoints: {
          authorization: `${origin}/a`,
          token: `${origin}/t`,
          userinfo: `${origin}/userinfo`,
        },
        whoami: { kind: 'userinfo' },
      }),
    );
    expect(
      (await failure(identifyAccount(resolved, { ...result, idTokenClaims: { sub: 'user-42' } })))
        .code,
    ).toBe('whoami_failed');
  });

  it('names the account by ID token claims', async () => {
    const resolved = await setup({}, () => ({
      scopes: ['openid'],
      whoami: { kind: 'id_token', label: 'name' },
    }));
    expect(
      await identifyAccount(resolved, { ...result, idTokenClaims: { sub: 's-1', name: 'Ada' } }),
    ).toEqual({ subject: 's-1', identifiedBy: 'sub', label: 'Ada' });
  });

  it('names the account by a REST path under the API base, with the profile’s header', async () => {
    const resolved = await setup(
      {
        '/v1/me': (r) =>
          r.headers.authorisation === `Bearer ${TOKEN}`
            ? { body: { companyId: 77, companyName: 'Acme' } }
            : { status: 401, body: 'no' },
      },
      (origin) => ({
        use: { apiBase: `${origin}/v1/`, headerName: 'Authorisation' },
        whoami: { kind: 'rest', url: '/me', subject: 'companyId', label: 'companyName' },
      }),
    );
    expect(await identifyAccount(resolved, result)).toEqual({
      subject: '77',
      identifiedBy: 'companyId',
      label: 'Acme',
    });
  });

  it('falls back to the subject as label, and a bare token without prefix', async () => {
    const resolved = await setup(
      {
        '/me': (r) =>
          r.headers['x-api-key'] === TOKEN ? { body: { username: 'johndoe' } } : { status: 401 },
      },
      (origin) => ({
        use: { apiBase: origin, headerName: 'X-Api-Key', headerPrefix: '' },
        whoami: { kind: 'rest', url: `${origin}/me`, subject: 'username', label: 'email' },
      }),
    );
    expect(await identifyAccount(resolved, result)).toEqual({
      subject: 'johndoe',
      identifiedBy: 'username',
      label: 'johndoe',
    });
  });

  it('reports a REST 401 as whoami_failed with the status', async () => {
    const resolved = await setup(
      { '/me': () => ({ status: 401, body: { error: 'invalid_token' } }) },
      (origin) => ({
        use: { apiBase: origin },
        whoami: { kind: 'rest', url: '/me', subject: 'id' },
      }),
    );
    const error = await failure(identifyAccount(resolved, result));
    expect(error.code).toBe('whoami_failed');
    expect(error.details.status).toBe(401);
  });

  it('names the account by a GraphQL query', async () => {
    const resolved = await setup(
      {
        '/graphql': (r) =>
          JSON.parse(r.body).query === '{ me { id } }' &&
          r.headers['content-type'] === 'application/json'
            ? { body: { data: { me: { id: 'att-1' } } } }
            : { status: 400, body: { errors: [{ message: 'bad' }] } },
      },
      (origin) => ({
        use: { graphqlUrl: `${origin}/graphql` },
        whoami: { kind: 'graphql', query: '{ me { id } }', subject: 'data.me.id' },
      }),
    );
    expect(await identifyAccount(resolved, result)).toEqual({
      subject: 'att-1',
      identifiedBy: 'data.me.id',
      label: 'att-1',
    });
  });

  it('reports GraphQL errors as whoami_failed', async () => {
    const resolved = await setup(
      { '/graphql': () => ({ body: { data: null, errors: [{ message: 'Not authorised' }] } }) },
      (origin) => ({
        use: { graphqlUrl: `${origin}/graphql` },
        whoami: { kind: 'graphql', query: '{ me { id } }', subject: 'data.me.id' },
      }),
    );
    const error = await failure(identifyAccount(resolved, result));
    expect(error.code).toBe('whoami_failed');
    expect(error.message).toContain('Not authorised');
  });

  it('uses the client id for client credentials with whoami none', async () => {
    const profile = validateProfile({
      id: 'cc',
      name: 'CC',
      grant: 'client_credentials',
      endpoints: { token: 'https://cc.example/token' },
      client: { registration: 'static', clientId: 'machine-client', auth: 'client_secret_post' },
    });
    expect(await identifyAccount(resolveProvider(profile, { clientSecret: 's' }), result)).toEqual({
      subject: 'machine-client',
      identifiedBy: 'client id',
      label: 'machine-client',
    });
  });

  it('derives an id from an API key without revealing it', async () => {
    const resolved = resolveProvider(
      validateProfile({
        id: 'k',
        name: 'K',
        grant: 'api_key',
        client: { registration: 'static', auth: 'none' },
      }),
      {},
    );
    const key = apiKeyTokens('my-secret-api-key-123', 0);
    const first = await identifyAccount(resolved, { tokens: key });
    expect(first.subject).toMatch(/^key-[0-9a-f]{16}$/);
    expect(first.subject).not.toContain('my-secret');
    expect(
      (await identifyAccount(resolved, { tokens: apiKeyTokens(' my-secret-api-key-123 ', 1) }))
        .subject,
    ).toBe(first.subject);
  });

  it('names the account by a plain-JSON userinfo without sub (the PHP seed)', async () => {
    const resolved = await setup(
      {
        '/userinfo': () => ({
          body: { username: 'johndoe', email: 'john@example.com', full_name: 'John Doe' },
        }),
      },
      (origin) => ({
        endpoints: {
          authorization: `${origin}/a`,
          token: `${origin}/t`,
          userinfo: `${origin}/userinfo`,
        },
        whoami: { kind: 'userinfo' },
      }),
    );
    expect(await identifyAccount(resolved, result)).toEqual({
      subject: 'johndoe',
      identifiedBy: 'username',
      label: 'John Doe',
    });
  });

  it('prefers an id over username or email, and takes the profile’s paths over both', async () => {
    const answer = { user_id: 9, login: 'ada', email: 'ada@x.test', display_name: 'Ada L' };
    const routes = { '/userinfo': () => ({ body: answer }) };
    const endpoints = (origin: string) => ({
      authorization: `${origin}/a`,
      token: `${origin}/t`,
      userinfo: `${origin}/userinfo`,
    });
    let resolved = await setup(routes, (origin) => ({
      endpoints: endpoints(origin),
      whoami: { kind: 'userinfo' },
    }));
    expect(await identifyAccount(resolved, result)).toEqual({
      subject: '9',
      identifiedBy: 'user_id',
      label: 'Ada L',
    });
    await server!.close();
    resolved = await setup(routes, (origin) => ({
      endpoints: endpoints(origin),
      whoami: { kind: 'userinfo', subject: 'email', label: 'login' },
    }));
    expect(await identifyAccount(resolved, result)).toEqual({
      subject: 'ada@x.test',
      identifiedBy: 'email',
      label: 'ada',
    });
  });

  it('refuses a userinfo without sub when there is an ID token (OIDC Core §5.3.2)', async () => {
    const resolved = await setup(
      { '/userinfo': () => ({ body: { username: 'johndoe' } }) },
      (origin) => ({
        endpoints: {
          authorization: `${origin}/a`,
          token: `${origin}/t`,
          userinfo: `${origin}/userinfo`,
        },
        whoami: { kind: 'userinfo' },
      }),
    );
    const error = await failure(
      identifyAccount(resolved, { ...result, idTokenClaims: { sub: 'user-42' } }),
    );
    expect(error.code).toBe('whoami_failed');
  });

  it('says the status and when to retry when the who-am-I call is rate limited', async () => {
    const resolved = await setup(
      {
        '/userinfo': () => ({
          status: 429,
          headers: { 'retry-after': '30' },
          body: { error: 'slow down' },
        }),
      },
      (origin) => ({
        endpoints: {
          authorization: `${origin}/a`,
          token: `${origin}/t`,
          userinfo: `${origin}/userinfo`,
        },
        whoami: { kind: 'userinfo' },
      }),
    );
    const error = await failure(identifyAccount(resolved, result));
    expect(error.code).toBe('whoami_failed');
    expect(error.message).toMatch(/^Could not name this account: HTTP 429, retry after 30 s/);
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: 30_000 });
  });

  it('proves nothing for a code-flow sign-in without who-am-I, ID token or JWT', async () => {
    const resolved = await setup({}, () => ({}));
    expect(await identifyAccount(resolved, result)).toEqual({
      subject: null,
      identifiedBy: null,
      label: null,
    });
  });

  it('takes a JWT access token’s sub only when its iss is the provider’s', async () => {
    const resolved = await setup({}, () => ({}));
    const jwt = (claims: object) =>
      `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
    const withToken = (accessToken: string): FlowResult => ({
      tokens: { ...result.tokens, accessToken },
    });
    const issuer = resolved.as.issuer;
    expect(await identifyAccount(resolved, withToken(jwt({ iss: issuer, sub: 'u-7' })))).toEqual({
      subject: 'u-7',
      identifiedBy: 'access token',
      label: 'u-7',
    });
    expect(
      (await identifyAccount(resolved, withToken(jwt({ iss: 'https://other.test', sub: 'u-7' }))))
        .subject,
    ).toBeNull();
  });
});
