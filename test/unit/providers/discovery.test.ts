import { afterEach, describe, expect, it } from 'vitest';
import { discover, registerClient } from '../../../src-main/core/providers';
import { startScriptedServer, type ScriptedServer } from '../flows/scripted-server';
import { failure } from '../../helpers/expect-error';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function metadata(issuer: string, extra: Record<string, unknown> = {}) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    ...extra,
  };
}

describe('discover', () => {
  it('uses RFC 8414 metadata first', async () => {
    server = await startScriptedServer();
    const issuer = server.origin;
    server.route('/.well-known/oauth-authorization-server', () => ({ body: metadata(issuer) }));
    const as = await discover(issuer);
    expect(as.token_endpoint).toBe(`${issuer}/token`);
    expect(server.requests.map((r) => r.path)).toEqual(['/.well-known/oauth-authorization-server']);
  });

  it('inserts the RFC 8414 well-known before an issuer path', async () => {
    server = await startScriptedServer();
    const issuer = `${server.origin}/tenant/a`;
    server.route('/.well-known/oauth-authorization-server/tenant/a', () => ({
      body: metadata(issuer),
    }));
    expect((await discover(issuer)).issuer).toBe(issuer);
  });

  it('falls back to the OpenID configuration when RFC 8414 is missing', async () => {
    server = await startScriptedServer();
    const issuer = server.origin;
    server.route('/.well-known/openid-configuration', () => ({
      body: metadata(issuer, { userinfo_endpoint: `${issuer}/me` }),
    }));
    const as = await discover(issuer);
    expect(as.userinfo_endpoint).toBe(`${issuer}/me`);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/.well-known/oauth-authorization-server',
      '/.well-known/openid-configuration',
    ]);
  });

  it('refuses an issuer mismatch with issuer_mismatch', async () => {
    server = await startScriptedServer();
    server.route('/.well-known/oauth-authorization-server', () => ({
      body: metadata('https://evil.example'),
    }));
    const error = await failure(discover(server.origin));
    expect(error.code).toBe('issuer_mismatch');
    expect(error.message).toContain('https://evil.example');
  });

  it('refuses malformed JSON on both documents with discovery_failed', async () => {
    server = await startScriptedServer();
    server.route('/.well-known/oauth-authorization-server', () => ({
      body: '{"issuer": ',
      headers: { 'content-type': 'application/json' },
    }));
    server.route('/.well-known/openid-configuration', () => ({
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    }));
    expect((await failure(discover(server.origin))).code).toBe('discovery_failed');
  });

  it('refuses an HTML body with discovery_failed naming its first line', async () => {
    server = await startScriptedServer();
    const html = {
      body: '<!doctype html>\n<html><body>Welcome</body></html>',
      headers: { 'content-type': 'text/html' },
    };
    server.route('/.well-known/oauth-authorization-server', () => html);
    server.route('/.well-known/openid-configuration', () => html);
    const error = await failure(discover(server.origin));
    expect(error.code).toBe('discovery_failed');
    expect(error.message).toContain('<!doctype html>');
  });

  it('refuses 404 on both documents with discovery_failed', async () => {
    server = await startScriptedServer();
    const error = await failure(discover(server.origin));
    expect(error.code).toBe('discovery_failed');
    expect(error.message).toContain('HTTP 404');
  });

  it('refuses a non-loopback http endpoint in the metadata with insecure_endpoint', async () => {
    server = await startScriptedServer();
    const issuer = server.origin;
    server.route('/.well-known/oauth-authorization-server', () => ({
      body: metadata(issuer, { token_endpoint: 'http://tokens.example.com/token' }),
    }));
    const error = await failure(discover(issuer));
    expect(error.code).toBe('insecure_endpoint');
    expect(error.details.field).toBe('token_endpoint');
  });

  it('refuses an http issuer off loopback before any request', async () => {
    expect((await failure(discover('http://as.example.com'))).code).toBe('insecure_endpoint');
  });

  it('reports a refused connection as network_error', async () => {
    server = await startScriptedServer();
    const origin = server.origin;
    await server.close();
    server = undefined;
    const error = await failure(discover(origin));
    expect(error.code).toBe('network_error');
    expect(error.details.transient).toBe(true);
  });

  it('times out with timeout', async () => {
    server = await startScriptedServer({
      '/.well-known/oauth-authorization-server': () => ({ hang: true }),
    });
    expect((await failure(discover(server.origin, { timeoutMs: 100 }))).code).toBe('timeout');
  });

  it('is cancelled by the caller’s signal with cancelled', async () => {
    server = await startScriptedServer({
      '/.well-known/oauth-authorization-server': () => ({ hang: true }),
    });
    const controller = new AbortController();
    const pending = discover(server.origin, { signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).code).toBe('cancelled');
  });
});

describe('registerClient', () => {
  it('registers a native public client with the loopback redirect', async () => {
    server = await startScriptedServer();
    const issuer = server.origin;
    server.route('/register', (request) => ({
      status: 201,
      body: {
        ...JSON.parse(request.body),
        client_id: 'registered-client-1',
        registration_access_token: 'reg-token-abcdef',
      },
    }));
    const result = await registerClient(metadata(issuer), {
      redirectUris: ['http://127.0.0.1/callback'],
      scope: 'openid',
    });
    expect(result.clientId).toBe('registered-client-1');
    expect(result.registrationAccessToken).toBe('reg-token-abcdef');
    expect(result.metadata).not.toHaveProperty('registration_access_token');
    const sent = JSON.parse(server.requests[0]!.body);
    expect(sent).toEqual({
      application_type: 'native',
      client_name: 'Tokendeck',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
      scope: 'openid',
    });
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('reports a refusal (400 invalid_redirect_uri) as registration_failed with status and error', async () => {
    server = await startScriptedServer({
      '/register': () => ({
        status: 400,
        body: { error: 'invalid_redirect_uri', error_description: 'redirect_uris must be https' },
      }),
    });
    const error = await failure(
      registerClient(metadata(server.origin), { redirectUris: ['http://127.0.0.1/callback'] }),
    );
    expect(error.code).toBe('registration_failed');
    expect(error.details).toMatchObject({ status: 400, error: 'invalid_redirect_uri' });
    expect(error.message).toContain('redirect_uris must be https');
  });

  it('reports an HTML answer as registration_failed', async () => {
    server = await startScriptedServer({
      '/register': () => ({
        status: 502,
        body: '<html>Bad gateway</html>',
        headers: { 'content-type': 'text/html' },
      }),
    });
    const error = await failure(
      registerClient(metadata(server.origin), { redirectUris: ['http://127.0.0.1/callback'] }),
    );
    expect(error.code).toBe('registration_failed');
    expect(error.details.status).toBe(502);
  });
});
