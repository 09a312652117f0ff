import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RequestRunner,
  createMemoryHistoryStore,
  type ConsoleContext,
  type TokenSource,
} from '../../src-main/core/console';
import { createLogger } from '../../src-main/core/log';
import {
  contextLookup,
  countingTokenSource,
  testAccount,
  testProfile,
} from '../helpers/console-fixtures';
import { seenHeader, startConsoleServer, type ConsoleTestServer } from '../helpers/console-server';

let api: ConsoleTestServer;
let other: ConsoleTestServer;
let ctx: ConsoleContext;
const logLines: string[] = [];
const logger = createLogger({ level: 'debug', sink: (line) => logLines.push(line) });

beforeAll(async () => {
  api = await startConsoleServer();
  other = await startConsoleServer();
  api.validTokens.add('token-one-111');
  ctx = { account: testAccount(), profile: testProfile(api.origin) };
});

afterAll(async () => {
  await api.close();
  await other.close();
  const all = logLines.join('\n');
  for (const secret of [
    'token-one-111',
    'token-two-222',
    'token-old-000',
    'token-new-999',
    'token-bad-555',
  ]) {
    expect(all).not.toContain(secret);
  }
});

function runner(
  tokens: TokenSource = countingTokenSource(['token-one-111']),
  extra: Partial<ConstructorParameters<typeof RequestRunner>[0]> = {},
) {
  return new RequestRunner({ tokens, context: contextLookup(ctx), logger, ...extra });
}

function lastRequest(server: ConsoleTestServer) {
  const request = server.requests.at(-1);
  if (!request) throw new Error('the server saw no request');
  return request;
}

