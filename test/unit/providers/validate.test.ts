import { describe, expect, it } from 'vitest';
import { TokendeckError } from '../../../src-main/core/errors';
import { assertSecureUrl, isLoopbackHost, validateProfile } from '../../../src-main/core/providers';

function error(run: () => unknown): TokendeckError {
  try {
    run();
  } catch (caught) {
    if (caught instanceof TokendeckError) return caught;
    throw caught;
  }
  throw new Error('expected a TokendeckError');
}

const codeProfile = {
  id: 'php',
  name: 'PHP API',
  grant: 'authorization_code',
  endpoints: {
    authorization: 'https://example.com/api/authorize.php',
    token: 'https://example.com/api/token.php',
  },
  client: { registration: 'static', clientId: 'client-1', auth: 'client_secret_post' },
};

describe('validateProfile', () => {
  it('accepts a complete authorization code profile and fills defaults', () => {
    const profile = validateProfile(codeProfile);
    expect(profile.redirect).toEqual({ mode: 'loopback', path: '/callback' });
    expect(profile.use.headerName).toBe('Authorization');
    expect(profile.whoami).toEqual({ kind: 'none' });
  });

  it('accepts an API key profile without a client id or endpoints', () => {
    expect(
      validateProfile({
        id: 'key',
        name: 'Key',
        grant: 'api_key',
        client: { registration: 'static', auth: 'none' },
      }).grant,
    ).toBe('api_key');
  });

  it.each([
    [
      'authorization code without a token endpoint or issuer',
      { ...codeProfile, endpoints: { authorization: 'https://example.com/a' } },
      'endpoints.token',
    ],
    [
      'authorization code without any endpoint',
      { ...codeProfile, endpoints: {} },
      'endpoints.authorization',
    ],
    [
      'client credentials without a token endpoint',
      {
        id: 'cc',
        name: 'CC',
        grant: 'client_credentials',
        client: { registration: 'static', clientId: 'c', auth: 'client_secret_post' },
      },
      'endpoints.token',
    ],
    [
      'client credentials with auth none',
      {
        id: 'cc',
        name: 'CC',
        grant: 'client_credentials',
        endpoints: { token: 'https://x.example/t' },
        client: { registration: 'static', clientId: 'c', auth: 'none' },
      },
      'client.auth',
    ],
    [
      'client credentials with dynamic registration',
      {
        id: 'cc',
        name: 'CC',
        grant: 'client_credentials',
        endpoints: { token: 'https://x.example/t' },
        client: { registration: 'dynamic', auth: 'client_secret_post' },
      },
      'client.registration',
    ],
    [
      'a static client without a client id',
      { ...codeProfile, client: { registration: 'static', auth: 'client_secret_post' } },
      'client.clientId',
    ],
    [
      'dynamic registration without issuer or registration endpoint',
      { ...codeProfile, client: { registration: 'dynamic', auth: 'none' } },
      'endpoints.registration',
    ],
    [
      'dynamic registration with a secret',
      {
        ...codeProfile,
        issuer: 'https://as.example',
        client: { registration: 'dynamic', auth: 'client_secret_basic' },
      },
      'client.auth',
    ],
    [
      'a header name with CR/LF',
      { ...codeProfile, use: { headerName: 'X-Token\r\nInjected: 1' } },
      'use.headerName',
    ],
    [
      'a header prefix with LF',
      { ...codeProfile, use: { headerPrefix: 'Bearer\nX' } },
      'use.headerPrefix',
    ],
    ['a scope with a space', { ...codeProfile, scopes: ['read write'] }, 'scopes.0'],
    ['a scope with a quote', { ...codeProfile, scopes: ['read"'] }, 'scopes.0'],
    ['a missing grant', { ...codeProfile, grant: undefined }, 'grant'],
    ['an unknown grant', { ...codeProfile, grant: 'implicit' }, 'grant'],
    ['an unknown field', { ...codeProfile, colour: 'red' }, 'colour'],
    ['a bad provider id', { ...codeProfile, id: 'Has Spaces' }, 'id'],
    [
      'a non-http URL',
      { ...codeProfile, endpoints: { ...codeProfile.endpoints, token: 'ftp://example.com/t' } },
      'endpoints.token',
    ],
    [
      'an override of state',
      { ...codeProfile, authorizeParams: { state: 'fixed' } },
      'authorizeParams.state',
    ],
    [
      'an override of grant_type',
      { ...codeProfile, tokenParams: { grant_type: 'password' } },
      'tokenParams.grant_type',
    ],
    [
      'a REST whoami path without API base',
      { ...codeProfile, whoami: { kind: 'rest', url: '/me', subject: 'id' } },
      'use.apiBase',
    ],
    [
      'a GraphQL whoami without GraphQL URL',
      {
        ...codeProfile,
        whoami: { kind: 'graphql', query: '{ me { id } }', subject: 'data.me.id' },
      },
      'use.graphqlUrl',
    ],
    [
      'an id_token whoami without openid',
      { ...codeProfile, whoami: { kind: 'id_token' } },
      'whoami.kind',
    ],
    [
      'a fixed redirect that is https',
      { ...codeProfile, redirect: { mode: 'fixed', uri: 'https://app.example/cb' } },
      'redirect.uri',
    ],
    [
      'a whoami subject path with spaces',
      {
        ...codeProfile,
        use: { apiBase: 'https://x.example' },
        whoami: { kind: 'rest', url: '/me', subject: 'a b' },
      },
      'whoami.subject',
    ],
  ])('refuses %s with invalid_input naming the field', (_name, input, field) => {
    const failure = error(() => validateProfile(input));
    expect(failure.code).toBe('invalid_input');
    expect(failure.details.field).toBe(field);
    expect(failure.message).toContain(field);
  });

  it.each([
    ['issuer', { ...codeProfile, issuer: 'http://as.example.com' }],
    [
      'endpoints.token',
      {
        ...codeProfile,
        endpoints: { ...codeProfile.endpoints, token: 'http://example.com/api/token.php' },
      },
    ],
    ['use.apiBase', { ...codeProfile, use: { apiBase: 'http://api.example.com' } }],
    ['use.graphqlUrl', { ...codeProfile, use: { graphqlUrl: 'http://10.0.0.1/graphql' } }],
  ])('refuses plain http off loopback in %s with insecure_endpoint', (field, input) => {
    const failure = error(() => validateProfile(input));
    expect(failure.code).toBe('insecure_endpoint');
    expect(failure.details.field).toBe(field);
  });

  it('accepts http on loopback hosts and a fixed loopback redirect', () => {
    const profile = validateProfile({
      ...codeProfile,
      endpoints: {
        authorization: 'http://127.0.0.1:4000/authorize',
        token: 'http://localhost:4000/token',
      },
      use: { apiBase: 'http://[::1]:4000' },
      redirect: { mode: 'fixed', uri: 'http://127.0.0.1:8765/callback' },
    });
    expect(profile.redirect).toEqual({ mode: 'fixed', uri: 'http://127.0.0.1:8765/callback' });
  });
});

