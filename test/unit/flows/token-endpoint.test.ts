import { afterEach, describe, expect, it } from 'vitest';
import { TokendeckError } from '../../../src-main/core/errors';
import { createLogger } from '../../../src-main/core/log';
import {
  apiKeyTokens,
  clientCredentialsFlow,
  parseRetryAfter,
  renewTokens,
  resolveProvider,
  revokeToken,
  ProviderResolver,
} from '../../../src-main/core/flows';
import { MAX_LIFETIME_MS } from '../../../src-main/core/flows/token-response';
import { classifyRenewalFailure } from '../../../src-main/core/lifecycle';
import { nullLogger } from '../../../src-main/core/log';
import { validateProfile, type ProviderProfileInput } from '../../../src-main/core/providers';
import {
  bodyFields,
  startScriptedServer,
  type ScriptedReply,
  type ScriptedServer,
} from './scripted-server';
import { failure } from '../../helpers/expect-error';

const SECRET = 'client-secret-xyz-123456';
const clock = { now: () => 1_700_000_000_000 };
let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function ccProvider(
  reply: ScriptedReply | ((fields: Record<string, string>) => ScriptedReply),
  extra: Partial<ProviderProfileInput> = {},
) {
  server = await startScriptedServer({
    '/token': (request) => (typeof reply === 'function' ? reply(bodyFields(request)) : reply),
  });
  const profile = validateProfile({
    id: 'cc',
    name: 'CC',
    grant: 'client_credentials',
    endpoints: { token: `${server.origin}/token` },
    client: { registration: 'static', clientId: 'client-1', auth: 'client_secret_post' },
    ...extra,
  });
  return resolveProvider(profile, { clientSecret: SECRET });
}

const ok = { body: { access_token: 'access-token-0001', token_type: 'Bearer', expires_in: 3600 } };