describe('REST', () => {
  it('sends a path under the API base with the token, and asks for a token with 10 s left', async () => {
    const tokens = countingTokenSource(['token-one-111']);
    const view = await runner(tokens).send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'get',
      url: '/me',
    });
    expect(view.status).toBe(200);
    expect(JSON.parse(view.body)).toEqual({ id: 'user-1', name: 'Test User' });
    expect(view.url).toBe(`${api.origin}/api/me`);
    expect(view.method).toBe('GET');
    expect(view.contentType).toBe('application/json');
    expect(view.retriedAfterRenewal).toBe(false);
    expect(view.truncated).toBe(false);
    expect(tokens.calls).toEqual([
      { accountId: 'acct-1', minTtlMs: 10_000, rejectToken: undefined },
    ]);
    expect(seenHeader(lastRequest(api), 'authorization')).toBe('Bearer token-one-111');
  });

  it('appends query pairs, sends headers and a JSON body with its content type', async () => {
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'post',
      url: `${api.origin}/echo/items?x=1`,
      query: [
        ['q', 'a b&c'],
        ['q', '2'],
      ],
      headers: [['X-Trace', 'abc']],
      body: { type: 'json', text: '{"name":"it\'s"}' },
    });
    const echo = JSON.parse(view.body) as {
      method: string;
      path: string;
      headers: Array<[string, string]>;
      body: string;
    };
    expect(echo.method).toBe('POST');
    expect(echo.path).toBe('/echo/items?x=1&q=a+b%26c&q=2');
    expect(echo.body).toBe('{"name":"it\'s"}');
    const seen = lastRequest(api);
    expect(seenHeader(seen, 'content-type')).toBe('application/json');
    expect(seenHeader(seen, 'x-trace')).toBe('abc');
    expect(seenHeader(seen, 'content-length')).toBe(String(Buffer.byteLength('{"name":"it\'s"}')));
  });

  it('sends a form body as given, and a raw body without a content type', async () => {
    await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'PUT',
      url: `${api.origin}/echo`,
      body: { type: 'form', text: 'a=1&b=2' },
    });
    expect(seenHeader(lastRequest(api), 'content-type')).toBe('application/x-www-form-urlencoded');
    expect(lastRequest(api).body).toBe('a=1&b=2');
    await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'PATCH',
      url: `${api.origin}/echo`,
      body: { type: 'raw', text: 'héllo\nraw' },
    });
    expect(seenHeader(lastRequest(api), 'content-type')).toBeUndefined();
    expect(lastRequest(api).body).toBe('héllo\nraw');
  });

  it('refuses a JSON body that does not parse, before any network call', async () => {
    const before = api.requests.length;
    await expect(
      runner().send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'POST',
        url: '/echo',
        body: { type: 'json', text: '{nope' },
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(api.requests.length).toBe(before);
  });

  it('uses the header name and prefix from the profile', async () => {
    const server = await startConsoleServer({ authHeader: 'Authorisation', authPrefix: 'Token ' });
    try {
      server.validTokens.add('token-one-111');
      const custom: ConsoleContext = {
        account: testAccount('acct-2'),
        profile: testProfile(server.origin, {
          id: 'custom',
          use: {
            headerName: 'Authorisation',
            headerPrefix: 'Token',
            apiBase: `${server.origin}/v1`,
          },
        }),
      };
      const view = await new RequestRunner({
        tokens: countingTokenSource(['token-one-111']),
        context: contextLookup(custom),
        logger,
      }).send({
        kind: 'rest',
        accountId: 'acct-2',
        method: 'GET',
        url: 'me',
      });
      expect(view.status).toBe(200);
      const seen = lastRequest(server);
      expect(seen.headers.find(([name]) => name === 'Authorisation')?.[1]).toBe(
        'Token token-one-111',
      );
      expect(seenHeader(seen, 'authorization')).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('sends a bare token when the prefix is empty', async () => {
    const bare: ConsoleContext = {
      account: testAccount('acct-3'),
      profile: testProfile(api.origin, {
        id: 'bare',
        use: { headerName: 'X-Api-Key', headerPrefix: '', apiBase: api.origin },
      }),
    };
    await new RequestRunner({
      tokens: countingTokenSource(['token-one-111']),
      context: contextLookup(bare),
      logger,
    }).send({
      kind: 'rest',
      accountId: 'acct-3',
      method: 'GET',
      url: '/echo',
    });
    expect(seenHeader(lastRequest(api), 'x-api-key')).toBe('token-one-111');
  });
});

describe('where the token goes', () => {
  it('refuses a foreign origin without the opt-in, and sends nothing', async () => {
    const before = other.requests.length;
    const error = await runner()
      .send({ kind: 'rest', accountId: 'acct-1', method: 'GET', url: `${other.origin}/echo` })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'origin_not_allowed' });
    expect((error as Error).message).toContain('--allow-origin');
    expect(other.requests.length).toBe(before);
  });

  it('sends the token to a foreign origin with allowForeignOrigin', async () => {
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${other.origin}/echo`,
      allowForeignOrigin: true,
    });
    expect(view.status).toBe(200);
    expect(seenHeader(lastRequest(other), 'authorization')).toBe('Bearer token-one-111');
  });

  it('refuses CR/LF/NUL in header values and bad header names', async () => {
    for (const headers of [
      [['X-A', 'one\r\nX-Injected: yes']],
      [['X-A', 'one\ntwo']],
      [['X-A', 'nul\0']],
      [['Bad Name', 'v']],
      [['X-A\r\n', 'v']],
    ] as Array<Array<[string, string]>>) {
      await expect(
        runner().send({ kind: 'rest', accountId: 'acct-1', method: 'GET', url: '/me', headers }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    }
  });

  it('refuses header values Node could not send, and a token with a line break', async () => {
    for (const value of ['euro €', 'bell \u0007']) {
      await expect(
        runner().send({
          kind: 'rest',
          accountId: 'acct-1',
          method: 'GET',
          url: '/me',
          headers: [['X-A', value]],
        }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    }
    const before = api.requests.length;
    await expect(
      runner(countingTokenSource(['token\r\nX-Evil: 1'])).send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'GET',
        url: '/me',
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(api.requests.length).toBe(before);
  });

  it('refuses a header that would override the token', async () => {
    await expect(
      runner().send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'GET',
        url: '/me',
        headers: [['authorization', 'Bearer mine']],
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('refuses file:, javascript: and data: URLs, and a bad method', async () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/plain,hi',
      'ftp://127.0.0.1/x',
    ]) {
      await expect(
        runner().send({ kind: 'rest', accountId: 'acct-1', method: 'GET', url }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    }
    await expect(
      runner().send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'GET /x HTTP/1.1\r\n',
        url: '/me',
      }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('reports an unknown account as not_found', async () => {
    await expect(
      runner().send({ kind: 'rest', accountId: 'nobody', method: 'GET', url: '/me' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('401, renewal and retry', () => {
  it('renews once with rejectToken and retries once', async () => {
    api.validTokens.add('token-new-999');
    const tokens = countingTokenSource(['token-old-000', 'token-new-999']);
    const before = api.requests.length;
    const view = await runner(tokens).send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: '/me',
    });
    expect(view.status).toBe(200);
    expect(view.retriedAfterRenewal).toBe(true);
    expect(tokens.calls).toEqual([
      { accountId: 'acct-1', minTtlMs: 10_000, rejectToken: undefined },
      { accountId: 'acct-1', minTtlMs: 10_000, rejectToken: 'token-old-000' },
    ]);
    expect(api.requests.length - before).toBe(2);
    expect(seenHeader(lastRequest(api), 'authorization')).toBe('Bearer token-new-999');
  });

  it('returns a second 401 as it came, without another renewal', async () => {
    const tokens = countingTokenSource(['token-bad-555', 'token-two-222', 'token-three-333']);
    const before = api.requests.length;
    const view = await runner(tokens).send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: '/me',
    });
    expect(view.status).toBe(401);
    expect(view.retriedAfterRenewal).toBe(true);
    expect(tokens.calls).toHaveLength(2);
    expect(api.requests.length - before).toBe(2);
    expect(JSON.parse(view.body)).toEqual({ error: 'invalid_token' });
  });

  it('does not retry when renewal gives the same token back', async () => {
    const tokens = countingTokenSource(['token-bad-555']);
    const before = api.requests.length;
    const view = await runner(tokens).send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: '/me',
    });
    expect(view.status).toBe(401);
    expect(view.retriedAfterRenewal).toBe(false);
    expect(view.renewalError?.code).toBe('cannot_renew');
    expect(api.requests.length - before).toBe(1);
  });

  it('shows the 401 with the renewal error when renewal fails', async () => {
    let calls = 0;
    const tokens = {
      async getFreshToken() {
        calls += 1;
        if (calls === 1) return { accessToken: 'token-bad-555' };
        const { TokendeckError } = await import('../../src-main/core/errors');
        throw new TokendeckError('needs_reauth', 'Sign in again.');
      },
    };
    const view = await runner(tokens).send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: '/me',
    });
    expect(view.status).toBe(401);
    expect(view.renewalError).toEqual({ code: 'needs_reauth', message: 'Sign in again.' });
    expect(calls).toBe(2);
  });

  it('shows Retry-After on 429 and 503', async () => {
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/status/429`,
    });
    expect(view.status).toBe(429);
    expect(view.retryAfter).toBe('7');
    const unavailable = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/status/503`,
    });
    expect(unavailable.retryAfter).toBe('7');
    const plain = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/status/500`,
    });
    expect(plain.retryAfter).toBeUndefined();
  });
});

