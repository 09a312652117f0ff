import { describe, expect, it } from 'vitest';
import { providerOrigins, resolveRequestUrl } from '../../../src-main/core/console';
import { testProfile } from '../../helpers/console-fixtures';

const profile = testProfile('https://api.example.com', {
  issuer: 'https://auth.example.com/realms/x',
  endpoints: {
    token: 'https://auth.example.com/token',
    userinfo: 'https://id.example.com:8443/userinfo',
  },
  use: {
    headerName: 'Authorization',
    headerPrefix: 'Bearer',
    apiBase: 'https://api.example.com/v1/',
    graphqlUrl: 'https://gql.example.com/graphql',
  },
});

describe('providerOrigins', () => {
  it('collects the API base, GraphQL URL, issuer and endpoint origins', () => {
    expect([...providerOrigins(profile)].sort()).toEqual([
      'https://api.example.com',
      'https://auth.example.com',
      'https://gql.example.com',
      'https://id.example.com:8443',
    ]);
  });
});

describe('resolveRequestUrl', () => {
  const rest = (url: string, query?: Array<[string, string]>) =>
    resolveRequestUrl({ kind: 'rest', accountId: 'a', method: 'GET', url, query }, profile).href;

  it('puts a path under the API base, keeping the base path', () => {
    expect(rest('/me')).toBe('https://api.example.com/v1/me');
    expect(rest('me?x=1')).toBe('https://api.example.com/v1/me?x=1');
    expect(rest('//evil.example/x')).toBe('https://api.example.com/v1//evil.example/x');
  });

  it('keeps absolute http(s) URLs and appends query pairs', () => {
    expect(rest('http://other.example/a?b=1', [['c', 'd e']])).toBe(
      'http://other.example/a?b=1&c=d+e',
    );
  });

  it('refuses other schemes and credentials in the URL', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:,x',
      'ws://api.example.com/',
      'localhost:8080/x',
      'https://user:pw@api.example.com/',
    ]) {
      expect(() => rest(url)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
  });

  it('uses the GraphQL URL for GraphQL, or a given one', () => {
    expect(resolveRequestUrl({ kind: 'graphql', accountId: 'a', query: '{a}' }, profile).href).toBe(
      'https://gql.example.com/graphql',
    );
    expect(
      resolveRequestUrl({ kind: 'graphql', accountId: 'a', query: '{a}', url: '/graphql' }, profile)
        .href,
    ).toBe('https://api.example.com/v1/graphql');
    const none = testProfile('https://api.example.com', {
      use: { headerName: 'Authorization', headerPrefix: 'Bearer' },
    });
    expect(() =>
      resolveRequestUrl({ kind: 'graphql', accountId: 'a', query: '{a}' }, none),
    ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() =>
      resolveRequestUrl({ kind: 'rest', accountId: 'a', method: 'GET', url: '/me' }, none),
    ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });
});