describe('client credentials and token normalisation', () => {
  it('sends client_secret_post as a form and normalises the answer', async () => {
    const resolved = await ccProvider(ok, { scopes: ['read', 'write'] });
    const { tokens } = await clientCredentialsFlow(resolved, { clock });
    expect(tokens).toEqual({
      accessToken: 'access-token-0001',
      tokenType: 'Bearer',
      expiresAt: clock.now() + 3_600_000,
      receivedAt: clock.now(),
      scopes: ['read', 'write'],
    });
    const request = server!.requests[0]!;
    expect(request.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(bodyFields(request)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: SECRET,
      scope: 'read write',
    });
  });

  it('sends client_secret_basic in the Authorization header only', async () => {
    const resolved = await ccProvider(ok, {
      client: { registration: 'static', clientId: 'client-1', auth: 'client_secret_basic' },
    });
    await clientCredentialsFlow(resolved, { clock });
    const request = server!.requests[0]!;
    const [scheme, encoded] = String(request.headers.authorization).split(' ');
    expect(scheme).toBe('Basic');
    // RFC 6749 §2.3.1: both parts are form-url-encoded before base64.
    const [user, password] = Buffer.from(encoded!, 'base64')
      .toString('utf8')
      .split(':')
      .map(decodeURIComponent);
    expect([user, password]).toEqual(['client-1', SECRET]);
    expect(bodyFields(request)).toEqual({ grant_type: 'client_credentials' });
  });

  it('sends a JSON body for client.auth json (EventBookings)', async () => {
    const resolved = await ccProvider(
      (fields) =>
        fields.client_secret === SECRET ? ok : { status: 400, body: { error: 'invalid_request' } },
      { client: { registration: 'static', clientId: 'client-1', auth: 'json' } },
    );
    await clientCredentialsFlow(resolved, { clock });
    const request = server!.requests[0]!;
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: SECRET,
    });
  });

  it('takes a response without token_type as Bearer, or as the profile assumes', async () => {
    const reply = {
      body: { access_token: 'access-token-0002', refresh_token: 'refresh-0002', expires_in: 3600 },
    };
    const plain = await ccProvider(reply, { id: 'no-token-type' });
    const lines: string[] = [];
    const logger = createLogger({ sink: (line) => lines.push(line) });
    const { tokens } = await clientCredentialsFlow(plain, { clock, logger });
    await clientCredentialsFlow(plain, { clock, logger });
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.refreshToken).toBe('refresh-0002');
    // Noted in the log once per provider (SECURITY 35).
    expect(lines.filter((line) => line.includes('no token_type'))).toHaveLength(1);
    await server!.close();
    const assumed = await ccProvider(reply, { quirks: { assumeTokenType: 'DPoP' } });
    expect((await clientCredentialsFlow(assumed, { clock })).tokens.tokenType).toBe('DPoP');
  });

  it('refuses an unknown token_type unless the profile accepts it', async () => {
    const reply = { body: { access_token: 'access-token-0003', token_type: 'mac' } };
    const strict = await ccProvider(reply);
    const error = await failure(clientCredentialsFlow(strict, { clock }));
    expect(error.code).toBe('token_response_invalid');
    expect(error.message).toContain('token_type "mac"');
    expect(error.details.field).toBe('quirks.acceptTokenType');
    await server!.close();
    const accepting = await ccProvider(reply, { quirks: { acceptTokenType: 'MAC' } });
    expect((await clientCredentialsFlow(accepting, { clock })).tokens.tokenType).toBe('mac');
  });

  it('calls a JSON array body JSON that is not an object, not "not JSON"', async () => {
    const resolved = await ccProvider({ body: [1, 2] });
    const error = await failure(clientCredentialsFlow(resolved, { clock }));
    expect(error.code).toBe('token_response_invalid');
    expect(error.message).toContain('JSON that is not an object ([1,2])');
  });

  it('clamps a lifetime to 10 years and refuses a token holding control characters', async () => {
    const forever = await ccProvider({
      body: { access_token: 'long-lived-1', token_type: 'Bearer', expires_in: 1e13 },
    });
    const { tokens } = await clientCredentialsFlow(forever, { clock });
    expect(tokens.expiresAt! - tokens.receivedAt).toBe(MAX_LIFETIME_MS);
    await server!.close();
    const hostile = await ccProvider({
      body: { access_token: 'abc\u001b[2J', token_type: 'Bearer' },
    });
    expect((await failure(clientCredentialsFlow(hostile, { clock }))).code).toBe(
      'token_response_invalid',
    );
  });

  it('has no expiry without expires_in, unless the access token is a JWT with exp', async () => {
    const plain = await ccProvider({
      body: { access_token: 'opaque-token-1', token_type: 'bearer' },
    });
    expect((await clientCredentialsFlow(plain, { clock })).tokens.expiresAt).toBeNull();
    await server!.close();
    const payload = Buffer.from(JSON.stringify({ exp: 1_800_000_000, sub: 'x' })).toString(
      'base64url',
    );
    const jwt = `eyJhbGciOiJub25lIn0.${payload}.c2ln`;
    const withJwt = await ccProvider({
      body: { access_token: jwt, token_type: 'Bearer', scope: 'granted' },
    });
    const { tokens } = await clientCredentialsFlow(withJwt, { clock });
    expect(tokens.expiresAt).toBe(1_800_000_000_000);
    expect(tokens.scopes).toEqual(['granted']);
  });

  it('plans with the assumed lifetime when the answer has neither expires_in nor a JWT exp', async () => {
    const assume = { quirks: { assumeExpiresIn: 900 } };
    const plain = await ccProvider(
      { body: { access_token: 'opaque-2', token_type: 'bearer' } },
      assume,
    );
    expect((await clientCredentialsFlow(plain, { clock })).tokens.expiresAt).toBe(
      clock.now() + 900_000,
    );
    await server!.close();
    const stated = await ccProvider(ok, assume);
    expect((await clientCredentialsFlow(stated, { clock })).tokens.expiresAt).toBe(
      clock.now() + 3_600_000,
    );
    await server!.close();
    const payload = Buffer.from(JSON.stringify({ exp: 1_800_000_000 })).toString('base64url');
    const jwt = await ccProvider(
      { body: { access_token: `eyJhbGciOiJub25lIn0.${payload}.c2ln`, token_type: 'Bearer' } },
      assume,
    );
    expect((await clientCredentialsFlow(jwt, { clock })).tokens.expiresAt).toBe(1_800_000_000_000);
  });

  it('refuses an HTML 200 with token_response_invalid, status and first line', async () => {
    const resolved = await ccProvider({
      status: 200,
      body: '\n<html><head><title>Login</title></head>\n<body></body></html>',
      headers: { 'content-type': 'text/html' },
    });
    const error = await failure(clientCredentialsFlow(resolved, { clock }));
    expect(error.code).toBe('token_response_invalid');
    expect(error.details).toMatchObject({
      status: 200,
      body: '<html><head><title>Login</title></head>',
    });
  });

  it('reports an HTML 502 as a transient token_endpoint_error', async () => {
    const resolved = await ccProvider({
      status: 502,
      body: '<html>Bad Gateway</html>',
      headers: { 'content-type': 'text/html' },
    });
    const error = await failure(clientCredentialsFlow(resolved, { clock }));
    expect(error.code).toBe('token_endpoint_error');
    expect(error.details).toMatchObject({
      status: 502,
      transient: true,
      body: '<html>Bad Gateway</html>',
    });
  });

  it('reports a 500 as a transient token_endpoint_error', async () => {
    const resolved = await ccProvider({ status: 500, body: { error: 'server_error' } });
    const error = await failure(clientCredentialsFlow(resolved, { clock }));
    expect(error.code).toBe('token_endpoint_error');
    expect(error.details).toMatchObject({ status: 500, transient: true });
  });

  it('classifies invalid_grant', async () => {
    const resolved = await ccProvider({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired' },
    });
    const error = await failure(clientCredentialsFlow(resolved, { clock }));
    expect(error.code).toBe('invalid_grant');
    expect(error.details).toMatchObject({ status: 400, error: 'invalid_grant', transient: false });
  });

  it('classifies invalid_client, even behind a WWW-Authenticate challenge', async () => {
    const resolved = await ccProvider({
      status: 401,
      body: { error: 'invalid_client' },
      headers: { 'www-authenticate': 'Basic realm="x"' },
    });
    expect((await failure(clientCredentialsFlow(resolved, { clock }))).code).toBe('invalid_client');
  });

  it('reports other 4xx as a permanent token_endpoint_error', async () => {
    const resolved = await ccProvider({ status: 400, body: { error: 'invalid_scope' } });
    const error = await failure(clientCredentialsFlow(resolved, { clock }));
    expect(error.code).toBe('token_endpoint_error');
    expect(error.details).toMatchObject({ status: 400, transient: false, error: 'invalid_scope' });
  });

  it('reports 429 as rate_limited with Retry-After in seconds', async () => {
    const resolved = await ccProvider({
      status: 429,
      body: { error: 'slow_down' },
      headers: { 'retry-after': '120' },
    });
    const error = await failure(clientCredentialsFlow(resolved, { clock }));
    expect(error.code).toBe('rate_limited');
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: 120_000, transient: true });
  });

  it('parses Retry-After as an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('refuses a huge body', async () => {
    const resolved = await ccProvider({
      body: `{"access_token":"${'a'.repeat(1_200_000)}","token_type":"Bearer"}`,
      headers: { 'content-type': 'application/json' },
    });
    const error = await failure(clientCredentialsFlow(resolved, { clock }));
    expect(error.code).toBe('token_response_invalid');
    expect(error.details.limitBytes).toBe(1024 * 1024);
  });

  it('reports a refused connection as a transient network_error', async () => {
    const resolved = await ccProvider(ok);
    await server!.close();
    server = undefined;
    const error = await failure(clientCredentialsFlow(resolved, { clock }));
    expect(error.code).toBe('network_error');
    expect(error.details.transient).toBe(true);
  });

  it('times out with timeout', async () => {
    const resolved = await ccProvider({ hang: true });
    expect((await failure(clientCredentialsFlow(resolved, { clock, timeoutMs: 100 }))).code).toBe(
      'timeout',
    );
  });

  it('needs the client secret: profile_incomplete', async () => {
    const resolved = await ccProvider(ok);
    const bare = resolveProvider(resolved.profile, {});
    expect((await failure(clientCredentialsFlow(bare, { clock }))).code).toBe('profile_incomplete');
  });
});