describe('header fields of a profile (issue 20 §12)', () => {
  it.each(['Bearér', 'Bearer\u0001', 'Bearer\r\nX: 1'])(
    'refuses the prefix %j when saved',
    (prefix) => {
      const refused = error(() =>
        validateProfile({ ...codeProfile, use: { headerPrefix: prefix } }),
      );
      expect(refused.code).toBe('invalid_input');
      expect(refused.details.field).toBe('use.headerPrefix');
    },
  );
});

describe('URL policy', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );
  it.each(['128.0.0.1', '127.0.0.256', 'localhost.evil.com', '0.0.0.0', 'example.com', '[::2]'])(
    '%s is not loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
  it('accepts https anywhere and http on loopback', () => {
    expect(assertSecureUrl('https://example.com/x', 'url').href).toBe('https://example.com/x');
    expect(assertSecureUrl('http://127.0.0.1:9/x', 'url').port).toBe('9');
  });
  it('refuses http elsewhere, other schemes and embedded credentials', () => {
    expect(error(() => assertSecureUrl('http://example.com', 'token endpoint')).code).toBe(
      'insecure_endpoint',
    );
    expect(error(() => assertSecureUrl('javascript:alert(1)', 'url')).code).toBe('invalid_input');
    expect(error(() => assertSecureUrl('file:///etc/passwd', 'url')).code).toBe('invalid_input');
    expect(error(() => assertSecureUrl('not a url', 'url')).code).toBe('invalid_input');
    expect(error(() => assertSecureUrl('https://user:pw@example.com', 'url')).code).toBe(
      'invalid_input',
    );
  });
});
