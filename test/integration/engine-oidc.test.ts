/**
 * The engine against a real authorization server: node-oidc-provider on 127.0.0.1, with
 * Chromium (playwright-core) playing the user in the system browser.
 *
 * Discovery → dynamic registration → authorization code with PKCE (and iss, nonce) → userinfo →
 * refresh with rotation → revocation, plus client credentials and a denied consent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/core/log';
import {
  authorizationCodeFlow,
  clientCredentialsFlow,
  identifyAccount,
  renewTokens,
  resolveProvider,
  revokeToken,
} from '../../src-main/core/flows';
import { discover, registerClient, validateProfile } from '../../src-main/core/providers';
import { createBrowserUser, type BrowserUser } from '../helpers/browser-user';
import { startOidcProvider, type OidcProviderServer } from '../helpers/servers/oidc-provider';
import { failure } from '../helpers/expect-error';

let provider: OidcProviderServer;
let user: BrowserUser;
const lines: string[] = [];
const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });

beforeAll(async () => {
  provider = await startOidcProvider({
    clientCredentialsClients: [
      {
        client_id: 'machine',
        client_secret: 'machine-secret-123456',
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
  });
  user = await createBrowserUser({ login: 'alice' });
});

afterAll(async () => {
  await user?.close();
  await provider?.close();
});

describe('engine against node-oidc-provider', () => {
  it('discovers, registers, signs in with PKCE, names the account, refreshes with rotation and revokes', async () => {
    const profile = validateProfile({
      id: 'oidc',
      name: 'OIDC',
      grant: 'authorization_code',
      issuer: provider.issuer,
      client: { registration: 'dynamic', auth: 'none' },
      scopes: ['openid', 'email', 'offline_access'],
      authorizeParams: { prompt: 'consent' },
      whoami: { kind: 'userinfo' },
    });
    const discovered = await discover(provider.issuer, { logger });
    expect(discovered.issuer).toBe(provider.issuer);
    expect(discovered.authorization_response_iss_parameter_supported).toBe(true);

    const registered = await registerClient(
      discovered,
      { redirectUris: ['http://127.0.0.1/callback'], scope: profile.scopes.join(' ') },
      { logger },
    );
    expect(registered.clientId).toBeTruthy();
    expect(registered.metadata).toMatchObject({
      application_type: 'native',
      token_endpoint_auth_method: 'none',
    });

    const resolved = resolveProvider(profile, {
      registeredClientId: registered.clientId,
      discovered,
    });
    const result = await authorizationCodeFlow(resolved, user, { logger, timeoutMs: 60_000 });
    await user.settled();
    expect(result.idTokenClaims?.sub).toBe('alice');
    expect(result.tokens.refreshToken).toBeTruthy();
    expect(result.tokens.expiresAt).toBeGreaterThan(result.tokens.receivedAt);
    expect(await identifyAccount(resolved, result, { logger })).toEqual({
      subject: 'alice',
      identifiedBy: 'sub',
      // Without a label path, the first of name, …, email that userinfo has.
      label: 'alice@example.test',
    });

    const first = result.tokens.refreshToken!;
    const renewed = await renewTokens(
      resolved,
      { accessToken: result.tokens.accessToken, refreshToken: first },
      { logger },
    );
    expect(renewed.accessToken).not.toBe(result.tokens.accessToken);
    expect(renewed.refreshToken).toBeTruthy();
    expect(renewed.refreshToken).not.toBe(first);

    expect(await revokeToken(resolved, renewed.refreshToken!, 'refresh_token', { logger })).toBe(
      true,
    );
    const afterRevoke = await failure(
      renewTokens(resolved, {
        accessToken: renewed.accessToken,
        refreshToken: renewed.refreshToken!,
      }),
    );
    expect(afterRevoke.code).toBe('invalid_grant');

    const log = lines.join('\n');
    for (const secret of [
      result.tokens.accessToken,
      first,
      renewed.accessToken,
      renewed.refreshToken!,
      result.tokens.idToken!,
    ]) {
      expect(log).not.toContain(secret);
    }
  });

  it('reports a denied consent as callback_error', async () => {
    const discovered = await discover(provider.issuer);
    const registered = await registerClient(discovered, {
      redirectUris: ['http://127.0.0.1/callback'],
    });
    const profile = validateProfile({
      id: 'oidc-deny',
      name: 'OIDC',
      grant: 'authorization_code',
      issuer: provider.issuer,
      client: { registration: 'dynamic', auth: 'none' },
      scopes: ['openid'],
      authorizeParams: { prompt: 'consent' },
    });
    const resolved = resolveProvider(profile, {
      registeredClientId: registered.clientId,
      discovered,
    });
    const error = await failure(
      authorizationCodeFlow(resolved, { open: (url) => user.deny(url) }, { timeoutMs: 60_000 }),
    );
    await user.settled().catch(() => undefined);
    expect(error.code).toBe('callback_error');
    expect(error.details.error).toBe('access_denied');
  });

  it('runs client credentials with client_secret_post', async () => {
    const profile = validateProfile({
      id: 'oidc-cc',
      name: 'OIDC CC',
      grant: 'client_credentials',
      issuer: provider.issuer,
      client: { registration: 'static', clientId: 'machine', auth: 'client_secret_post' },
    });
    const resolved = resolveProvider(profile, {
      clientSecret: 'machine-secret-123456',
      discovered: await discover(provider.issuer),
    });
    const { tokens } = await clientCredentialsFlow(resolved, { logger });
    expect(tokens.accessToken).toBeTruthy();
    expect(await identifyAccount(resolved, { tokens })).toEqual({
      subject: 'machine',
      identifiedBy: 'client id',
      label: 'machine',
    });
    const bad = resolveProvider(profile, {
      clientSecret: 'wrong-secret-000000',
      discovered: await discover(provider.issuer),
    });
    expect((await failure(clientCredentialsFlow(bad))).code).toBe('invalid_client');
  });
});