describe('renewal', () => {
  async function codeProvider(reply: ScriptedReply) {
    server = await startScriptedServer({
      '/token': () => reply,
      '/revoke': () => ({ status: 200, body: '' }),
    });
    const profile = validateProfile({
      id: 'code',
      name: 'Code',
      grant: 'authorization_code',
      endpoints: {
        authorization: `${server.origin}/authorize`,
        token: `${server.origin}/token`,
        revocation: `${server.origin}/revoke`,
      },
      client: { registration: 'static', clientId: 'public-1', auth: 'none' },
      scopes: ['read'],
    });
    return resolveProvider(profile, {});
  }

  it('uses the refresh_token grant and keeps the old refresh token when none comes back', async () => {
    const resolved = await codeProvider({
      body: { access_token: 'new-access-1', token_type: 'Bearer', expires_in: 60 },
    });
    const tokens = await renewTokens(
      resolved,
      { accessToken: 'old-access-1', refreshToken: 'old-refresh-1' },
      { clock },
    );
    expect(tokens.accessToken).toBe('new-access-1');
    expect(tokens.refreshToken).toBe('old-refresh-1');
    expect(tokens.expiresAt).toBe(clock.now() + 60_000);
    expect(bodyFields(server!.requests[0]!)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'old-refresh-1',
      client_id: 'public-1',
    });
  });

  it('takes a rotated refresh token', async () => {
    const resolved = await codeProvider({
      body: { access_token: 'new-access-2', refresh_token: 'rotated-2', token_type: 'Bearer' },
    });
    expect(
      (await renewTokens(resolved, { accessToken: 'a', refreshToken: 'old-refresh-2' }, { clock }))
        .refreshToken,
    ).toBe('rotated-2');
  });

  it('maps a refused refresh to invalid_grant', async () => {
    const resolved = await codeProvider({ status: 400, body: { error: 'invalid_grant' } });
    expect(
      (
        await failure(
          renewTokens(resolved, { accessToken: 'a', refreshToken: 'old-refresh-3' }, { clock }),
        )
      ).code,
    ).toBe('invalid_grant');
  });

  it('cannot renew without a refresh token, nor an API key', async () => {
    const resolved = await codeProvider(ok);
    expect((await failure(renewTokens(resolved, { accessToken: 'a' }, { clock }))).code).toBe(
      'cannot_renew',
    );
    const key = resolveProvider(
      validateProfile({
        id: 'k',
        name: 'K',
        grant: 'api_key',
        client: { registration: 'static', auth: 'none' },
      }),
      {},
    );
    expect((await failure(renewTokens(key, { accessToken: 'a' }, { clock }))).code).toBe(
      'cannot_renew',
    );
  });

  it('re-runs client credentials for client credentials accounts', async () => {
    const resolved = await ccProvider(ok);
    expect((await renewTokens(resolved, { accessToken: 'old' }, { clock })).accessToken).toBe(
      'access-token-0001',
    );
  });

  it('revokes with the token type hint, and returns false without an endpoint', async () => {
    const resolved = await codeProvider(ok);
    expect(await revokeToken(resolved, 'refresh-to-revoke', 'refresh_token')).toBe(true);
    expect(bodyFields(server!.requests[0]!)).toEqual({
      token: 'refresh-to-revoke',
      token_type_hint: 'refresh_token',
      client_id: 'public-1',
    });
    const without = resolveProvider(
      { ...resolved.profile, endpoints: { ...resolved.profile.endpoints, revocation: undefined } },
      {},
    );
    expect(await revokeToken(without, 'x-token', 'access_token')).toBe(false);
  });

  it('reports a refused revocation as revocation_failed', async () => {
    server = await startScriptedServer({
      '/revoke': () => ({ status: 400, body: { error: 'unsupported_token_type' } }),
    });
    const profile = validateProfile({
      id: 'code',
      name: 'Code',
      grant: 'authorization_code',
      endpoints: {
        authorization: `${server.origin}/a`,
        token: `${server.origin}/t`,
        revocation: `${server.origin}/revoke`,
      },
      client: { registration: 'static', clientId: 'public-1', auth: 'none' },
    });
    const error = await failure(
      revokeToken(resolveProvider(profile, {}), 'some-token', 'access_token'),
    );
    expect(error.code).toBe('revocation_failed');
    expect(error.details.status).toBe(400);
  });
});