describe('limits', () => {
  it('times out', async () => {
    await expect(
      runner().send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'GET',
        url: `${api.origin}/hang`,
        timeoutMs: 200,
      }),
    ).rejects.toMatchObject({ code: 'timeout' });
  });

  it('uses the default timeout', async () => {
    await expect(
      runner(undefined, { defaultTimeoutMs: 200 }).send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'GET',
        url: `${api.origin}/hang`,
      }),
    ).rejects.toMatchObject({ code: 'timeout' });
  });

  it('cancels by request id once the server has the request', async () => {
    const engine = runner();
    const before = api.requests.length;
    const sending = engine.send(
      { kind: 'rest', accountId: 'acct-1', method: 'GET', url: `${api.origin}/hang` },
      { requestId: 'req-1' },
    );
    for (let tries = 0; tries < 500 && api.requests.length === before; tries += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(api.requests.length).toBe(before + 1);
    expect(engine.cancel('req-1')).toBe(true);
    await expect(sending).rejects.toMatchObject({ code: 'cancelled' });
    expect(engine.cancel('req-1')).toBe(false);
  });

  it('cancels through an abort signal', async () => {
    const controller = new AbortController();
    const sending = runner().send(
      { kind: 'rest', accountId: 'acct-1', method: 'GET', url: `${api.origin}/hang` },
      { signal: controller.signal },
    );
    controller.abort();
    await expect(sending).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('caps the display at 10 MiB and counts every byte', async () => {
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/big?mb=12`,
    });
    expect(view.status).toBe(200);
    expect(view.truncated).toBe(true);
    expect(view.incomplete).toBeUndefined();
    expect(view.size).toBe(12 * 1024 * 1024);
    expect(view.body.length).toBe(10 * 1024 * 1024);
  });

  it('stops reading at twice the display cap and says so', async () => {
    const view = await runner(undefined, { displayCapBytes: 1024 * 1024 }).send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/big?mb=12`,
    });
    expect(view.truncated).toBe(true);
    expect(view.incomplete).toBe(true);
    expect(view.body.length).toBe(1024 * 1024);
    expect(view.size).toBeGreaterThan(2 * 1024 * 1024);
    expect(view.size).toBeLessThan(12 * 1024 * 1024);
  });

  it('returns a non-JSON body as text', async () => {
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/text`,
    });
    expect(view.body).toBe('plain words, not JSON { at all');
    expect(view.contentType).toBe('text/plain; charset=utf-8');
  });

  it('returns an HTML body as inert text', async () => {
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/html`,
    });
    expect(typeof view.body).toBe('string');
    expect(view.body).toBe('<!doctype html><script>alert(1)</script><h1>Hello</h1>');
    expect(view.contentType).toContain('text/html');
  });

  it('decodes gzip and br bodies', async () => {
    for (const coding of ['gzip', 'br']) {
      const view = await runner().send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'GET',
        url: `${api.origin}/${coding}`,
      });
      expect(JSON.parse(view.body)).toMatchObject({ compressed: coding });
      expect(view.size).toBe(view.body.length);
      expect(view.encodedSize).toBeGreaterThan(0);
      expect(view.encodedSize).toBeLessThan(view.size);
    }
  });

  it('reports timings as numbers, total not below first byte', async () => {
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: '/me',
    });
    expect(typeof view.timings.connectMs).toBe('number');
    expect(typeof view.timings.firstByteMs).toBe('number');
    expect(typeof view.timings.totalMs).toBe('number');
    expect(view.timings.totalMs).toBeGreaterThanOrEqual(view.timings.firstByteMs);
    expect(view.timings.firstByteMs).toBeGreaterThanOrEqual(view.timings.connectMs ?? 0);
  });

  it('reports a refused connection as network_error', async () => {
    const closed = await startConsoleServer();
    await closed.close();
    const gone: ConsoleContext = {
      account: testAccount('acct-4'),
      profile: testProfile(closed.origin, { id: 'gone' }),
    };
    await expect(
      new RequestRunner({
        tokens: countingTokenSource(['token-one-111']),
        context: contextLookup(gone),
        logger,
      }).send({
        kind: 'rest',
        accountId: 'acct-4',
        method: 'GET',
        url: '/me',
      }),
    ).rejects.toMatchObject({ code: 'network_error' });
  });
});

