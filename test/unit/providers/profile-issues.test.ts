import { describe, expect, it } from 'vitest';
import { previewDiscovery, profileIssues } from '../../../src-main/core/providers';

describe('profile issues (inline validation)', () => {
  it('lists one issue per bad field, not only the first', () => {
    const issues = profileIssues({
      id: 'Bad Id',
      name: '',
      grant: 'authorization_code',
      issuer: 'not a url',
      client: { registration: 'static', auth: 'none' },
    });
    expect(issues.map((issue) => issue.field).sort()).toEqual(['id', 'issuer', 'name']);
    expect(issues.find((issue) => issue.field === 'issuer')?.message).toBe(
      'must be an absolute http(s) URL',
    );
  });

  it('marks a plain-http issuer even while another field fails the schema', () => {
    const issues = profileIssues({
      id: 'acme',
      name: 'Acme',
      grant: 'authorization_code',
      issuer: 'http://id.acme.test',
      client: { registration: 'dynamic', auth: 'none' },
      use: { headerName: 'Bad Header' },
    });
    expect(issues).toEqual([
      { field: 'use.headerName', message: 'must be a valid HTTP header name' },
      {
        field: 'issuer',
        message:
          'uses plain http on id.acme.test; only https, or http on a loopback address, is allowed.',
      },
    ]);
  });

  it('adds the first cross-field rule once the fields parse', () => {
    expect(
      profileIssues({
        id: 'acme',
        name: 'Acme',
        grant: 'client_credentials',
        endpoints: { token: 'https://id.acme.test/token' },
        client: { registration: 'static', clientId: 'c', auth: 'none' },
      }),
    ).toEqual([
      {
        field: 'client.auth',
        message:
          'the client credentials grant needs client_secret_basic, client_secret_post, json, client_secret_jwt or private_key_jwt.',
      },
    ]);
  });

  it('reports http on a non-loopback host and preset placeholders', () => {
    expect(
      profileIssues({
        id: 'acme',
        name: 'Acme',
        grant: 'authorization_code',
        issuer: 'http://id.acme.test',
        client: { registration: 'static', clientId: 'YOUR_CLIENT_ID', auth: 'none' },
      }).map((issue) => issue.field),
    ).toEqual(['client.clientId', 'issuer']);
  });

  it('is empty for a good profile', () => {
    expect(
      profileIssues({
        id: 'local',
        name: 'Local',
        grant: 'authorization_code',
        issuer: 'http://127.0.0.1:9000',
        client: { registration: 'dynamic', auth: 'none' },
      }),
    ).toEqual([]);
  });
});

describe('discovery preview', () => {
  it('says what the server supports', () => {
    const preview = previewDiscovery({
      issuer: 'https://as.example.test',
      authorization_endpoint: 'https://as.example.test/auth',
      token_endpoint: 'https://as.example.test/token',
      registration_endpoint: 'https://as.example.test/reg',
      jwks_uri: 'https://as.example.test/jwks',
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      scopes_supported: ['openid', 'email'],
      authorization_response_iss_parameter_supported: true,
    });
    expect(preview.supports).toEqual({
      pkceS256: true,
      registration: true,
      revocation: false,
      refreshToken: true,
      clientCredentials: false,
      issParameter: true,
      openid: true,
    });
    expect(preview.endpoints).toEqual({
      authorization: 'https://as.example.test/auth',
      token: 'https://as.example.test/token',
      registration: 'https://as.example.test/reg',
    });
    expect(preview.jwksUri).toBe('https://as.example.test/jwks');
  });

  it('takes the RFC 8414 default when grant types are not listed', () => {
    const preview = previewDiscovery({ issuer: 'https://as.example.test' });
    expect(preview.supports.refreshToken).toBe(false);
    expect(preview.supports.pkceS256).toBe(false);
  });
});