describe('API keys', () => {
  it('trims a key and never expires it', () => {
    expect(apiKeyTokens('  key-123456  ', 5)).toEqual({
      accessToken: 'key-123456',
      tokenType: 'Bearer',
      expiresAt: null,
      receivedAt: 5,
      scopes: [],
    });
  });
  it.each(['', '   ', 'abc\r\nX-Injected: 1', 'abc\ndef'])(
    'refuses %j with invalid_input',
    (key) => {
      try {
        apiKeyTokens(key, 0);
        throw new Error('expected a refusal');
      } catch (error) {
        expect((error as TokendeckError).code).toBe('invalid_input');
      }
    },
  );
});

describe('redaction', () => {
  it('keeps tokens and secrets out of the log lines of a flow, even of a failed one', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
    const resolved = await ccProvider({
      body: { access_token: 'access-token-logged-1', token_type: 'Bearer' },
    });
    const { tokens } = await clientCredentialsFlow(resolved, { clock, logger });
    logger.info(`debugging ${tokens.accessToken} with ${SECRET}`, {
      note: `x ${tokens.accessToken}`,
    });
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(log).not.toContain('access-token-logged-1');
    expect(log).not.toContain(SECRET);
  });
});

describe('a renewal that switches the token type (issue 20 §19)', () => {
  it('is refused, and the account needs connecting again', async () => {
    server = await startScriptedServer({
      '/token': () => ({
        body: { access_token: 'dpop-bound-token-1', token_type: 'DPoP', refresh_token: 'rt-2' },
      }),
    });
    const profile = validateProfile({
      id: 'switch',
      name: 'Switch',
      grant: 'authorization_code',
      endpoints: { authorization: `${server.origin}/a`, token: `${server.origin}/token` },
      client: { registration: 'static', clientId: 'c', auth: 'none' },
    });
    const resolver = new ProviderResolver({
      records: {
        load: async () => ({ provider: { profile, updatedAt: 0 } }),
        saveDiscovery: async () => undefined,
        saveRegistration: async () => undefined,
      },
      logger: nullLogger,
      clock,
    });
    const account = {
      id: 'switch-1',
      providerId: 'switch',
      subject: null,
      label: 'S',
      grant: 'authorization_code' as const,
      tokenType: 'Bearer',
      scopes: [],
      expiresAt: 0,
      receivedAt: 0,
      hasRefreshToken: true,
      createdAt: 0,
      updatedAt: 0,
    };
    const error = await failure(
      resolver.renew(
        account,
        { accessToken: 'old', refreshToken: 'rt-1' },
        new AbortController().signal,
      ),
    );
    expect(error.code).toBe('token_response_invalid');
    expect(error.message).toContain('as DPoP, not Bearer');
    expect(classifyRenewalFailure(error).kind).toBe('needs-reauth');
  });
});