describe('redirects', () => {
  it('follows a same-origin redirect and keeps the token', async () => {
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/redirect?to=/echo/landed`,
    });
    expect(view.status).toBe(200);
    expect(view.redirects).toEqual([`${api.origin}/echo/landed`]);
    expect(view.url).toBe(`${api.origin}/echo/landed`);
    expect(view.tokenSent).toBe(true);
    expect(seenHeader(lastRequest(api), 'authorization')).toBe('Bearer token-one-111');
  });

  it('drops the token on a redirect to another origin', async () => {
    const to = encodeURIComponent(`${other.origin}/echo/elsewhere`);
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/redirect?to=${to}`,
      headers: [['Cookie', 'session=abc']],
    });
    expect(view.status).toBe(200);
    expect(view.redirects).toEqual([`${other.origin}/echo/elsewhere`]);
    expect(view.tokenSent).toBe(false);
    const seen = lastRequest(other);
    expect(seen.path).toBe('/echo/elsewhere');
    expect(seenHeader(seen, 'authorization')).toBeUndefined();
    expect(seenHeader(seen, 'cookie')).toBeUndefined();
  });

  it('drops the token even on a redirect to another of the provider origins (SECURITY 47)', async () => {
    const both: ConsoleContext = {
      account: testAccount('acct-5'),
      profile: testProfile(api.origin, {
        id: 'both',
        endpoints: { userinfo: `${other.origin}/userinfo` },
      }),
    };
    const to = encodeURIComponent(`${other.origin}/echo/provider`);
    const send = (locationTrusted?: boolean) =>
      new RequestRunner({
        tokens: countingTokenSource(['token-one-111']),
        context: contextLookup(both),
        logger,
      }).send({
        kind: 'rest',
        accountId: 'acct-5',
        method: 'GET',
        url: `${api.origin}/redirect?to=${to}`,
        ...(locationTrusted ? { locationTrusted } : {}),
      });
    expect((await send()).tokenSent).toBe(false);
    expect(seenHeader(lastRequest(other), 'authorization')).toBeUndefined();
    expect((await send(true)).tokenSent).toBe(true);
    expect(seenHeader(lastRequest(other), 'authorization')).toBe('Bearer token-one-111');
  });

  const CREDENTIAL_LOOKING: Array<[string, string]> = [
    ['X-Api-Key', 'key-abc'],
    ['X-Auth-Token', 'tok-abc'],
    ['Proxy-Authorization', 'Basic cHJveHk6cHc='],
    ['Cookie', 'session=abc'],
    ['X-Client-Secret', 'secret-abc'],
    ['Idempotency-Key', 'idem-abc'],
  ];

  it('drops every credential-looking header on a cross-origin redirect, and keeps the rest', async () => {
    const to = encodeURIComponent(`${other.origin}/echo/elsewhere`);
    await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/redirect?to=${to}`,
      headers: [...CREDENTIAL_LOOKING, ['X-Trace', 'trace-1']],
    });
    const seen = lastRequest(other);
    for (const [name] of CREDENTIAL_LOOKING) expect(seenHeader(seen, name), name).toBeUndefined();
    expect(seenHeader(seen, 'x-trace')).toBe('trace-1');

    await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: `${api.origin}/redirect?to=/echo/same`,
      headers: CREDENTIAL_LOOKING,
    });
    for (const [name, value] of CREDENTIAL_LOOKING) {
      expect(seenHeader(lastRequest(api), name), name).toBe(value);
    }
  });

  it('drops the body of a 307 or 308 to another origin', async () => {
    for (const status of [307, 308]) {
      const to = encodeURIComponent(`${other.origin}/echo/posted`);
      const view = await runner().send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'POST',
        url: `${api.origin}/redirect?status=${status}&to=${to}`,
        body: { type: 'json', text: '{"secret":"in-the-body"}' },
      });
      expect(view.method).toBe('POST');
      expect(lastRequest(other)).toMatchObject({ method: 'POST', body: '' });
      expect(seenHeader(lastRequest(other), 'content-type')).toBeUndefined();
    }
  });

  it('keeps all of it with locationTrusted (--location-trusted), by explicit choice', async () => {
    const to = encodeURIComponent(`${other.origin}/echo/trusted`);
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'POST',
      url: `${api.origin}/redirect?status=307&to=${to}`,
      headers: CREDENTIAL_LOOKING,
      body: { type: 'json', text: '{"a":1}' },
      locationTrusted: true,
    });
    expect(view.tokenSent).toBe(true);
    const seen = lastRequest(other);
    expect(seen).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(seenHeader(seen, 'authorization')).toBe('Bearer token-one-111');
    for (const [name, value] of CREDENTIAL_LOOKING)
      expect(seenHeader(seen, name), name).toBe(value);
  });

  it('turns a POST into a GET on 303 and keeps it on 307', async () => {
    const see = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'POST',
      url: `${api.origin}/redirect?status=303&to=/echo/after`,
      body: { type: 'json', text: '{"a":1}' },
    });
    expect(see.method).toBe('GET');
    expect(lastRequest(api)).toMatchObject({ method: 'GET', body: '' });
    expect(seenHeader(lastRequest(api), 'content-type')).toBeUndefined();
    const temporary = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'POST',
      url: `${api.origin}/redirect?status=307&to=/echo/after`,
      body: { type: 'json', text: '{"a":1}' },
    });
    expect(temporary.method).toBe('POST');
    expect(lastRequest(api)).toMatchObject({ method: 'POST', body: '{"a":1}' });
  });

  it('does not follow a redirect to a URL with credentials or another scheme', async () => {
    for (const to of [`http://user:pw@127.0.0.1:1/echo`, 'file:///etc/passwd']) {
      const view = await runner().send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'GET',
        url: `${api.origin}/redirect?to=${encodeURIComponent(to)}`,
      });
      expect(view.status).toBe(302);
      expect(view.redirects).toEqual([]);
    }
  });

  it('does not follow a 302 for a POST', async () => {
    const view = await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'POST',
      url: `${api.origin}/redirect?status=302&to=/echo`,
    });
    expect(view.status).toBe(302);
    expect(view.redirects).toEqual([]);
  });

  it('stops after maxRedirects', async () => {
    const self = encodeURIComponent(`${api.origin}/redirect?to=/echo`);
    const loop = `${api.origin}/redirect?to=${encodeURIComponent(`/redirect?to=${self}`)}`;
    await expect(
      runner(undefined, { maxRedirects: 1 }).send({
        kind: 'rest',
        accountId: 'acct-1',
        method: 'GET',
        url: loop,
      }),
    ).rejects.toMatchObject({
      code: 'http_error',
    });
  });
});

