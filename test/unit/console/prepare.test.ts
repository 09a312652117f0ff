import { describe, expect, it } from 'vitest';
import { prepareRequest } from '../../../src-main/core/console/prepare';
import { testProfile } from '../../helpers/console-fixtures';

const profile = testProfile('https://api.example.com');

describe('prepareRequest', () => {
  it('uppercases a method token and refuses anything else', () => {
    expect(
      prepareRequest({ kind: 'rest', accountId: 'a', method: ' patch ', url: '/x' }, profile)
        .method,
    ).toBe('PATCH');
    for (const method of ['GET /', 'GE\nT', '', 'GÉT']) {
      expect(() =>
        prepareRequest({ kind: 'rest', accountId: 'a', method, url: '/x' }, profile),
      ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
  });

  it('keeps a content type the user set', () => {
    const prepared = prepareRequest(
      {
        kind: 'rest',
        accountId: 'a',
        method: 'POST',
        url: '/x',
        headers: [['content-type', 'application/vnd.api+json']],
        body: { type: 'json', text: '{}' },
      },
      profile,
    );
    expect(prepared.headers).toEqual([['content-type', 'application/vnd.api+json']]);
  });

  it('refuses the token header in any case, and framing headers', () => {
    for (const name of ['AUTHORIZATION', 'Content-Length', 'transfer-encoding']) {
      expect(() =>
        prepareRequest(
          { kind: 'rest', accountId: 'a', method: 'GET', url: '/x', headers: [[name, '1']] },
          profile,
        ),
      ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
  });

  it('refuses Host and the hop-by-hop headers, so the token goes only where the URL says', () => {
    for (const name of ['Host', 'connection', 'Upgrade', 'TE', 'Proxy-Connection', 'Expect']) {
      expect(() =>
        prepareRequest(
          { kind: 'rest', accountId: 'a', method: 'GET', url: '/x', headers: [[name, 'v']] },
          profile,
        ),
      ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    }
  });

  it('omits empty GraphQL fields', () => {
    const prepared = prepareRequest(
      { kind: 'graphql', accountId: 'a', query: '{ me { id } }', operationName: '' },
      profile,
    );
    expect(JSON.parse(prepared.body ?? '')).toEqual({ query: '{ me { id } }' });
    expect(prepared.method).toBe('POST');
  });

  it('checks the origin after everything else, and names the opt-in', () => {
    expect(() =>
      prepareRequest(
        { kind: 'rest', accountId: 'a', method: 'GET', url: 'https://evil.example/' },
        profile,
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'origin_not_allowed',
        message: expect.stringContaining('--allow-origin'),
      }),
    );
    expect(
      prepareRequest(
        {
          kind: 'rest',
          accountId: 'a',
          method: 'GET',
          url: 'https://evil.example/',
          allowForeignOrigin: true,
        },
        profile,
      ).url.origin,
    ).toBe('https://evil.example');
  });
});
