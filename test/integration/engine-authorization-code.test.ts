/**
 * The authorization code flow end to end against a small but strict authorization server on
 * 127.0.0.1, written here: it checks PKCE S256 server-side, requires the identical redirect_uri,
 * echoes state and sends `iss` (RFC 9207). A scripted "browser" follows the authorization
 * redirect to the engine's loopback listener over real HTTP.
 */
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/core/log';
import {
  authorizationCodeFlow,
  identifyAccount,
  renewTokens,
  resolveProvider,
  revokeToken,
} from '../../src-main/core/flows';
import type { BrowserOpener } from '../../src-main/core/ports';
import {
  discover,
  validateProfile,
  type ProviderProfileInput,
} from '../../src-main/core/providers';
import {
  bodyFields,
  startScriptedServer,
  type ScriptedServer,
} from '../unit/flows/scripted-server';
import { failure } from '../helpers/expect-error';

const SECRET = 'confidential-secret-0987654321';

interface Grant {
  challenge: string;
  redirectUri: string;
  clientId: string;
}

interface Tamper {
  /** Replace or drop (null) the iss the server sends. */
  iss?: string | null;
  error?: string;
}

let servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function startAs(options: { tamper?: Tamper; advertiseIss?: boolean } = {}) {
  const codes = new Map<string, Grant>();
  const refreshTokens = new Set<string>();
  const seen = { verifiers: [] as string[], codes: [] as string[], tokens: [] as string[] };
  const server = await startScriptedServer();
  servers.push(server);
  const issuer = server.origin;
  server.route('/.well-known/oauth-authorization-server', () => ({
    body: {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      revocation_endpoint: `${issuer}/revoke`,
      code_challenge_methods_supported: ['S256'],
      ...(options.advertiseIss === false
        ? {}
        : { authorization_response_iss_parameter_supported: true }),
    },
  }));
  server.route('/authorize', (req) => {
    const q = req.query;
    const redirectUri = q.get('redirect_uri') ?? '';
    if (
      q.get('response_type') !== 'code' ||
      q.get('code_challenge_method') !== 'S256' ||
      !q.get('code_challenge') ||
      !q.get('state')
    ) {
      return { status: 400, body: 'bad authorization request' };
    }
    if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\//.test(redirectUri))
      return { status: 400, body: 'bad redirect' };
    const target = new URL(redirectUri);
    target.searchParams.set('state', q.get('state')!);
    if (options.tamper?.error) {
      target.searchParams.set('error', options.tamper.error);
    } else {
      const code = randomBytes(16).toString('base64url');
      seen.codes.push(code);
      codes.set(code, {
        challenge: q.get('code_challenge')!,
        redirectUri,
        clientId: q.get('client_id')!,
      });
      target.searchParams.set('code', code);
    }
    const iss = options.tamper?.iss === undefined ? issuer : options.tamper.iss;
    if (iss !== null) target.searchParams.set('iss', iss);
    return { status: 302, headers: { location: target.href }, body: '' };
  });
  server.route('/token', (req) => {
    const fields = bodyFields(req);
    const basic = String(req.headers.authorization ?? '');
    const clientId = basic.startsWith('Basic ')
      ? decodeURIComponent(Buffer.from(basic.slice(6), 'base64').toString().split(':')[0]!)
      : fields.client_id;
    if (
      basic &&
      decodeURIComponent(Buffer.from(basic.slice(6), 'base64').toString().split(':')[1]!) !== SECRET
    ) {
      return { status: 401, body: { error: 'invalid_client' } };
    }
    if (fields.grant_type === 'authorization_code') {
      const grant = codes.get(fields.code ?? '');
      codes.delete(fields.code ?? '');
      if (!grant || grant.clientId !== clientId)
        return { status: 400, body: { error: 'invalid_grant', error_description: 'unknown code' } };
      if (fields.redirect_uri !== grant.redirectUri)
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'redirect_uri differs' },
        };
      const computed = createHash('sha256')
        .update(fields.code_verifier ?? '')
        .digest('base64url');
      if (computed !== grant.challenge)
        return { status: 400, body: { error: 'invalid_grant', error_description: 'PKCE failed' } };
      seen.verifiers.push(fields.code_verifier!);
    } else if (fields.grant_type === 'refresh_token') {
      if (!refreshTokens.delete(fields.refresh_token ?? ''))
        return { status: 400, body: { error: 'invalid_grant' } };
    } else {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    const access = randomBytes(12).toString('hex');
    const refresh = randomBytes(12).toString('hex');
    refreshTokens.add(refresh);
    seen.tokens.push(access, refresh);
    return {
      body: {
        access_token: access,
        refresh_token: refresh,
        token_type: 'Bearer',
        expires_in: 600,
        scope: 'read',
      },
    };
  });
  server.route('/revoke', (req) => {
    refreshTokens.delete(bodyFields(req).token ?? '');
    return { status: 200, body: '' };
  });
  return { server, issuer, seen, refreshTokens };
}