describe('GraphQL', () => {
  it('posts query, variables and operation name to the GraphQL URL', async () => {
    const view = await runner().send({
      kind: 'graphql',
      accountId: 'acct-1',
      query: 'query Me($x: Int) { me { id } }',
      variables: { x: 1 },
      operationName: 'Me',
    });
    expect(view.status).toBe(200);
    expect(JSON.parse(view.body)).toEqual({
      data: { me: { id: 'user-1' } },
      echo: { variables: { x: 1 }, operationName: 'Me' },
    });
    const seen = lastRequest(api);
    expect(seen.method).toBe('POST');
    expect(seen.path).toBe('/graphql');
    expect(seenHeader(seen, 'accept')).toBe('application/json');
    expect(seenHeader(seen, 'content-type')).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual({
      query: 'query Me($x: Int) { me { id } }',
      variables: { x: 1 },
      operationName: 'Me',
    });
  });

  it('needs a URL when the profile has none', async () => {
    const none: ConsoleContext = {
      account: testAccount('acct-6'),
      profile: testProfile(api.origin, {
        id: 'rest-only',
        use: { headerName: 'Authorization', headerPrefix: 'Bearer', apiBase: api.origin },
      }),
    };
    const engine = new RequestRunner({
      tokens: countingTokenSource(['token-one-111']),
      context: contextLookup(none),
      logger,
    });
    await expect(
      engine.send({ kind: 'graphql', accountId: 'acct-6', query: '{ me { id } }' }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    const view = await engine.send({
      kind: 'graphql',
      accountId: 'acct-6',
      query: '{ me { id } }',
      url: `${api.origin}/graphql`,
    });
    expect(JSON.parse(view.body).data).toEqual({ me: { id: 'user-1' } });
  });
});

describe('logs', () => {
  it('carry method, origin and status, never the token or the path', async () => {
    const from = logLines.length;
    await runner().send({
      kind: 'rest',
      accountId: 'acct-1',
      method: 'GET',
      url: '/me?api_key=hidden-query-value',
    });
    const lines = logLines.slice(from).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'console request',
        method: 'GET',
        origin: api.origin,
        status: 200,
      }),
    );
    const text = logLines.slice(from).join('\n');
    expect(text).not.toContain('token-one-111');
    expect(text).not.toContain('hidden-query-value');
    expect(text.toLowerCase()).not.toContain('bearer');
  });
});

