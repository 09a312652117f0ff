import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RequestRunner,
  toCurl,
  type ConsoleContext,
  type RequestSpec,
} from '../../src-main/core/console';
import {
  contextLookup,
  countingTokenSource,
  testAccount,
  testProfile,
} from '../helpers/console-fixtures';
import { seenHeader, startConsoleServer, type ConsoleTestServer } from '../helpers/console-server';

const run = promisify(execFile);
const TOKEN = 'token-curl-777';

let api: ConsoleTestServer;
let ctx: ConsoleContext;
let runner: RequestRunner;

beforeAll(async () => {
  api = await startConsoleServer();
  api.validTokens.add(TOKEN);
  ctx = { account: testAccount(), profile: testProfile(api.origin) };
  runner = new RequestRunner({ tokens: countingTokenSource([TOKEN]), context: contextLookup(ctx) });
});

afterAll(async () => {
  await api.close();
});

/**
 * Runs a command in a real POSIX shell, with a stub `tokendeck` that prints $TOKEN.
 *
 * Asynchronous, so the test server in this process keeps answering while curl runs.
 */
async function shell(command: string, options: { stub?: boolean } = {}): Promise<string> {
  const script =
    options.stub === false ? command : `tokendeck() { printf %s "$TOKEN"; }; ${command}`;
  const { stdout } = await run('/bin/sh', ['-c', script], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TOKEN },
  });
  return stdout;
}

function echoOf(text: string) {
  return JSON.parse(text) as {
    method: string;
    path: string;
    headers: Array<[string, string]>;
    body: string;
  };
}

describe('copy as curl', () => {
  it('gets the same body as send(), with the token fetched by $(tokendeck token …)', async () => {
    const spec: RequestSpec = { kind: 'rest', accountId: 'acct-1', method: 'GET', url: '/me' };
    const command = toCurl(spec, ctx);
    expect(command).toBe(
      `curl -sS '${api.origin}/api/me' -H "Authorization: Bearer $(tokendeck token 'acct-1')"`,
    );
    expect(command).not.toContain(TOKEN);
    const viaCurl = await shell(command);
    const viaSend = await runner.send(spec);
    expect(viaCurl).toBe(viaSend.body);
    expect(seenHeader(api.requests.at(-2)!, 'authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('quotes a body with single quotes and shell syntax so it arrives byte for byte', async () => {
    const text = JSON.stringify({ note: 'it\'s $(rm -rf /) `id` \\ "q" $HOME !x', line: 'a\nb' });
    const spec: RequestSpec = {
      kind: 'rest',
      accountId: 'acct-1',
      method: 'post',
      url: `${api.origin}/echo/it's`,
      query: [['q', "o'brien"]],
      headers: [['X-Note', "it's $HOME"]],
      body: { type: 'json', text },
    };
    const command = toCurl(spec, ctx);
    expect(command).toContain(`--data-raw '`);
    expect(command).toContain(`'\\''`);
    const viaCurl = echoOf(await shell(command));
    const curlSeen = api.requests.at(-1)!;
    const viaSend = echoOf((await runner.send(spec)).body);
    const sendSeen = api.requests.at(-1)!;
    expect(viaCurl.body).toBe(text);
    expect(viaCurl).toMatchObject({
      method: viaSend.method,
      path: viaSend.path,
      body: viaSend.body,
    });
    for (const name of ['content-type', 'x-note', 'authorization', 'content-length']) {
      expect(seenHeader(curlSeen, name)).toBe(seenHeader(sendSeen, name));
    }
    expect(seenHeader(curlSeen, 'x-note')).toBe("it's $HOME");
  });

  it('sends a raw body without the form content type curl would add', async () => {
    const spec: RequestSpec = {
      kind: 'rest',
      accountId: 'acct-1',
      method: 'PUT',
      url: `${api.origin}/echo`,
      body: { type: 'raw', text: 'raw body' },
    };
    await shell(toCurl(spec, ctx));
    expect(seenHeader(api.requests.at(-1)!, 'content-type')).toBeUndefined();
    expect(api.requests.at(-1)!.body).toBe('raw body');
  });

  it('gets the same GraphQL answer', async () => {
    const spec: RequestSpec = {
      kind: 'graphql',
      accountId: 'acct-1',
      query: '{ me { id } }',
      variables: { a: "b'c" },
    };
    const viaCurl = await shell(toCurl(spec, ctx));
    const viaSend = await runner.send(spec);
    expect(JSON.parse(viaCurl)).toEqual(JSON.parse(viaSend.body));
    expect(JSON.parse(viaCurl).echo.variables).toEqual({ a: "b'c" });
  });

  it('inlines the real token, single-quoted, when asked', async () => {
    const spec: RequestSpec = { kind: 'rest', accountId: 'acct-1', method: 'GET', url: '/me' };
    const command = toCurl(spec, ctx, { inlineToken: true, token: TOKEN });
    expect(command).toContain(`-H 'Authorization: Bearer ${TOKEN}'`);
    expect(command).not.toContain('tokendeck token');
    expect(JSON.parse(await shell(command, { stub: false }))).toEqual({
      id: 'user-1',
      name: 'Test User',
    });
    expect(() => toCurl(spec, ctx, { inlineToken: true })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
  });

  it("uses the profile's header name and prefix, and keeps odd characters out of the shell's reach", async () => {
    const server = await startConsoleServer({ authHeader: 'X-Key$HOME', authPrefix: 'Tok`en ' });
    try {
      server.validTokens.add(TOKEN);
      const odd: ConsoleContext = {
        account: testAccount('acct-2'),
        profile: testProfile(server.origin, {
          id: 'odd',
          use: {
            headerName: 'X-Key$HOME',
            headerPrefix: 'Tok`en',
            apiBase: `${server.origin}/api`,
          },
        }),
      };
      const command = toCurl({ kind: 'rest', accountId: 'acct-2', method: 'GET', url: '/me' }, odd);
      expect(command).toContain(`'X-Key$HOME: Tok\`en '"$(tokendeck token 'acct-2')"`);
      expect(JSON.parse(await shell(command))).toEqual({ id: 'user-1', name: 'Test User' });
    } finally {
      await server.close();
    }
  });

  it('uses --head for HEAD', () => {
    expect(toCurl({ kind: 'rest', accountId: 'acct-1', method: 'head', url: '/me' }, ctx)).toMatch(
      /^curl -sS --head '/,
    );
  });

  it('refuses an account id that is not shell-safe, and a foreign origin', () => {
    const unsafe: ConsoleContext = {
      account: testAccount("a'; rm -rf ~; '"),
      profile: ctx.profile,
    };
    expect(() =>
      toCurl({ kind: 'rest', accountId: unsafe.account.id, method: 'GET', url: '/me' }, unsafe),
    ).toThrow(expect.objectContaining({ code: 'invalid_input' }));
    expect(() =>
      toCurl(
        { kind: 'rest', accountId: 'acct-1', method: 'GET', url: 'https://elsewhere.example/x' },
        ctx,
      ),
    ).toThrow(expect.objectContaining({ code: 'origin_not_allowed' }));
  });
});