/** A scripted user agent: follows the authorization redirect to wherever it points. */
/** True when a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function scriptedBrowser(): BrowserOpener & { opened: string[]; done: Promise<void>[] } {
  const opened: string[] = [];
  const done: Promise<void>[] = [];
  const get = (url: string) =>
    new Promise<{ status: number; location?: string }>((resolve, reject) => {
      const req = request(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location }),
        );
      });
      req.on('error', reject);
      req.end();
    });
  return {
    opened,
    done,
    async open(url) {
      opened.push(url);
      done.push(
        (async () => {
          const first = await get(url);
          if (first.location) await get(first.location);
        })(),
      );
    },
  };
}

async function resolvedFor(
  issuer: string,
  extra: Partial<ProviderProfileInput> = {},
  clientSecret?: string,
) {
  const profile = validateProfile({
    id: 'mini',
    name: 'Mini AS',
    grant: 'authorization_code',
    issuer,
    client: { registration: 'static', clientId: 'tokendeck-test', auth: 'none' },
    scopes: ['read'],
    ...extra,
  });
  const discovered = await discover(issuer);
  return resolveProvider(profile, { discovered, ...(clientSecret ? { clientSecret } : {}) });
}

describe('authorization code flow against a real loopback AS', () => {
  it('completes with PKCE S256, state, iss and the identical redirect_uri; logs stay clean', async () => {
    const { issuer, seen, server } = await startAs();
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
    const browser = scriptedBrowser();
    const stages: string[] = [];
    const resolved = await resolvedFor(issuer);
    const result = await authorizationCodeFlow(resolved, browser, {
      logger,
      onProgress: (stage, info) => stages.push(info?.authorizationUrl ? `${stage}:url` : stage),
    });
    await Promise.all(browser.done);
    expect(stages).toEqual(['waiting-for-browser:url', 'exchanging']);
    expect(result.tokens.refreshToken).toBeDefined();
    expect(result.tokens.scopes).toEqual(['read']);

    const authorize = new URL(browser.opened[0]!);
    expect(authorize.origin + authorize.pathname).toBe(`${issuer}/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const redirectUri = authorize.searchParams.get('redirect_uri')!;
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const tokenRequest = server.requests.find((r) => r.path === '/token')!;
    expect(bodyFields(tokenRequest).redirect_uri).toBe(redirectUri);
    expect(seen.verifiers).toHaveLength(1);

    const renewed = await renewTokens(
      resolved,
      { accessToken: result.tokens.accessToken, refreshToken: result.tokens.refreshToken! },
      { logger },
    );
    expect(renewed.refreshToken).not.toBe(result.tokens.refreshToken);
    expect(await revokeToken(resolved, renewed.refreshToken!, 'refresh_token', { logger })).toBe(
      true,
    );
    expect(
      (
        await failure(
          renewTokens(resolved, { accessToken: 'x', refreshToken: renewed.refreshToken! }),
        )
      ).code,
    ).toBe('invalid_grant');

    const state = authorize.searchParams.get('state')!;
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const secret of [...seen.codes, ...seen.verifiers, ...seen.tokens, state])
      expect(log).not.toContain(secret);
  });

  it('sends a new verifier and state on every attempt', async () => {
    const { issuer } = await startAs();
    const browser = scriptedBrowser();
    const resolved = await resolvedFor(issuer);
    await authorizationCodeFlow(resolved, browser);
    await authorizationCodeFlow(resolved, browser);
    const [a, b] = browser.opened.map((url) => new URL(url).searchParams);
    expect(a!.get('state')).not.toBe(b!.get('state'));
    expect(a!.get('code_challenge')).not.toBe(b!.get('code_challenge'));
  });

  it('honours a fixed redirect’s port and path, with client_secret_basic', async () => {
    const { issuer } = await startAs();
    const probe = await startScriptedServer();
    const port = new URL(probe.origin).port;
    await probe.close();
    const browser = scriptedBrowser();
    const resolved = await resolvedFor(
      issuer,
      {
        redirect: { mode: 'fixed', uri: `http://127.0.0.1:${port}/oauth/done` },
        client: { registration: 'static', clientId: 'conf', auth: 'client_secret_basic' },
      },
      SECRET,
    );
    await authorizationCodeFlow(resolved, browser);
    expect(new URL(browser.opened[0]!).searchParams.get('redirect_uri')).toBe(
      `http://127.0.0.1:${port}/oauth/done`,
    );
  });

  it('listens on both loopback families for a fixed localhost redirect (SECURITY 13)', async () => {
    const { issuer } = await startAs();
    const probe = await startScriptedServer();
    const port = Number(new URL(probe.origin).port);
    await probe.close();
    const reachable: Record<string, boolean> = {};
    const inner = scriptedBrowser();
    const browser: BrowserOpener = {
      async open(url) {
        for (const host of ['127.0.0.1', '::1']) reachable[host] = await accepts(host, port);
        // The browser comes back on ::1, as one that resolves localhost to IPv6 first would.
        const authorize = new URL(url);
        const location = await new Promise<string>((resolve, reject) => {
          request(authorize, { agent: false }, (res) => {
            res.resume();
            resolve(String(res.headers.location));
          })
            .on('error', reject)
            .end();
        });
        await inner.open(location.replace('//localhost:', '//[::1]:'));
      },
    };
    const resolved = await resolvedFor(issuer, {
      redirect: { mode: 'fixed', uri: `http://localhost:${port}/oauth/done` },
    });
    const result = await authorizationCodeFlow(resolved, browser);
    expect(result.tokens.accessToken).toBeTruthy();
    expect(reachable).toEqual({ '127.0.0.1': true, '::1': true });
  });

  it('refuses a callback with a wrong iss (RFC 9207) without calling the token endpoint', async () => {
    const { issuer, server } = await startAs({ tamper: { iss: 'https://attacker.example' } });
    const error = await failure(
      authorizationCodeFlow(await resolvedFor(issuer), scriptedBrowser()),
    );
    expect(error.code).toBe('callback_invalid');
    expect(error.details.reason).toBe('iss');
    expect(server.requests.some((r) => r.path === '/token')).toBe(false);
  });

  it('refuses a callback without iss when the server advertises it', async () => {
    const { issuer } = await startAs({ tamper: { iss: null } });
    expect(
      (await failure(authorizationCodeFlow(await resolvedFor(issuer), scriptedBrowser()))).code,
    ).toBe('callback_invalid');
  });

  it('accepts a callback without iss when the server does not advertise it', async () => {
    const { issuer } = await startAs({ tamper: { iss: null }, advertiseIss: false });
    expect(
      (await authorizationCodeFlow(await resolvedFor(issuer), scriptedBrowser())).tokens
        .accessToken,
    ).toBeTruthy();
  });

  it('fails with callback_error on error=access_denied', async () => {
    const { issuer } = await startAs({ tamper: { error: 'access_denied' } });
    const error = await failure(
      authorizationCodeFlow(await resolvedFor(issuer), scriptedBrowser()),
    );
    expect(error.code).toBe('callback_error');
    expect(error.details.error).toBe('access_denied');
  });

  it('fails with invalid_grant when the code is refused', async () => {
    const { issuer } = await startAs();
    const flow = authorizationCodeFlow(await resolvedFor(issuer), {
      // The code is issued to another client, so the exchange is refused.
      async open(url) {
        const tampered = new URL(url);
        tampered.searchParams.set('client_id', 'someone-else');
        await scriptedBrowser().open(tampered.href);
      },
    });
    expect((await failure(flow)).code).toBe('invalid_grant');
  });

  it('is cancelled through the AbortSignal while waiting for the browser', async () => {
    const { issuer } = await startAs();
    const controller = new AbortController();
    const flow = authorizationCodeFlow(
      await resolvedFor(issuer),
      { open: async () => controller.abort() },
      { signal: controller.signal },
    );
    expect((await failure(flow)).code).toBe('flow_cancelled');
  });

  it('times out when no callback arrives', async () => {
    const { issuer } = await startAs();
    const flow = authorizationCodeFlow(
      await resolvedFor(issuer),
      { open: async () => undefined },
      { timeoutMs: 100 },
    );
    expect((await failure(flow)).code).toBe('flow_timeout');
  });

  it('fails with browser_failed when the browser cannot be opened', async () => {
    const { issuer } = await startAs();
    const flow = authorizationCodeFlow(await resolvedFor(issuer), {
      open: async () => {
        throw new Error('no display');
      },
    });
    expect((await failure(flow)).code).toBe('browser_failed');
  });

  it('names the account after the flow', async () => {
    const { issuer, server } = await startAs();
    server.route('/api/me', (req) => ({
      body: {
        id: req.headers.authorization?.startsWith('Bearer ') ? 'u-1' : null,
        email: 'u1@test',
      },
    }));
    const resolved = await resolvedFor(issuer, {
      use: { apiBase: `${issuer}/api` },
      whoami: { kind: 'rest', url: '/me', subject: 'id', label: 'email' },
    });
    const result = await authorizationCodeFlow(resolved, scriptedBrowser());
    expect(await identifyAccount(resolved, result)).toEqual({
      subject: 'u-1',
      identifiedBy: 'id',
      label: 'u1@test',
    });
  });
});