describe('history', () => {
  it('records every send, failures included, newest first, without the token', async () => {
    const history = createMemoryHistoryStore();
    const engine = runner(undefined, { history });
    await engine.send(
      { kind: 'rest', accountId: 'acct-1', method: 'GET', url: '/me' },
      { requestId: 'first' },
    );
    await expect(
      engine.send(
        { kind: 'rest', accountId: 'acct-1', method: 'GET', url: 'file:///etc/passwd' },
        { requestId: 'second' },
      ),
    ).rejects.toThrow();
    const entries = await history.list('acct-1');
    expect(entries.map((entry) => entry.id)).toEqual(['second', 'first']);
    expect(entries[1]).toMatchObject({
      status: 200,
      request: { kind: 'rest', method: 'GET', url: '/me' },
    });
    expect(entries[1].size).toBeGreaterThan(0);
    expect(entries[0]).toMatchObject({ status: null, error: { code: 'invalid_input' } });
    expect(JSON.stringify(entries)).not.toContain('token-one-111');
  });

  it('keeps the last 200', async () => {
    const history = createMemoryHistoryStore();
    const engine = runner(undefined, { history });
    for (let index = 0; index < 205; index += 1) {
      await engine.send(
        { kind: 'rest', accountId: 'acct-1', method: 'GET', url: `/me?n=${index}` },
        { requestId: `r${index}` },
      );
    }
    const entries = await history.list('acct-1');
    expect(entries).toHaveLength(200);
    expect(entries[0].id).toBe('r204');
    expect(entries[199].id).toBe('r5');
  });
});
